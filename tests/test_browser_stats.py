"""The Statistics screen in Chromium against the real API: days counted by `manage.py stats`
from users, posts and follows, shown as a table, a chart and the most referenced users; a
default range that ends today, an empty state, one format of days (YYYY-MM-DD, in the fields,
the chart and the table) and plain messages about the range."""
import datetime as dt

import pytest

from tests.harness.browser import PHONE, texts

FIRST, SECOND, UNCOUNTED = '2001-02-03', '2001-02-04', '2001-02-05'
POSTS = (('ann', 'ben', FIRST), ('ann', 'ben', FIRST), ('ben', 'ann', FIRST),
         ('cy', 'ben', SECOND), ('ann', None, SECOND))  # author, referenced, day


@pytest.fixture(scope='module')
def counted_days(web_server):
    """Two past days counted by `manage.py stats`, made through the API and dated by SQL."""
    tokens = {name: web_server.user(f'stat_{name}') for name in ('ann', 'ben', 'cy', 'dee', 'eve')}
    for number, (author, to, day) in enumerate(POSTS):
        text = f'counted post {number}'
        web_server.call('POST', f'/api/v1/users/stat_{author}/collection',
                        {'text': text, 'referenced': to and f'stat_{to}'}, tokens[author])
        web_server.sql('UPDATE micropost SET created = %s WHERE text = %s', day, text)
    web_server.call('POST', '/api/v1/users/stat_cy/following', {'username': 'stat_ann'},
                    tokens['cy'])
    web_server.sql("UPDATE follow SET created = %s FROM users "
                   "WHERE follow.follower_id = users.id AND users.username = 'stat_cy'", SECOND)
    web_server.sql("UPDATE users SET created = %s WHERE username LIKE 'stat%%'", FIRST)
    web_server.sql("UPDATE users SET created = %s WHERE username = 'stat_cy'", SECOND)
    web_server.manage('stats', '--from', FIRST, '--to', SECOND)


def test_the_statistics_screen_shows_the_counted_days(screens, counted_days):
    screens.visit(f'/stats?from={FIRST}&to={UNCOUNTED}', 'stats')
    page = screens.page
    rows = [texts(row.locator('th, td')) for row in page.locator('tbody tr').all()]
    assert rows == [[SECOND, '2', '1', '2', '1'], [FIRST, '3', '4', '2', '0']]
    labels = page.evaluate(
        "() => Chart.getChart(document.getElementById('stats-chart')).data.labels")
    assert labels == [FIRST, SECOND, UNCOUNTED]
    assert page.get_by_label('From').input_value() == FIRST
    assert not page.locator('.empty-state').is_visible()
    ranking = [text.split() for text in texts(page.locator('.ranking li'))]
    assert ranking == [['stat_ben', '3'], ['stat_ann', '1']]
    series = page.evaluate('''() => Chart.getChart(document.getElementById('stats-chart'))
        .data.datasets.map(set => [set.label, set.data])''')
    assert series == [['Posts', [3, 2, None]], ['New users', [4, 1, None]],
                      ['Active authors', [2, 2, None]]]
    assert page.locator('#stats-chart').bounding_box()['height'] > 200
    screens.shot('stats')

    page.get_by_role('link', name='stat_ben').click()
    screens.wait_for('user')
    assert page.url.endswith('/users/stat_ben')


@pytest.mark.parametrize('size', ['desktop', 'phone'])
def test_a_range_that_ends_before_it_starts_says_so_plainly_by_the_field(screens, size):
    if size == 'phone':
        screens.page.set_viewport_size(PHONE)
    screens.visit('/stats', 'stats')
    page = screens.page
    page.get_by_label('From').fill(UNCOUNTED)
    page.get_by_label('To').fill(FIRST)
    page.get_by_role('button', name='Show').click()
    error = page.locator('#stats-to ~ .field-error')
    error.wait_for()
    assert error.inner_text() == 'The end date must not be before the start date.'
    assert page.get_by_label('To').get_attribute('aria-invalid') == 'true'
    screens.shot('stats-errors')
    page.get_by_label('To').fill(SECOND)
    assert not error.is_visible(), 'the message goes once the date is changed'

    screens.visit(f'/stats?from={FIRST}&to=2001-02-30', 'stats')  # a link with no such day
    today = dt.datetime.now(dt.UTC).date()
    assert page.locator('#stats-to ~ .field-error').inner_text() == (
        f'Write the end date as YYYY-MM-DD, like {today}.')
    assert not page.locator('#stats-from ~ .field-error').is_visible()


@pytest.mark.parametrize('size', ['desktop', 'phone'])
def test_the_default_range_ends_today_and_says_when_nothing_is_counted(screens, size):
    if size == 'phone':
        screens.page.set_viewport_size(PHONE)
    screens.visit('/stats', 'stats')
    page = screens.page
    today = dt.datetime.now(dt.UTC).date()
    assert page.get_by_label('From').input_value() == str(today - dt.timedelta(days=29))
    assert page.get_by_label('To').input_value() == str(today)
    empty = page.locator('.empty-state')
    assert empty.is_visible()
    assert empty.get_by_role('heading').inner_text() == (
        f'Nothing counted from {today - dt.timedelta(days=29)} to {today}')
    assert not page.locator('#stats-chart').is_visible()
    assert not page.locator('.ranking').is_visible()
    screens.shot('empty')
