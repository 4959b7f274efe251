"""Database binding: the Peewee database chosen by URL, the base model, and migrations."""
from __future__ import annotations

import select
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from urllib.parse import urlparse

import peewee
from playhouse.db_url import parseresult_to_dict
from playhouse.migrations import Runner
from playhouse.pool import MaxConnectionsExceeded, PooledDatabase, PooledPostgresqlDatabase

from lib.config import Section, resolve

MIGRATIONS = Path(__file__).resolve().parent / 'migrations'
SQLITE_PRAGMAS = {'journal_mode': 'wal', 'foreign_keys': 1, 'synchronous': 'normal'}
SQLITE_BUSY = 5              # the primary result code of every "database is locked"
LOCK_WAITS = ('55P03', '40P01')  # PostgreSQL: lock_timeout expired, deadlock broken
# What a database that cannot answer raises: down, restarting, out of connections, or busy.
DATABASE_DOWN = (peewee.OperationalError, peewee.InterfaceError, MaxConnectionsExceeded)

# The database the current greenlet (or thread) reads from when it is not the primary: set only
# by `routed_to`, within a read that `models/replicas.py` sent to a replica.
_routed: ContextVar[peewee.Database | None] = ContextVar('warble_routed_database', default=None)


class RoutedDatabase(peewee.DatabaseProxy):
    """The database every model is bound to: the primary, or within `routed_to(replica)` that
    replica, for this greenlet only. Models, statements and transactions follow it unchanged."""

    __slots__ = ('primary',)
    __setattr__ = object.__setattr__

    def __init__(self) -> None:
        self._callbacks = []
        self.initialize(None)

    def initialize(self, obj: peewee.Database | None) -> None:
        self.primary = obj
        for callback in self._callbacks:
            callback(obj)

    @property
    def obj(self) -> peewee.Database | None:
        routed = _routed.get()
        return self.primary if routed is None else routed


database = RoutedDatabase()


@contextmanager
def routed_to(replica: peewee.Database) -> Iterator[None]:
    """Run what is within on `replica` (this greenlet only), its connection given back after."""
    token = _routed.set(replica)
    try:
        yield
    finally:
        _routed.reset(token)
        if not replica.is_closed():
            replica.close()


def is_routed() -> bool:
    """Whether this greenlet reads a replica now."""
    return _routed.get() is not None


def in_transaction() -> bool:
    """Whether the primary has a transaction open here: reads within it stay on it."""
    return database.primary is not None and database.primary.in_transaction()


class BaseModel(peewee.Model):
    """Base of every model: bound to the configured database, snake_case table names.

    Columns that store client input are declared without a size: the service's rule book in
    `controllers/` sets how long such a value may be, the migration that made the column gave it
    that size, and `tests/test_rule_book.py` checks the two agree."""

    class Meta:
        database = database
        legacy_table_names = False


class DatabaseUnavailable(Exception):
    """The configured database cannot be reached."""


class Duplicate(Exception):
    """A write would repeat what a unique index allows once (a taken name)."""


