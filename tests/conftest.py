"""Fixtures: real Redis and PostgreSQL for the session; each database test runs on both backends."""
from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from controllers import boot
from lib import config
from models import db, redisdb
from tests.harness.browser import browser, people, screens, web_server  # noqa: F401 - fixtures
from tests.harness.rpc import start_rpc
from tests.harness.servers import (
    PYTHON,
    PostgresServer,
    RedisServer,
    free_port,
    start_process,
    start_worker,
    stop,
)

BACKENDS = ('sqlite', 'postgres')
CACHE_MAXMEMORY = '16mb'
# Modules that start browsers, hosts, whole stacks or long fuzzing runs: `-m "not slow"` leaves
# them out while working; `make test` and CI run them.
SLOW_MODULES = frozenset({
    'test_analyzer_concurrency', 'test_bootstrap', 'test_browser_accounts', 'test_browser_analyzer',
    'test_browser_login_csrf', 'test_browser_microposts', 'test_browser_profiles',
    'test_browser_shell',
    'test_browser_stats', 'test_deploy', 'test_dev', 'test_dev_load', 'test_faults',
    'test_fuzz', 'test_gevent', 'test_mention_emails', 'test_nginx', 'test_provisioning',
    'test_release', 'test_streams', 'test_workers'})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.module.__name__.rpartition('.')[2] in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope='session')
def server_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp('servers')


@pytest.fixture(scope='session')
def redis_server(server_dir):
    server = RedisServer(server_dir)
    yield server
    server.stop()


@pytest.fixture(scope='session')
def cache_redis_server(server_dir):
    """The page cache's own Redis, bounded and evicting as in production (`redis.cache_url`)."""
    server = RedisServer(server_dir, 'redis-cache', maxmemory=CACHE_MAXMEMORY)
    yield server
    server.stop()


@pytest.fixture(scope='session')
def postgres_server():
    server = PostgresServer()
    yield server
    server.stop()


@pytest.fixture(scope='session')
def database_urls() -> dict:
    """One migrated database per backend, made on first use."""
    return {}


def database_url(backend: str, request, server_dir: Path, urls: dict) -> str:
    if backend not in urls:
        if backend == 'postgres':
            server = request.getfixturevalue('postgres_server')
            urls[backend] = server.create_database('warble_test')
        else:
            urls[backend] = f'sqlite:///{server_dir / "warble-test.db"}'
    return urls[backend]


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    """Every test that touches the database runs once on SQLite and once on PostgreSQL."""
    return request.param


def warble_environ(database: str, redis: str, var: Path, cache: str) -> dict:
    return {'WARBLE_ROLE': 'test', 'WARBLE_DATABASE_URL': database, 'WARBLE_REDIS_URL': redis,
            'WARBLE_REDIS_CACHE_URL': cache, 'WARBLE_PATHS_VAR': str(var),
            'WARBLE_GRPC_PORT': str(free_port())}


@pytest.fixture
def environ(request, backend, server_dir, redis_server, cache_redis_server, database_urls,
            tmp_path) -> dict:
    """The environment of a Warble process under test, on this run's backend."""
    return warble_environ(database_url(backend, request, server_dir, database_urls),
                          redis_server.url, tmp_path / 'var', cache_redis_server.url)


@pytest.fixture
def postgres_environ(request, server_dir, redis_server, cache_redis_server, database_urls,
                     tmp_path) -> dict:
    """The environment of a Warble process on PostgreSQL only, for production-only behaviour."""
    environ = warble_environ(database_url('postgres', request, server_dir, database_urls),
                             redis_server.url, tmp_path / 'var', cache_redis_server.url)
    with migrated(environ):
        yield environ


@pytest.fixture
def settings(environ) -> config.Section:
    """Settings of this run, bound, migrated, and emptied afterwards."""
    with migrated(environ) as settings:
        yield settings


@contextlib.contextmanager
def migrated(environ: dict) -> Iterator[config.Section]:
    """The settings of `environ`, bound and migrated; the data emptied when done."""
    settings = config.load(environ)
    boot.configure(settings)
    db.migrations().up()
    try:
        yield settings
    finally:
        reset_database()
        empty_redis()


def empty_redis() -> None:
    """Forget the cached pages, the counts of the rate limits and the revoked tokens (on the
    broker's Redis)."""
    for purpose in ('cache', 'ratelimit', 'sessions'):
        redisdb.get_redis(purpose).flushall()


def reset_database() -> None:
    """Empty every table but the migration history, restarting ids."""
    database = db.database
    tables = [name for name in database.get_tables() if name != 'schema_migration']
    if not db.is_postgres():  # virtual tables (FTS5) and their shadows follow their content
        tables = [row[1] for row in database.execute_sql('PRAGMA main.table_list')
                  if row[1] in tables and row[2] == 'table']
    if not tables:
        return
    with database.atomic():
        if db.is_postgres():
            database.execute_sql('TRUNCATE {} RESTART IDENTITY CASCADE'.format(
                ', '.join(f'"{name}"' for name in tables)))
        else:
            database.execute_sql('PRAGMA defer_foreign_keys = ON')
            for name in tables:
                database.execute_sql(f'DELETE FROM "{name}"')
            if 'sqlite_sequence' in {row[0] for row in database.execute_sql(
                    "SELECT name FROM sqlite_master WHERE type='table'")}:
                database.execute_sql('DELETE FROM sqlite_sequence')
    database.close()


@pytest.fixture
def app(settings):
    """The WSGI app under WebTest, on the backend of this run."""
    import webtest

    import api
    return webtest.TestApp(api.create_wsgi(settings))


@pytest.fixture
def celery_worker(request, tmp_path):
    """A real Celery worker on the test Redis broker (with `environ` or `postgres_environ`)."""
    environ = request.getfixturevalue(
        'postgres_environ' if 'postgres_environ' in request.fixturenames else 'environ')
    process = start_worker(environ, tmp_path / 'worker.log')
    yield process
    stop(process)


@pytest.fixture
def rpc_server(request, tmp_path):
    """`rpc.py` on the gRPC port of `environ` (or `postgres_environ`); its target."""
    environ = request.getfixturevalue(
        'postgres_environ' if 'postgres_environ' in request.fixturenames else 'environ')
    process, target = start_rpc(environ, tmp_path / 'rpc.log')
    yield target
    stop(process)


@pytest.fixture
def celery_beat(environ, tmp_path):
    """Celery beat sending the periodic tasks of `tasks.beat_schedule` (with `environ`)."""
    config.resolve(environ['WARBLE_PATHS_VAR']).mkdir(parents=True, exist_ok=True)
    process = start_process([PYTHON, 'tasks.py', 'beat', '--loglevel', 'INFO'], environ,
                            tmp_path / 'beat.log')
    yield process
    stop(process)


@pytest.fixture
def smtp_server():
    """A real SMTP server (aiosmtpd) on a loopback port, keeping what it accepts."""
    from tests.harness.smtp import SmtpServer
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def client(settings):
    """The WSGI app under a WebTest client that checks answers against /openapi.json."""
    import api
    from tests.harness.apiclient import CheckedApp
    return CheckedApp(api.create_wsgi(settings))


@pytest.fixture
def alice(client) -> dict:
    """A signed-up user `alice`: the headers that authenticate as her."""
    from tests.harness.apiclient import sign_up
    return sign_up(client, 'alice')


@pytest.fixture
def bob(client) -> dict:
    from tests.harness.apiclient import sign_up
    return sign_up(client, 'bob')
