"""A throwaway Warble for the load and fault scripts (and the fault tests): its own PostgreSQL
and Redis, and `web.py` (gunicorn with gevent workers) as production runs it, in a temporary
directory; with ways to kill a worker, stop Redis or restart PostgreSQL underneath it."""
from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import tempfile
from pathlib import Path

import psycopg
import requests

from lib import bootstrap
from tests.metrics import value
from tests.servers import PYTHON, ROOT, PostgresServer, RedisServer, start_web, stop

PASSWORD = 'stack-password'
CHEAP_PASSWORDS = {'WARBLE_PASSWORDS_TIME_COST': '1', 'WARBLE_PASSWORDS_MEMORY_KIB': '1024',
                   'WARBLE_PASSWORDS_PARALLELISM': '1'}


class Stack(contextlib.ExitStack):
    """PostgreSQL, Redis and `web.py` with `workers` workers, role `web`; `settings` are more
    `WARBLE_*` variables. Leaving the `with` block stops everything and removes the directory."""

    def __init__(self, workers: int = 2, postgres: type[PostgresServer] = PostgresServer,
                 **settings: str):
        super().__init__()
        self.workers, self.postgres_class, self.settings = workers, postgres, settings

    def __enter__(self) -> Stack:
        super().__enter__()
        try:
            self.work = Path(self.enter_context(tempfile.TemporaryDirectory(
                prefix='warble-stack-')))
            self.redis = RedisServer(self.work)
            self.callback(self.redis.stop)
            self.postgres = self.postgres_class()
            self.callback(self.postgres.stop)
            self.database_url = self.postgres.create_database('warble')
            self.environ = {'WARBLE_ROLE': 'web', 'WARBLE_DATABASE_URL': self.database_url,
                            'WARBLE_REDIS_URL': self.redis.url,
                            'WARBLE_PATHS_VAR': str(self.work / 'var'), **CHEAP_PASSWORDS,
                            **self.settings}
            migrated = subprocess.run([PYTHON, 'manage.py', 'migrate'], cwd=ROOT,
                                      env=bootstrap.child_environ(**self.environ),
                                      capture_output=True, text=True)
            if migrated.returncode:
                raise RuntimeError(f'migrate failed: {migrated.stderr}')
            self.log = self.work / 'web.log'
            self.process, self.url = start_web(self.environ, self.log, self.workers)
            self.callback(stop, self.process)
        except BaseException:
            self.close()
            raise
        return self

    def worker_pids(self) -> list[int]:
        """The gunicorn workers (children of the master)."""
        pid = self.process.pid
        return [int(child) for child in
                Path(f'/proc/{pid}/task/{pid}/children').read_text().split()]

    def kill_worker(self) -> int:
        """SIGKILL one worker, as the kernel's OOM killer would; gunicorn starts another."""
        pid = self.worker_pids()[0]
        os.kill(pid, signal.SIGKILL)
        return pid

    def users(self, count: int) -> list[tuple[str, dict]]:
        """`count` new users, signed up and logged in: (username, headers with their token)."""
        made = []
        with requests.Session() as session:
            for number in range(count):
                name = f'user{number}'
                session.post(f'{self.url}/api/v1/users', timeout=30, json={
                    'username': name, 'email': f'{name}@example.com', 'password': PASSWORD})
                token = session.post(f'{self.url}/api/v1/token', timeout=30, json={
                    'grant_type': 'password', 'username': name, 'password': PASSWORD}).json()
                made.append((name, {'Authorization': f'Bearer {token["access_token"]}'}))
        return made

    def metrics(self) -> str:
        return requests.get(f'{self.url}/metrics', timeout=30).text

    def cache_hits(self) -> float:
        return value(self.metrics(), 'warble_cache_lookups_total', result='hit')

    def stored_posts(self, ids: list[int]) -> set[int]:
        """Which of these post ids the database holds."""
        with psycopg.connect(self.database_url) as connection:
            rows = connection.execute('SELECT id FROM micropost WHERE id = ANY(%s)', [ids])
            return {row[0] for row in rows}


def rss_kib(pid: int) -> int:
    """Resident memory of a process, in KiB."""
    for line in Path(f'/proc/{pid}/status').read_text().splitlines():
        if line.startswith('VmRSS:'):
            return int(line.split()[1])
    return 0