class FairPooledPostgresqlDatabase(PooledPostgresqlDatabase):
    """A pool that serves waiting requests in the order they came. Peewee's own lets a newcomer
    take a connection that was freed while others waited, so under load one unlucky request
    could wait out the whole timeout; here waiters queue on a line and only its head waits for
    the pool."""

    def __init__(self, *args, check_idle_seconds: float = 0.0, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._line = threading.Lock()
        self._check_idle = check_idle_seconds
        self._returned: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def _can_reuse(self, conn) -> bool:
        """Peewee's check-in test; a connection kept is stamped with when it came back."""
        reusable = super()._can_reuse(conn)
        if reusable:
            self._returned[conn] = time.monotonic()
        return reusable

    def _is_closed(self, conn) -> bool:
        """Peewee's check-out test costs a `SELECT 1` round trip. A connection back for less than
        `check_idle_seconds` on which the server has sent nothing (a server that shuts down
        says so and closes the socket, which makes it readable) is handed out as it is; one
        broken anyway fails its request with a clean 503 and is dropped on check-in."""
        returned = self._returned.pop(conn, None)
        if (returned is not None and time.monotonic() - returned < self._check_idle
                and not conn.closed and not select.select([conn.fileno()], [], [], 0)[0]):
            return False
        return super()._is_closed(conn)

    def connect(self, reuse_if_open: bool = False) -> bool:
        if not self.is_closed() or not self._wait_timeout:
            return super().connect(reuse_if_open)
        wait = self._wait_timeout
        deadline = time.monotonic() + wait
        if not self._line.acquire(timeout=-1 if wait == float('inf') else wait):
            raise MaxConnectionsExceeded('Max connections exceeded, timed out waiting in line.')
        try:
            while True:
                try:
                    return super(PooledDatabase, self).connect(reuse_if_open)
                except MaxConnectionsExceeded:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        raise
                    with self._pool_available:
                        self._pool_available.wait(timeout=min(remaining, 1.0))
        finally:
            self._line.release()


def open_database(settings: Section, url: str | None = None) -> peewee.Database:
    """A Peewee database for `settings.url`: SQLite (WAL, foreign keys) or pooled PostgreSQL.

    A write waits at most `settings.busy_timeout` seconds for a lock another transaction holds.
    SQLite transactions begin IMMEDIATE, taking the write lock first: a deferred one that reads
    (FTS5 triggers read their index before writing) could not wait for it and would fail at
    once with "database is locked" whenever another write is under way."""
    parsed = urlparse(url or settings.url)
    if parsed.scheme == 'sqlite':
        path = parsed.path[1:]
        if path != ':memory:':
            path = str(resolve(path))
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        return peewee.SqliteDatabase(path, pragmas=SQLITE_PRAGMAS, timeout=settings.busy_timeout,
                                     lock_type='IMMEDIATE')
    if parsed.scheme in ('postgres', 'postgresql'):
        kwargs = parseresult_to_dict(parsed, unquote_password=True, unquote_user=True)
        kwargs.setdefault('connect_timeout', 5)
        kwargs['options'] = (f"{kwargs.get('options', '')} "
                             f'-c lock_timeout={round(settings.busy_timeout * 1000)}').strip()
        return FairPooledPostgresqlDatabase(
            kwargs.pop('database'), max_connections=settings.pool_size,
            stale_timeout=settings.stale_timeout, timeout=settings.pool_timeout,
            check_idle_seconds=settings.check_idle_seconds, **kwargs)
    raise ValueError(f'database.url: unsupported scheme {parsed.scheme!r} '
                     '(use sqlite:/// or postgresql://)')


def configure(settings: Section) -> peewee.Database:
    """Bind the models to the database described by the `database` settings."""
    db = open_database(settings)
    database.initialize(db)
    return db


def transaction() -> peewee._atomic:
    """The context in which a controller's behaviour runs as one transaction (nested: a
    savepoint). On SQLite it begins IMMEDIATE (see `open_database`)."""
    return database.atomic()


def window(query: peewee.SelectBase, page: int, size: int) -> peewee.SelectBase:
    """The rows of page `page` (from 1) of `query`, `size` to a page, and one more: it tells
    whether another page follows."""
    bounds = window_bounds(page, size)
    return query.limit(bounds['limit']).offset(bounds['offset'])


def window_bounds(page: int, size: int) -> dict[str, int]:
    """The LIMIT and OFFSET of `window`: also the values of a prepared statement's `limit`
    and `offset` slots."""
    return {'limit': size + 1, 'offset': (page - 1) * size}


def check_connection() -> float:
    """Run `SELECT 1`; return how long it took in milliseconds, or raise DatabaseUnavailable."""
    started = time.perf_counter()
    opened = False
    try:
        opened = database.connect(reuse_if_open=True)
        database.execute_sql('SELECT 1').fetchone()
    except peewee.PeeweeException as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DatabaseUnavailable(reason) from exc
    finally:
        if opened:
            database.close()
    return (time.perf_counter() - started) * 1000


def is_lock_wait(exc: BaseException) -> bool:
    """Whether `exc` is a statement that gave up waiting for a lock other writes held (the
    database is busy, not down): SQLite's "database is locked", PostgreSQL's lock timeout or a
    broken deadlock."""
    if not isinstance(exc, peewee.OperationalError):
        return False
    cause = exc.__context__
    code = getattr(cause, 'sqlite_errorcode', None)
    if code is not None:
        return code & 0xFF == SQLITE_BUSY
    return getattr(cause, 'sqlstate', None) in LOCK_WAITS


def outage_kind(exc: BaseException) -> str | None:
    """'busy' when `exc` only waited too long for a lock or for a free pooled connection (other
    requests hold them all), 'down' when the database could not answer at all, None when `exc`
    is no database outage."""
    if not isinstance(exc, DATABASE_DOWN):
        return None
    return 'busy' if is_lock_wait(exc) or isinstance(exc, MaxConnectionsExceeded) else 'down'


def release() -> None:
    """Give back this thread's connection: to the pool for PostgreSQL, closed for SQLite."""
    if not database.is_closed():
        database.close()


def close_all() -> None:
    """Close every connection of this process, the pool's idle ones too: a process about to
    fork must not hand its sockets to children that would all talk over them at once."""
    release()
    if isinstance(database.obj, PooledPostgresqlDatabase):
        database.obj.close_all()


def is_postgres() -> bool:
    return isinstance(database.obj, peewee.PostgresqlDatabase)


def refresh_statistics() -> None:
    """Refresh the planner's statistics (stale right after a bulk insert) and the search index;
    on PostgreSQL, VACUUM also merges the pending entries of the GIN index."""
    database.execute_sql('VACUUM ANALYZE' if is_postgres() else 'PRAGMA optimize')


def migrations() -> Runner:
    """The migration runner over `models/migrations/`."""
    return Runner(database.obj, str(MIGRATIONS))
