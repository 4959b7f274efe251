"""Daily statistics: a day built from known data gives the figures counted by hand, on SQLite and
PostgreSQL; computing again replaces; the API, `manage.py stats`, and the beat task."""
import datetime as dt
import json
import subprocess

import pytest

from controllers.stats import StatsController, yesterday
from lib import jobs
from models.follows import Follow
from models.microposts import Micropost
from models.stats import DailyStats
from models.users import User
from tests.harness.servers import PYTHON, ROOT, wait_for
from tests.test_manage import manage

DAY = dt.date(2024, 3, 10)
LAST_INSTANT = (23, 59, 59, 999999)


def at(days: int, hour: int, minute: int = 0, second: int = 0, micro: int = 0) -> dt.datetime:
    """A moment `days` after DAY began (UTC)."""
    return (dt.datetime.combine(DAY, dt.time()) +
            dt.timedelta(days=days, hours=hour, minutes=minute, seconds=second, microseconds=micro))


@pytest.fixture
def known_day(settings) -> dict:
    """Users, posts and follows on DAY and on both sides of its edges."""
    ids = {}
    for name, created in [('ann', at(-1, *LAST_INSTANT)), ('ben', at(0, 0)), ('cat', at(0, 12)),
                          ('dan', at(0, *LAST_INSTANT)), ('eve', at(1, 0))]:
        ids[name] = User.create(username=name, email=f'{name}@example.com', password_hash='-',
                                created=created).id
    posts = [('ann', None, at(-1, *LAST_INSTANT)),
             ('ann', 'ben', at(0, 0)), ('ann', 'ben', at(0, 1)), ('ben', 'ann', at(0, 2)),
             ('ben', 'cat', at(0, 3)), ('cat', 'ben', at(0, 4)), ('cat', None, at(0, 5)),
             ('cat', 'dan', at(0, *LAST_INSTANT)),
             ('dan', 'ben', at(1, 0))]
    Micropost.insert_many([{'user': ids[author], 'text': 'hello', 'created': created,
                            'referenced': ids.get(referenced)}
                           for author, referenced, created in posts]).execute()
    follows = [('ann', 'ben', at(-1, 23)), ('ben', 'ann', at(0, 0)), ('cat', 'ann', at(0, 10)),
               ('dan', 'cat', at(1, 0))]
    Follow.insert_many([{'follower': ids[a], 'followed': ids[b], 'created': created}
                        for a, b, created in follows]).execute()
    return ids


# Counted by hand from `known_day`.
EXPECTED = {'day': '2024-03-10', 'new_users': 3, 'new_posts': 7, 'active_authors': 3,
            'new_follows': 2, 'top_referenced': [
                {'username': 'ben', 'references': 3}, {'username': 'ann', 'references': 1},
                {'username': 'cat', 'references': 1}, {'username': 'dan', 'references': 1}]}


def figures(stats: dict) -> dict:
    return {key: value for key, value in stats.items() if key != 'computed'}


def test_a_day_of_known_data_gives_the_figures_counted_by_hand(known_day):
    assert figures(StatsController().compute(DAY)) == EXPECTED
    stored = DailyStats.get_by_id(DAY)
    assert (stored.new_posts, stored.top_referenced[0]) == (7, {'username': 'ben',
                                                               'references': 3})


def test_computing_a_day_again_replaces_its_row(known_day):
    StatsController().compute(DAY)
    first = DailyStats.get_by_id(DAY).computed
    Micropost.delete().where(Micropost.created == at(0, 0)).execute()
    again = StatsController().compute(DAY)
    assert (again['new_posts'], again['top_referenced'][0]['references']) == (6, 2)
    assert DailyStats.get_by_id(DAY).computed > first
    assert DailyStats.select().count() == 1


def test_the_top_referenced_are_the_ten_most_referenced(settings):
    users = [User.create(username=f'user_{n:02}', email=f'{n}@example.com', password_hash='-')
             for n in range(12)]
    Micropost.insert_many([{'user': users[0].id, 'text': 'hi', 'referenced': user.id,
                            'created': at(0, 9)}
                           for n, user in enumerate(users) for _ in range(n)]).execute()
    top = StatsController().compute(DAY)['top_referenced']
    assert [(item['username'], item['references']) for item in top] == [
        (f'user_{n:02}', n) for n in range(11, 1, -1)]


def test_the_api_gives_the_computed_days_of_a_range_in_order(client, known_day):
    stats = StatsController()
    for day in (DAY + dt.timedelta(days=1), DAY, DAY - dt.timedelta(days=5)):
        stats.compute(day)
    answer = client.get('/api/v1/stats/daily?from=2024-03-09&to=2024-03-12').json
    assert (answer['from'], answer['to']) == ('2024-03-09', '2024-03-12')
    assert [day['day'] for day in answer['result']] == ['2024-03-10', '2024-03-11']
    assert figures(answer['result'][0]) == EXPECTED
    assert answer['result'][1]['new_users'] == 1 and answer['result'][0]['computed'].endswith('Z')


