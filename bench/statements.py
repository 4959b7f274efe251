"""Counting the statements a server sends PostgreSQL, for bench/floor.py: cheaply per run from
pg_stat_statements, exactly over a counted pass from PostgreSQL's own log."""
from __future__ import annotations

import contextlib
import re
import time
from collections import Counter
from collections.abc import Iterator

import psycopg

from bench.microposts import ServerPostgres

RELOAD_SECONDS = 0.5  # for every backend, then the log collector, to take a reload in


class StatementsPostgres(ServerPostgres):
    """bench/microposts.py's PostgreSQL with pg_stat_statements loaded, counting utility
    statements (BEGIN, COMMIT) too, and a log whose lines start with their database's name."""

    def start(self) -> None:
        self.command = [*self.command, '-c', 'shared_preload_libraries=pg_stat_statements',
                        '-c', 'pg_stat_statements.track_utility=on', '-c', 'logging_collector=on',
                        '-c', f'log_directory={self.directory / "log"}',
                        '-c', 'log_filename=postgresql.log', '-c', 'log_line_prefix=%d|']
        super().start()


class Statements:
    """The statements one database runs, read over a connection to another one (the extension
    is created in both), so that reading them is not counted.

    `total` (pg_stat_statements) is cheap, but short: psycopg prepares a statement after its
    fifth run, BEGIN and COMMIT too, and PostgreSQL 15 leaves utility statements run as
    prepared statements out of pg_stat_statements. `counting` (the log, with log_statement set
    to all meanwhile) is exact."""

    def __init__(self, postgres: StatementsPostgres, database: str):
        for name in (database, 'postgres'):
            with psycopg.connect(postgres.url(name), autocommit=True) as conn:
                conn.execute('CREATE EXTENSION IF NOT EXISTS pg_stat_statements')
        self.conn = psycopg.connect(postgres.url(), autocommit=True)
        self.dbid = self.conn.execute('SELECT oid FROM pg_database WHERE datname = %s',
                                      (database,)).fetchone()[0]
        self.log = postgres.directory / 'log' / 'postgresql.log'
        self.line = re.compile(rf'^{re.escape(database)}\|LOG:  (?:statement|execute [^:]*): (.*)$')

    def total(self) -> int:
        """Calls of every statement pg_stat_statements counted so far."""
        return int(self.conn.execute('SELECT coalesce(sum(calls), 0) FROM pg_stat_statements '
                                     'WHERE dbid = %s', (self.dbid,)).fetchone()[0])

    @contextlib.contextmanager
    def counting(self) -> Iterator[Counter]:
        """Every statement run within, by its text (filled in as the block ends)."""
        offset = self.log.stat().st_size
        self._log_statements('all')
        seen: Counter = Counter()
        yield seen
        self._log_statements('none')
        with self.log.open(errors='replace') as log:
            log.seek(offset)
            seen.update(found.group(1) for found in map(self.line.match, log) if found)

    def close(self) -> None:
        self.conn.close()

    def _log_statements(self, which: str) -> None:
        self.conn.execute(f"ALTER SYSTEM SET log_statement = '{which}'")
        self.conn.execute('SELECT pg_reload_conf()')
        time.sleep(RELOAD_SECONDS)
