"""Real servers for the tests: Redis, PostgreSQL, Celery workers and gunicorn, each on loopback."""
from __future__ import annotations

import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from lib import bootstrap

ROOT = bootstrap.ROOT
PYTHON = str(bootstrap.ENV_PYTHON)
IN_CI = os.environ.get('CI', '').lower() == 'true'


def missing(what: str) -> None:
    """Skip a test for a missing tool, except in CI where that is a failure."""
    if IN_CI:
        pytest.fail(f'{what} is required in CI but missing', pytrace=False)
    pytest.skip(f'{what} is missing')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def wait_for(check, timeout: float = 20.0, what: str = 'server') -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except Exception:  # noqa: BLE001 - not up yet
            pass
        time.sleep(0.05)
    raise TimeoutError(f'{what} did not come up within {timeout} s')


def stop(process: subprocess.Popen, timeout: float = 10.0) -> None:
    """Stop a process started with start_new_session=True, with its whole group."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


class RedisServer:
    """A redis-server on a Unix socket in a temporary directory. By default it never evicts
    (the broker and the rate limits); give `maxmemory` for a cache that evicts the least
    recently used keys at that size, as production runs them."""

    def __init__(self, directory: Path, name: str = 'redis', maxmemory: str | None = None):
        binary = shutil.which('redis-server')
        if binary is None:
            missing('redis-server')
        self.directory = directory
        self.socket = directory / f'{name}.sock'
        memory = (['--maxmemory', maxmemory, '--maxmemory-policy', 'allkeys-lru'] if maxmemory
                  else ['--maxmemory-policy', 'noeviction'])
        self.command = [binary, '--port', '0', '--unixsocket', str(self.socket),
                        '--dir', str(directory), '--dbfilename', f'{name}.rdb', '--save', '',
                        '--appendonly', 'no', *memory,
                        '--zset-max-listpack-entries', '1024']  # as production's (home feeds)
        self.process = None
        self.start()

    @property
    def url(self) -> str:
        return f'unix://{self.socket}'

    def start(self) -> None:
        self.process = subprocess.Popen(self.command, stdout=subprocess.DEVNULL,
                                        start_new_session=True)
        wait_for(self.socket.exists, what='redis-server')

    def stop(self) -> None:
        stop(self.process)
        self.socket.unlink(missing_ok=True)


class PostgresServer:
    """A PostgreSQL cluster made by initdb in a temporary directory, on a loopback port."""

    def __init__(self):
        found = sorted(glob.glob('/usr/lib/postgresql/*/bin/postgres'))
        binary = shutil.which('postgres') or (found[-1] if found else None)
        if binary is None:
            missing('PostgreSQL (postgres, initdb)')
        self.bin_dir = bin_dir = Path(binary).resolve().parent
        self.port = free_port()
        # Its own directory: as root, the server runs as the postgres user, which needs access.
        self.directory = directory = Path(tempfile.mkdtemp(prefix='warble-pg-'))
        self.data = directory / 'pgdata'
        self.as_user = ['runuser', '-u', 'postgres', '--'] if os.geteuid() == 0 else []
        if self.as_user:
            os.chmod(directory, 0o777)
        subprocess.run([*self.as_user, str(bin_dir / 'initdb'), '-D', str(self.data), '-A',
                        'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync'],
                       check=True, stdout=subprocess.DEVNULL)
        self.command = [*self.as_user, str(bin_dir / 'postgres'), '-D', str(self.data),
                        '-p', str(self.port), '-c', 'listen_addresses=127.0.0.1',
                        '-c', f'unix_socket_directories={directory}', '-c', 'fsync=off',
                        '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off',
                        '-c', 'max_connections=200']
        self.process = None
        self.start()

    def url(self, database: str = 'postgres') -> str:
        return f'postgresql://postgres@127.0.0.1:{self.port}/{database}'

    def start(self) -> None:
        self.process = subprocess.Popen(self.command, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, start_new_session=True)
        wait_for(self.ready, what='postgres')

    def ready(self) -> bool:
        import psycopg
        with psycopg.connect(self.url(), connect_timeout=1):
            return True

    def create_database(self, name: str) -> str:
        import psycopg
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def halt(self) -> None:
        """Shut the server down (fast: open sessions end), keeping its data for `start`."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)  # fast shutdown, past runuser too
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                stop(self.process)

    def stop(self) -> None:
        self.halt()
        shutil.rmtree(self.directory, ignore_errors=True)


