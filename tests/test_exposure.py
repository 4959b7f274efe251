"""What the service tells strangers about itself: the `Server` header names no versions (under
web.py, plain gunicorn and the development server), and text logs keep one line per record
whatever a path holds."""
import http.client
from urllib.parse import urlsplit

import pytest

from tests.harness.servers import PYTHON, free_port, serve, start_gunicorn, start_web, stop

FORGED = '2026-01-01 00:00:00,000 INFO warble.access [-] GET /admin 200 1.0ms'


def server_headers(url: str, path: str = '/status') -> list[str]:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request('GET', path)
        answer = connection.getresponse()
        answer.read()
        return answer.headers.get_all('Server') or []
    finally:
        connection.close()


@pytest.mark.parametrize('how', ['web.py', 'gunicorn', 'dev server'])
def test_the_server_header_names_no_version(postgres_environ, tmp_path, how):
    log = tmp_path / 'server.log'
    if how == 'web.py':
        process, url = start_web(postgres_environ, log, workers=1)
    elif how == 'gunicorn':
        process, url = start_gunicorn(postgres_environ, log, workers=1)
    else:
        port = free_port()
        process, url = serve([PYTHON, 'app.py', '--port', str(port)], postgres_environ, log,
                             port, 60, 'app.py')
    try:
        found = server_headers(url)
    finally:
        stop(process)
    expected = {'web.py': ['Warble'], 'gunicorn': ['gunicorn'], 'dev server': ['Warble']}
    assert found == expected[how]


def test_a_line_break_in_a_path_cannot_forge_a_text_log_line(postgres_environ, tmp_path):
    log = tmp_path / 'web.log'
    process, url = start_web(dict(postgres_environ, WARBLE_LOGGING_FORMAT='text',
                                  WARBLE_LOGGING_LEVEL='INFO'), log, workers=1)
    try:
        path = '/api/v1/users/nobody%0a' + FORGED.replace(' ', '%20') + '%0d%1b[2J'
        parts = urlsplit(url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        connection.request('GET', path)
        assert connection.getresponse().status == 404
        connection.close()
    finally:
        stop(process)
    lines = log.read_text().splitlines()
    assert not [line for line in lines if line.startswith(FORGED[:30])]
    logged = [line for line in lines if 'warble.access' in line and '/users/nobody' in line]
    assert len(logged) == 1
    assert '/users/nobody\\n2026-01-01' in logged[0] and '\\r\\x1b[2J 404' in logged[0]
