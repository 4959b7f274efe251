"""Notifications and exports in Chromium, at desktop and phone width: the header's badge counts
a mention and a new follower, the notifications screen shows them and marks them read, and an
export of one's posts runs with its progress to a download."""
import csv
import io
import json

from tests.harness.browser import DESKTOP, PHONE, Screens, texts
from tests.test_browser_microposts import log_in


def badge(screens: Screens) -> str:
    """The badge's text once no API call is under way, or '' while it is hidden."""
    screens.settle()
    found = screens.page.locator('.notices-link .badge')
    return found.inner_text().strip() if found.is_visible() else ''


def test_notifications_come_with_a_badge_and_are_marked_read_when_seen(people, web_server):
    dora, eric = web_server.user('dora_n'), web_server.user('eric_n')
    reader = people('dora')
    log_in(reader, 'dora_n')
    assert badge(reader) == ''
    assert reader.page.get_by_role('link', name='Notifications', exact=True).is_visible()
    reader.page.get_by_role('link', name='Notifications', exact=True).click()
    reader.wait_for('notifications')
    assert reader.page.locator('.empty').is_visible()
    reader.shot('empty')

    web_server.call('POST', '/api/v1/users/eric_n/collection',
                    {'text': 'Lunch, "at noon"? @dora_n\nsecond line'}, eric)
    web_server.call('POST', '/api/v1/users/eric_n/following', {'username': 'dora_n'}, eric)
    web_server.call('POST', '/api/v1/users/dora_n/collection', {'text': 'me, @dora_n'}, dora)
    reader.page.get_by_role('link', name='Feed').click()  # the badge is asked on every screen
    reader.wait_for('feed')
    assert badge(reader) == '2'
    assert reader.page.get_by_role('link', name='Notifications, 2 unread').is_visible()
    reader.shot('badge')
    reader.page.set_viewport_size(PHONE)
    assert badge(reader) == '2'
    reader.shot('badge-phone', full_page=False)
    reader.page.set_viewport_size(DESKTOP)

    reader.page.get_by_role('link', name='Notifications, 2 unread').click()
    reader.wait_for('notifications')
    items = reader.page.locator('.notice-item')
    assert texts(items.locator('.notice-head > span:not(.new-tag)')) == [
        'eric_n followed you', 'eric_n mentioned you']
    assert items.locator('.new-tag').count() == 2, 'what was new is marked on this visit'
    assert texts(items.locator('.post-text')) == ['Lunch, "at noon"? @dora_n\nsecond line']
    reader.page.wait_for_function('() => !document.querySelector(".notices-link .badge")'
                                  '.offsetParent')
    reader.shot('list')
    reader.page.set_viewport_size(PHONE)
    assert reader.page.evaluate('document.documentElement.scrollWidth') <= PHONE['width']
    reader.shot('list-phone')

    items.locator('.notice-post').click()
    reader.wait_for('post')
    assert badge(reader) == ''
    reader.page.go_back()
    reader.wait_for('notifications')
    assert reader.page.locator('.notice-item .new-tag').count() == 0, 'seen: read now'


def test_an_export_shows_its_progress_and_downloads_the_posts(people, web_server):
    fay = web_server.user('fay_n')
    texts_written = [f'post {number}, with "quotes" and ü' for number in range(3)]
    for text in texts_written:
        web_server.call('POST', '/api/v1/users/fay_n/collection', {'text': text}, fay)
    owner = people('fay')
    log_in(owner, 'fay_n', '/users/fay_n', 'user')
    owner.page.get_by_role('link', name='Export my posts').click()
    owner.wait_for('export')
    assert texts(owner.page.locator('.export-state')) == ['You have not exported your posts yet.']
    owner.shot('start')
    owner.page.get_by_label('CSV').check()
    owner.page.get_by_role('button', name='Export my posts').click()
    download_link = owner.page.get_by_role('link', name='Download CSV (3 posts)')
    download_link.wait_for()
    assert texts(owner.page.locator('.export-state')) == ['Your CSV export is ready.']
    owner.shot('ready')
    with owner.page.expect_download() as started:
        download_link.click()
    download = started.value
    assert download.suggested_filename.startswith('warble-fay_n-posts-')
    body = open(download.path(), encoding='utf-8-sig', newline='').read()
    rows = list(csv.DictReader(io.StringIO(body, newline='')))
    assert [row['text'] for row in rows] == texts_written

    owner.page.set_viewport_size(PHONE)
    owner.page.get_by_label('JSON').check()
    owner.page.get_by_role('button', name='Export my posts').click()
    link = owner.page.get_by_role('link', name='Download JSON (3 posts)')
    link.wait_for()
    assert owner.page.evaluate('document.documentElement.scrollWidth') <= PHONE['width']
    owner.shot('ready-phone')
    fetched = owner.page.evaluate('url => fetch(url).then(answer => answer.text())',
                                  link.get_attribute('href'))
    assert [post['text'] for post in json.loads(fetched)['posts']] == texts_written

    other = people('gus')
    web_server.user('gus_n')
    log_in(other, 'gus_n')
    other.expect_refusal(403, '/download$')
    status = other.page.evaluate('url => fetch(url).then(answer => answer.status)',
                                 link.get_attribute('href'))
    assert status == 403
    other.assert_clean()


def test_an_export_under_way_shows_its_progress_and_allows_no_second(people, web_server):
    web_server.user('hana_n')
    # An export a worker is in the middle of (its lease far ahead: no sweep hands it on).
    web_server.sql("INSERT INTO export (id, user_id, format, state, done, total, last_post, "
                   "attempts, claim, due, created, expires) SELECT 1, id, 'csv', 'running', 2, "
                   "5, 0, 1, 'elsewhere', now() + interval '1 hour', now(), "
                   "now() + interval '1 day' FROM users WHERE username = %s", 'hana_n')
    owner = people('hana')
    log_in(owner, 'hana_n', '/export', 'export')
    assert texts(owner.page.locator('.export-state')) == ['Writing your CSV export…']
    assert texts(owner.page.locator('.progress label')) == ['2 of 5 posts']
    bar = owner.page.get_by_label('2 of 5 posts')
    assert (bar.get_attribute('value'), bar.get_attribute('max')) == ('2', '5')
    assert owner.page.get_by_role('button', name='Export my posts').is_disabled()
    chosen = owner.page.get_by_label('CSV')
    assert chosen.is_checked() and chosen.is_disabled(), 'the form shows the one under way'
    owner.shot('running')
    owner.page.set_viewport_size(PHONE)
    owner.shot('running-phone')
