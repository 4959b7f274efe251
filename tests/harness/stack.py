"""A throwaway Warble for the load and fault scripts (and the fault tests): its own PostgreSQL
and Redis, and `web.py` (gunicorn with gevent workers) as production runs it, in a temporary
directory, with Celery and an SMTP server on request; with ways to kill a web or Celery worker,
stop Redis or restart PostgreSQL underneath it. As systemd does in production (`Restart=always`),
the Celery worker and beat are started again whenever they exit."""
from __future__ import annotations

import collections
import contextlib
import datetime as dt
import os
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import psycopg
import requests

from lib import bootstrap
from models.outbox import SENT
from tests.harness.metrics import value
from tests.harness.servers import (
    PYTHON,
    ROOT,
    PostgresServer,
    RedisServer,
    start_process,
    start_web,
    stop,
    wait_for,
    wait_for_worker,
    worker_command,
)
from tests.harness.smtp import SmtpServer

PASSWORD = 'stack-password'
CHEAP_PASSWORDS = {'WARBLE_PASSWORDS_TIME_COST': '1', 'WARBLE_PASSWORDS_MEMORY_KIB': '1024',
                   'WARBLE_PASSWORDS_PARALLELISM': '1'}
# Load runs sign up their users from one address and write as fast as they can: no rate limits
# (0 turns a limit off); a run about the limits themselves sets them in `settings`.
NO_LIMITS = {'WARBLE_LIMITS_SIGNUPS_PER_ADDRESS': '0', 'WARBLE_LIMITS_POSTS_PER_USER': '0',
             'WARBLE_LIMITS_FOLLOWS_PER_USER': '0'}
# Claims and hand-overs that run out in 2 s, a sweep every 0.5 s, two pool processes.
MAIL_TIMING = {'WARBLE_MAIL_LEASE_SECONDS': '2', 'WARBLE_MAIL_RETRY_SECONDS': '0.2',
               'WARBLE_MAIL_SWEEP_SECONDS': '0.5', 'WARBLE_CELERY_CONCURRENCY': '2'}
BEAT = [PYTHON, 'tasks.py', 'beat']
# From marking an e-mail sent to the kill that cut it before its end of data, at most.
IN_DOUBT_SECONDS = 0.5


class Supervised:
    """A process, started again `RESTART_SECONDS` after it exits, as systemd does for Warble's
    units; `restarts` counts those starts, each noted in the log."""

    RESTART_SECONDS = 0.5

    def __init__(self, command: list[str], environ: dict[str, str], log: Path):
        self.command, self.environ, self.log = command, environ, log
        self.process = start_process(command, environ, log)
        self.restarts = 0
        self._closing = threading.Event()
        self._watcher = threading.Thread(target=self._watch, daemon=True)
        self._watcher.start()

    def _watch(self) -> None:
        while not self._closing.wait(self.RESTART_SECONDS):
            if self.process.poll() is not None:
                with open(self.log, 'a') as log:
                    log.write(f'[stack] exited with {self.process.returncode}; started again\n')
                self.restarts += 1
                self.process = start_process(self.command, self.environ, self.log)

    def close(self) -> None:
        self._closing.set()
        self._watcher.join()
        stop(self.process)