def test_the_api_shows_a_day_computed_again_at_once(client, known_day):
    url = '/api/v1/stats/daily?from=2024-03-10&to=2024-03-10'
    StatsController().compute(DAY)
    assert client.get(url).json['result'][0]['new_posts'] == 7  # now cached
    Micropost.delete().where(Micropost.created == at(0, 0)).execute()
    StatsController().compute(DAY)
    assert client.get(url).json['result'][0]['new_posts'] == 6


def test_a_range_of_366_days_is_allowed(client):
    answer = client.get('/api/v1/stats/daily?from=2024-01-01&to=2024-12-31')
    assert answer.json == {'from': '2024-01-01', 'to': '2024-12-31', 'result': []}


@pytest.mark.parametrize('query, field', [
    ('from=2024-01-01&to=2025-01-01', 'to'),  # 367 days
    ('from=2024-03-10&to=2024-03-09', 'to'),
    ('from=2024-02-30&to=2024-03-09', 'from'),
    ('from=2024-3-1&to=2024-03-09', 'from'),
    ('from=2024-03-01', 'query'),
    ('from=2024-03-01&to=2024-03-09&days=3', 'query'),
])
def test_a_bad_range_is_400_naming_the_field(client, query, field):
    answer = client.get(f'/api/v1/stats/daily?{query}', status=400)
    assert field in answer.json['error']['fields'], answer.json
    assert DailyStats.select().count() == 0


def test_days_up_to_today_are_allowed(client):
    today = dt.datetime.now(dt.UTC).date()
    answer = client.get(f'/api/v1/stats/daily?from={today - dt.timedelta(days=3)}&to={today}')
    assert answer.json['to'] == today.isoformat()


@pytest.mark.parametrize('first, last, field', [(0, 1, 'to'), (1, 2, 'from')])
def test_days_in_the_future_are_400(client, first, last, field):
    today = dt.datetime.now(dt.UTC).date()
    answer = client.get(f'/api/v1/stats/daily?from={today + dt.timedelta(days=first)}'
                        f'&to={today + dt.timedelta(days=last)}', status=400)
    assert answer.json['error']['fields'] == {field: 'a day up to today (UTC)'}
    assert 'in the future' in answer.json['error']['message']


def test_manage_stats_refuses_days_in_the_future(environ, settings):
    tomorrow = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1)
    done = manage(environ, 'stats', '--to', tomorrow.isoformat())
    assert done.returncode == 1
    assert f'stats: {tomorrow} is in the future' in done.stderr, done.stderr
    assert '--to: a day up to today (UTC)' in done.stderr and 'Traceback' not in done.stderr
    assert DailyStats.select().count() == 0


def test_manage_stats_backfills_a_range_with_a_progress_bar(known_day, environ):
    done = manage(environ, 'stats', '--from', '2024-03-09', '--to', '2024-03-11')
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == 'computed 3 day(s), 2024-03-09 to 2024-03-11'
    assert '100%' in done.stderr and '3/3' in done.stderr
    rows = {row.day: row.new_users for row in DailyStats.select()}
    assert rows == {dt.date(2024, 3, 9): 1, DAY: 3, dt.date(2024, 3, 11): 1}


def test_manage_stats_refuses_a_range_that_ends_before_it_starts(environ, settings):
    done = manage(environ, 'stats', '--from', '2024-03-09', '--to', '2024-03-01')
    assert done.returncode != 0 and '--to is before --from' in done.stderr
    bad = manage(environ, 'stats', '--from', 'yesterday')
    assert bad.returncode == 2 and "'yesterday' is not a day" in bad.stderr


def test_the_beat_schedule_comes_from_the_settings(environ):
    script = ('import json, tasks; from lib.config import get_settings; '
              'print(json.dumps({name: [entry["task"], str(entry["schedule"])] for name, entry '
              'in tasks.beat_schedule(get_settings()).items()}))')
    from lib.bootstrap import child_environ
    done = subprocess.run([PYTHON, '-c', script], cwd=ROOT, capture_output=True, text=True,
                          timeout=60, env=child_environ(**environ, WARBLE_STATS_HOUR='1',
                                                        WARBLE_STATS_MINUTE='30',
                                                        WARBLE_MAIL_SWEEP_SECONDS='15'))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        'sweep the outbox': ['notifications.sweep', '15.0'],
        'sweep the feed work': ['timelines.sweep', '30.0'],
        'sweep the exports': ['exports.sweep', '60.0'],
        'daily statistics': ['stats.daily', '<crontab: 30 1 * * * (m/h/dM/MY/d)>']}


def test_the_daily_task_computes_yesterday_in_a_worker(settings, celery_worker):
    noon = dt.datetime.combine(yesterday(), dt.time(12))
    User.create(username='ann', email='ann@example.com', password_hash='-', created=noon)
    jobs.send('stats.daily')
    wait_for(lambda: DailyStats.get_or_none(DailyStats.day == yesterday()), what='the stats')
    assert DailyStats.get_by_id(yesterday()).new_users == 1
