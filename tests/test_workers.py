"""Two gunicorn gevent workers share their state through PostgreSQL/SQLite and Redis: no worker
serves a page older than a write another worker answered, a revoked token fails on both, and
failed logins counted by one count on the other."""
import collections
import concurrent.futures

import pytest
import requests

from models.tokens import Token
from tests.harness.apiclient import PASSWORD
from tests.harness.apiclient import sign_up_over_http as sign_up
from tests.harness.servers import PYTHON, free_port, start_process, stop, wait_for

ROUNDS = 12
MAX_ROUNDS = 200  # rounds go on until both workers have answered, within this bound


@pytest.fixture
def server(settings, environ, tmp_path):
    """gunicorn with two gevent workers on this run's backend; yields (URL, access log)."""
    port, access_log = free_port(), tmp_path / 'access.log'
    process = start_process([PYTHON, '-m', 'gunicorn', '-k', 'gevent', '-w', '2',
                             '--no-control-socket', '-b', f'127.0.0.1:{port}',
                             '--access-logfile', str(access_log),
                             '--access-logformat', '%(p)s %(m)s %(U)s %(s)s',
                             'app:application'], environ, tmp_path / 'gunicorn.log')
    url = f'http://127.0.0.1:{port}'
    wait_for(lambda: requests.get(f'{url}/api/v1/microposts', timeout=1).ok, timeout=60,
             what='gunicorn')
    yield url, access_log
    stop(process)


def workers_that_answered(access_log) -> collections.Counter:
    return collections.Counter(line.split()[0] for line in access_log.read_text().splitlines())


def rounds(access_log, since: collections.Counter | None = None):
    """At least ROUNDS round numbers, and more until both workers have answered (since)."""
    for number in range(MAX_ROUNDS):
        answered = workers_that_answered(access_log) - (since or collections.Counter())
        if number >= ROUNDS and len(answered) == 2:
            return
        yield number
    raise AssertionError(f'one worker answered everything: {answered}')


def test_a_write_is_never_followed_by_a_stale_page_on_another_worker(server):
    url, access_log = server
    alice = sign_up(url, 'alice')
    collection = f'{url}/api/v1/users/alice/collection'
    for number in rounds(access_log):
        before = requests.get(collection, timeout=10).json()['result']  # cached by a worker
        assert requests.get(f'{url}/api/v1/microposts', timeout=10).ok
        created = requests.post(collection, json={'text': f'post {number}'}, headers=alice,
                                timeout=10).json()
        for page in (collection, f'{url}/api/v1/microposts', f'{url}/api/v1/search?text=post'):
            assert requests.get(page, timeout=10).json()['result'] == [created, *before][:20]


def test_a_revoked_token_fails_at_once_on_every_worker(server):
    """Though both workers remember the token from the requests before."""
    url, access_log = server
    alice = sign_up(url, 'alice')
    collection = f'{url}/api/v1/users/alice/collection'
    timeline = f'{url}/api/v1/users/alice/timeline'
    for number in rounds(access_log):
        assert requests.get(timeline, headers=alice, timeout=10).status_code == 200, number
    assert requests.delete(f'{url}/api/v1/token', headers=alice, timeout=10).status_code == 204
    for number in rounds(access_log, since=workers_that_answered(access_log)):
        answer = requests.post(collection, json={'text': 'late'}, headers=alice, timeout=10)
        assert answer.status_code == 401, number


def test_a_remembered_token_serves_dozens_of_requests_at_once_without_the_database(server):
    """A browser sends its requests in parallel, all with one token."""
    url, access_log = server
    alice = sign_up(url, 'alice')
    timeline = f'{url}/api/v1/users/alice/timeline'
    # Until both workers have answered the token, not only the sign-up before it.
    for number in rounds(access_log, since=workers_that_answered(access_log)):
        assert requests.get(timeline, headers=alice, timeout=10).status_code == 200, number
    Token.delete().execute()  # behind the service's back: only the database forgets it
    with concurrent.futures.ThreadPoolExecutor(48) as pool:
        answers = list(pool.map(lambda _: requests.get(timeline, headers=alice, timeout=10),
                                range(96)))
    assert collections.Counter(answer.status_code for answer in answers) == {200: 96}


def test_failed_logins_on_either_worker_limit_logins_on_both(server):
    url, access_log = server
    sign_up(url, 'alice')

    def log_in(username: str, password: str) -> int:
        return requests.post(f'{url}/api/v1/token', timeout=10, json={
            'grant_type': 'password', 'username': username, 'password': password}).status_code
    assert [log_in('alice', 'wrong password') for attempt in range(5)] == [400] * 5
    for number in rounds(access_log, since=workers_that_answered(access_log)):
        assert log_in('alice', PASSWORD) == 429, number  # even the right password, anywhere
