"""Back-pressure under gunicorn: past `server.max_in_flight` requests in progress a worker
answers at once `503 busy` with `Retry-After`; the requests it holds are served, none lost.
No free pooled connection in time is the same `busy`."""
import concurrent.futures
import json
import socket
import time

import pytest
import requests
from playhouse.pool import MaxConnectionsExceeded

from controllers import outages
from controllers.errors import Busy
from tests.harness.servers import start_gunicorn, stop

LIMIT = 3
BODY = json.dumps({'grant_type': 'password', 'username': 'nobody',
                   'password': 'wrong-password'}).encode()


@pytest.fixture
def server(postgres_environ, tmp_path):
    """One gevent worker that lets LIMIT requests in at a time; yields its URL."""
    environ = dict(postgres_environ, WARBLE_SERVER_MAX_IN_FLIGHT=str(LIMIT))
    process, url = start_gunicorn(environ, tmp_path / 'gunicorn.log', workers=1)
    yield url
    stop(process)


def slow_login(url: str) -> socket.socket:
    """A login whose body is sent but for its last byte: the app waits for it, holding its place."""
    host, port = url.removeprefix('http://').split(':')
    connection = socket.create_connection((host, int(port)), timeout=10)
    connection.sendall(b'POST /api/v1/token HTTP/1.1\r\nHost: warble\r\n'
                       b'Content-Type: application/json\r\n'
                       b'Content-Length: %d\r\n\r\n%s' % (len(BODY), BODY[:-1]))
    return connection


def finish(connection: socket.socket) -> int:
    """Send the last byte of a `slow_login`; the status it is answered with."""
    with connection:
        connection.sendall(BODY[-1:])
        return int(connection.makefile('rb').readline().split()[1])


def page(url: str) -> requests.Response:
    return requests.get(f'{url}/api/v1/microposts', timeout=10)


def fill(url: str) -> list[socket.socket]:
    """LIMIT slow logins, once the worker has taken every one of them in."""
    held = [slow_login(url) for _ in range(LIMIT)]
    deadline = time.monotonic() + 10
    while page(url).status_code != 503:
        assert time.monotonic() < deadline, 'the slow logins never filled the worker'
    return held


def test_past_the_limit_requests_are_answered_503_at_once_and_the_held_ones_served(server):
    assert page(server).status_code == 200
    held = fill(server)
    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        refused = list(pool.map(lambda _: page(server), range(16)))
    assert time.monotonic() - started < 2
    for answer in refused:
        assert answer.status_code == 503
        assert answer.headers['Retry-After'] == '1'
        assert answer.headers['X-Request-ID']
        assert answer.json()['error']['code'] == 'busy'
    assert 'checks' in requests.get(f'{server}/status', timeout=10).json()  # not refused
    assert [finish(connection) for connection in held] == [400] * LIMIT  # wrong password
    assert page(server).status_code == 200


def test_a_refused_write_leaves_its_connection_ready_for_the_next_request(server):
    """A request refused before its body was read: the body is read past, not taken for the
    next request on the same connection."""
    held = fill(server)
    with requests.Session() as session:
        login = f'{server}/api/v1/token'
        refused = session.post(login, data=BODY, headers={'Content-Type': 'application/json'},
                               timeout=10)
        assert (refused.status_code, refused.json()['error']['code']) == (503, 'busy')
        assert [finish(connection) for connection in held] == [400] * LIMIT  # wrong password
        answered = session.post(login, data=BODY, headers={'Content-Type': 'application/json'},
                                timeout=10)
        assert (answered.status_code, answered.json()['error']['code']) == (400, 'invalid_grant')


def test_a_crowd_over_the_limit_gets_every_request_answered(server):
    """Four times the limit of clients at once: each request is served or refused with
    `Retry-After`, none is lost or left waiting, and some are served."""
    def client(_) -> list[requests.Response]:
        with requests.Session() as session:
            return [session.get(f'{server}/api/v1/microposts', timeout=10) for _ in range(15)]
    with concurrent.futures.ThreadPoolExecutor(4 * LIMIT) as pool:
        answers = [answer for answers in pool.map(client, range(4 * LIMIT)) for answer in answers]
    assert len(answers) == 4 * LIMIT * 15
    assert {answer.status_code for answer in answers} <= {200, 503}
    assert all(answer.headers['Retry-After'] == '1' for answer in answers
               if answer.status_code == 503)
    assert sum(answer.status_code == 200 for answer in answers) >= len(answers) // 4


def test_no_free_pooled_connection_in_time_is_busy_with_retry_after():
    answer = outages.unavailable(MaxConnectionsExceeded('timed out waiting in line'))
    assert isinstance(answer, Busy) and answer.retry_after == 1