class Stack(contextlib.ExitStack):
    """PostgreSQL, Redis and `web.py` with `workers` workers, role `web`; with `cache_maxmemory`,
    a second Redis for the page cache bounded at that size; with `mail`, a Celery
    worker and beat sending mention e-mails to an SMTP server (`smtp`) that takes `smtp_delay`
    seconds at each step; `settings` are more `WARBLE_*` variables. Leaving the `with` block
    stops everything and removes the directory."""

    def __init__(self, workers: int = 2, postgres: type[PostgresServer] = PostgresServer,
                 mail: bool = False, smtp_delay: float = 0.02, cache_maxmemory: str = '',
                 **settings: str):
        super().__init__()
        self.cache_maxmemory = cache_maxmemory
        self.workers, self.postgres_class, self.settings = workers, postgres, settings
        self.mail, self.smtp_delay = mail, smtp_delay
        self.celery_kills: list[float] = []  # when, as time.time()

    def __enter__(self) -> Stack:
        super().__enter__()
        try:
            self.work = Path(self.enter_context(tempfile.TemporaryDirectory(
                prefix='warble-stack-')))
            self.redis = RedisServer(self.work)
            self.callback(self.redis.stop)
            if self.cache_maxmemory:  # the page cache on a bounded Redis of its own
                cache = RedisServer(self.work, 'redis-cache', maxmemory=self.cache_maxmemory)
                self.callback(cache.stop)
                self.settings = {'WARBLE_REDIS_CACHE_URL': cache.url, **self.settings}
            self.postgres = self.postgres_class()
            self.callback(self.postgres.stop)
            self.database_url = self.postgres.create_database('warble')
            if self.mail:
                self.smtp = SmtpServer(delay=self.smtp_delay).start()
                self.callback(self.smtp.stop)
                self.settings = {**self.smtp.environ(), **MAIL_TIMING, **self.settings}
            self.environ = {'WARBLE_ROLE': 'web', 'WARBLE_DATABASE_URL': self.database_url,
                            'WARBLE_REDIS_URL': self.redis.url,
                            'WARBLE_PATHS_VAR': str(self.work / 'var'), **CHEAP_PASSWORDS,
                            **NO_LIMITS, **self.settings}
            migrated = subprocess.run([PYTHON, 'manage.py', 'migrate'], cwd=ROOT,
                                      env=bootstrap.child_environ(**self.environ),
                                      capture_output=True, text=True)
            if migrated.returncode:
                raise RuntimeError(f'migrate failed: {migrated.stderr}')
            self.log = self.work / 'web.log'
            self.process, self.url = start_web(self.environ, self.log, self.workers)
            self.callback(stop, self.process)
            if self.mail:
                self.beat = Supervised(BEAT, self.environ, self.work / 'beat.log')
                self.callback(self.beat.close)
                self.celery = Supervised(worker_command(solo=False), self.environ,
                                         self.work / 'celery.log')
                self.callback(self.celery.close)
                wait_for_worker(self.environ, 'the Celery worker')
        except BaseException:
            self.close()
            raise
        return self

    def worker_pids(self) -> list[int]:
        """The gunicorn workers (children of the master)."""
        return children(self.process.pid)

    def kill_worker(self) -> int:
        """SIGKILL one worker, as the kernel's OOM killer would; gunicorn starts another."""
        pid = self.worker_pids()[0]
        os.kill(pid, signal.SIGKILL)
        return pid

    def kill_celery(self, whole: bool) -> None:
        """SIGKILL a pool process of the Celery worker (its main process starts another), or
        with `whole` the worker and its pool together, and wait until it is started again."""
        killed = self.celery.process
        if whole:
            os.killpg(killed.pid, signal.SIGKILL)
        else:
            os.kill(children(killed.pid)[0], signal.SIGKILL)
        self.celery_kills.append(time.time())
        if whole:
            wait_for(lambda: self.celery.process is not killed, what='the Celery worker restart')
            wait_for_worker(self.environ, 'the Celery worker started again')

    def emails(self, post_ids: list[int], timeout: float = 600.0) -> dict:
        """Once no e-mail is owed unsent and none arrived for a second: the e-mails owed for
        these posts; those of them not received (key: state), apart from those lost to a Celery
        kill in the one instant `controllers/outbox.py` cannot cover (marked sent, the end of
        data not written yet: sent less than `IN_DOUBT_SECONDS` before a kill); those received
        more than once; those sent again after a try cut short; how long that took to settle."""
        started = time.monotonic()

        def settled() -> bool:
            before = len(self.smtp.messages)
            backlog = value(self.metrics(), 'warble_outbox_backlog_emails')
            time.sleep(1.0)
            return backlog == 0 and len(self.smtp.messages) == before
        try:
            wait_for(settled, timeout=timeout, what='every e-mail owed sent')
        except TimeoutError:
            raise TimeoutError(
                f'e-mails still owed after {timeout:.0f} s; outbox by state: '
                f'{self.outbox_states()}; Celery worker restarts: {self.celery.restarts}, beat '
                f'restarts: {self.beat.restarts}; the end of celery.log:\n'
                + tail(self.work / 'celery.log')) from None
        received = collections.Counter(
            received.message['Message-ID'].strip('<>').partition('@')[0]
            for received in self.smtp.messages)
        with psycopg.connect(self.database_url) as connection:
            owed = {key: (attempts, state, sent) for key, attempts, state, sent in
                    connection.execute('SELECT key, attempts, state, sent FROM outbox_email '
                                       'WHERE micropost_id = ANY(%s)', [post_ids])}
        missing = {key: owed[key] for key in sorted(set(owed) - set(received))}
        lost_at_kill = sorted(key for key, (_, state, sent) in missing.items()
                              if state == SENT and self._killed_just_after(sent))
        return {'emails_owed': len(owed),
                'emails_missing': {key: state for key, (_, state, _) in missing.items()
                                   if key not in lost_at_kill},
                'emails_lost_at_kill': lost_at_kill,
                'emails_doubled': sorted(key for key, count in received.items() if count > 1),
                'emails_sent_again': sum(attempts > 1 for attempts, _, _ in owed.values()),
                'emails_settled_in': time.monotonic() - started}

    def _killed_just_after(self, sent: dt.datetime) -> bool:
        at = sent.replace(tzinfo=dt.UTC).timestamp()
        return any(0 <= kill - at < IN_DOUBT_SECONDS for kill in self.celery_kills)

    def outbox_states(self) -> dict[str, int]:
        with psycopg.connect(self.database_url) as connection:
            return dict(connection.execute(
                'SELECT state, COUNT(*) FROM outbox_email GROUP BY state').fetchall())

    def users(self, count: int, prefix: str = 'user') -> list[tuple[str, dict]]:
        """`count` new users, signed up and logged in: (username, headers with their token)."""
        made = []
        with requests.Session() as session:
            for number in range(count):
                name = f'{prefix}{number}'
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


def children(pid: int) -> list[int]:
    return [int(child) for child in Path(f'/proc/{pid}/task/{pid}/children').read_text().split()]


def tail(path: Path, lines: int = 20) -> str:
    return '\n'.join(path.read_text(errors='replace').splitlines()[-lines:])


def rss_kib(pid: int) -> int:
    """Resident memory of a process, in KiB."""
    for line in Path(f'/proc/{pid}/status').read_text().splitlines():
        if line.startswith('VmRSS:'):
            return int(line.split()[1])
    return 0