class PostgresReplica(PostgresServer):
    """A hot-standby streaming replica of `primary`: `pg_basebackup -R` over a replication slot
    of its own (dropped by `stop`), on a loopback port. Its replay can be paused and resumed."""

    def __init__(self, primary: PostgresServer):
        self.primary, self.bin_dir, self.as_user = primary, primary.bin_dir, primary.as_user
        self.port = free_port()
        self.slot = f'warble_replica_{self.port}'
        self.directory = directory = Path(tempfile.mkdtemp(prefix='warble-pg-replica-'))
        self.data = directory / 'pgdata'
        if self.as_user:
            os.chmod(directory, 0o777)
        subprocess.run([*self.as_user, str(self.bin_dir / 'pg_basebackup'), '-h', '127.0.0.1',
                        '-p', str(primary.port), '-U', 'postgres', '-D', str(self.data), '-R',
                        '-X', 'stream', '-C', '-S', self.slot, '-c', 'fast', '--no-sync'],
                       check=True, stdout=subprocess.DEVNULL)
        self.command = [*self.as_user, str(self.bin_dir / 'postgres'), '-D', str(self.data),
                        '-p', str(self.port), '-c', 'listen_addresses=127.0.0.1',
                        '-c', f'unix_socket_directories={directory}', '-c', 'fsync=off',
                        '-c', 'hot_standby=on', '-c', 'max_connections=200']
        self.process = None
        self.start()

    def sql(self, statement: str, database: str = 'postgres') -> object:
        """The first value `statement` returns on this replica."""
        import psycopg
        with psycopg.connect(self.url(database), autocommit=True, connect_timeout=2) as conn:
            row = conn.execute(statement).fetchone()
        return row and row[0]

    def pause(self) -> None:
        """Stop replaying what the primary sends (it is still received)."""
        self.sql('SELECT pg_wal_replay_pause()')

    def resume(self) -> None:
        self.sql('SELECT pg_wal_replay_resume()')

    def caught_up(self) -> bool:
        """Whether this replica has replayed everything the primary has written so far."""
        import psycopg

        from models.replicas import WRITTEN_SQL, record_end
        with psycopg.connect(self.primary.url(), autocommit=True) as conn:
            written = record_end(*conn.execute(WRITTEN_SQL).fetchone())
        return bool(self.sql(f"SELECT pg_last_wal_replay_lsn() >= '{written}'::pg_lsn"))

    def stop(self) -> None:
        super().stop()
        import psycopg
        with contextlib.suppress(psycopg.Error), psycopg.connect(
                self.primary.url(), autocommit=True, connect_timeout=2) as conn:
            conn.execute('SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots '
                         'WHERE slot_name = %s', (self.slot,))


def start_process(command: list[str], environ: dict[str, str], log: Path) -> subprocess.Popen:
    """A Warble process (worker, gunicorn, dev.py) with its output in `log`."""
    with open(log, 'ab') as output:
        return subprocess.Popen(command, cwd=ROOT, env=bootstrap.child_environ(**environ),
                                stdout=output, stderr=subprocess.STDOUT, start_new_session=True)


def worker_command(solo: bool = True) -> list[str]:
    """`tasks.py worker` with a solo pool, else `celery.concurrency` processes."""
    pool = ['-P', 'solo'] if solo else []
    return [PYTHON, 'tasks.py', 'worker', '--loglevel', 'INFO', *pool, '--without-mingle',
            '--without-gossip']


def start_worker(environ: dict[str, str], log: Path, solo: bool = True) -> subprocess.Popen:
    """A Celery worker (`worker_command`) on the broker of `environ`, once it answers a ping."""
    process = start_process(worker_command(solo), environ, log)
    try:
        wait_for_worker(environ, f'celery worker ({log})')
    except TimeoutError:
        stop(process)
        raise
    return process


def wait_for_worker(environ: dict[str, str], what: str) -> None:
    """Until a Celery worker on the broker of `environ` answers a ping (30 s at most)."""
    from lib import config, jobs
    jobs.configure(config.load(environ))
    wait_for(lambda: jobs.ping_workers(0.5) > 0, timeout=30, what=what)


def start_gunicorn(environ: dict[str, str], log: Path, workers: int = 2,
                   app: str = 'app:application') -> tuple[subprocess.Popen, str]:
    """`app` under gunicorn with gevent workers on a free loopback port; returns the process
    and its base URL once it answers."""
    port = free_port()
    return serve([PYTHON, '-m', 'gunicorn', '-k', 'gevent', '-w', str(workers),
                  '--no-control-socket', '-b', f'127.0.0.1:{port}', app],
                 environ, log, port, 30, 'gunicorn')


def start_web(environ: dict[str, str], log: Path, workers: int = 2) -> tuple[
        subprocess.Popen, str]:
    """`web.py`, as production runs it (gunicorn, gevent workers), on a free loopback port;
    returns the process and its base URL once it answers."""
    port = free_port()
    return serve([PYTHON, 'web.py'], dict(
        environ, WARBLE_SERVER_PORT=str(port), WARBLE_SERVER_WORKERS=str(workers)), log, port, 60,
        'web.py')


def serve(command: list[str], environ: dict[str, str], log: Path, port: int, timeout: float,
          what: str) -> tuple[subprocess.Popen, str]:
    """Start `command` and wait until it answers on `port`; stop it if it does not."""
    from urllib.request import urlopen
    process = start_process(command, environ, log)
    url = f'http://127.0.0.1:{port}'
    try:
        wait_for(lambda: urlopen(f'{url}/openapi.json', timeout=1).status == 200,
                 timeout=timeout, what=f'{what} (log: {log})')
    except TimeoutError:
        stop(process)
        raise
    return process, url
