"""Streaming replicas of the primary PostgreSQL (`database.replica_urls`), and the pins that keep a
user who just wrote on the primary.

A replica is used while its replay lag is within `replica_max_lag_seconds`. The lag is found (a
query on the primary, one on the replica) at most once per `replica_check_seconds` per process,
by the request that finds the last check too old; a replica that lags further, or does not
answer, is skipped until a later check finds it well again. A pin (`pin(subject)`) is kept for
`pin_seconds` in this process at once and in Redis (purpose `sessions`, which does not evict)
for every other host; Redis that does not answer counts as a pin: the read stays on the primary.
"""
from __future__ import annotations

import logging
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlparse

import peewee
from redis import RedisError

from lib.config import Section
from models.db import DATABASE_DOWN, open_database, routed_to
from models.redisdb import get_redis

# Where the primary's WAL ends (commits not yet flushed included, as `synchronous_commit = off`
# shows them), and the size of a WAL page.
WRITTEN_SQL = ("SELECT pg_current_wal_insert_lsn()::text, current_setting('wal_block_size')")
PAGE_HEADER_MAX = 40  # bytes: a WAL page's header, the long one that starts a segment
# Whether the replica has replayed up to there, and up to where it ended at the check before;
# when the last commit it replayed was made.
REPLAYED_SQL = ('SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn, '
                'pg_last_wal_replay_lsn() >= %s::pg_lsn, '
                'EXTRACT(EPOCH FROM pg_last_xact_replay_timestamp())')
CONNECT_SECONDS = 1  # a replica that does not accept a connection by then is skipped
PIN_KEY = 'replica:pin:{subject}'
LOCAL_PINS_MAX = 10000  # past this many, pins that ended are dropped from this process

log = logging.getLogger('warble.replicas')


class Replica:
    """One replica: its pooled database and what its last lag check found."""

    def __init__(self, database: peewee.Database, name: str):
        self.database, self.name = database, name
        self.checked = float('-inf')  # monotonic time of the last check
        self.lag: float | None = None  # seconds behind at that check; None: down or unknown
        self.as_of = 0.0               # wall time up to which it held every commit then
        self.mark: tuple[str, float | None] = ('0/0', None)  # where the primary's WAL ended at
        # the last check that reached both, and when

    def check(self, primary: peewee.Database) -> None:
        """Find how far behind the primary this replica is: one query on each (pooled). Caught
        up to where the primary's WAL ended when asked, it holds every commit made before then;
        else those before the check it is caught up to, or up to the last commit it replayed
        (on a quiet primary that one may be old, but the check before tells better)."""
        self.checked = time.monotonic()
        asked = time.time()
        try:
            written = record_end(*_first(primary, WRITTEN_SQL))
            now, before, replayed_at = _first(self.database, REPLAYED_SQL,
                                              (written, self.mark[0]))
        except DATABASE_DOWN as exc:
            self.down(exc)
            return
        held = [float(replayed_at)] if replayed_at is not None else []
        held += [asked] if now else [self.mark[1]] if before and self.mark[1] else []
        self.mark = (written, asked)
        self.lag = max(time.time() - max(held), 0.0) if held else None
        if held:
            self.as_of = max(held)

    def down(self, reason: BaseException | None = None) -> None:
        """Skip this replica until its next check."""
        if self.lag is not None:
            log.warning('replica %s skipped: %s', self.name,
                        str(reason).strip().splitlines()[0] if reason else 'down')
        self.lag = None
        self.checked = time.monotonic()


_replicas: list[Replica] = []
_settings: Section | None = None
_primary: peewee.Database | None = None
_local_pins: dict[str, float] = {}


def configure(settings: Section, primary: peewee.Database) -> None:
    """Open a pool for each of `settings.replica_urls` (replicas of a PostgreSQL `primary`);
    none by default."""
    global _settings, _primary
    close_all()
    _replicas.clear()
    _settings, _primary = settings, primary
    if settings.replica_urls and not isinstance(primary, peewee.PostgresqlDatabase):
        raise ValueError('database.replica_urls: replicas need a PostgreSQL database.url')
    _local_pins.clear()
    for url in settings.replica_urls:
        parsed = urlparse(url)
        if parsed.scheme not in ('postgres', 'postgresql'):
            raise ValueError(f'database.replica_urls: {parsed.scheme!r} is no PostgreSQL URL')
        if 'connect_timeout' not in parsed.query:
            url += f'{"&" if parsed.query else "?"}connect_timeout={CONNECT_SECONDS}'
        _replicas.append(Replica(open_database(settings, url), parsed.hostname or url))


def configured() -> bool:
    return bool(_replicas)


def choose() -> Replica | None:
    """A replica within the lag bound, checked within `replica_check_seconds`; None when none
    is (then read the primary)."""
    now = time.monotonic()
    usable = []
    for replica in _replicas:
        if now - replica.checked >= _settings.replica_check_seconds:
            replica.check(_primary)
        if replica.lag is not None and replica.lag <= _settings.replica_max_lag_seconds:
            usable.append(replica)
    return random.choice(usable) if usable else None


@contextmanager
def reading_on(replica: Replica) -> Iterator[None]:
    """Run what is within on `replica`; a database failure marks it down and goes on up."""
    try:
        with routed_to(replica.database):
            yield
    except DATABASE_DOWN as exc:
        replica.down(exc)
        raise


def pin(subject: str) -> None:
    """Keep reads about `subject` (`user:<id>`) on the primary for `pin_seconds`: in this
    process at once, on every host through Redis."""
    if not _replicas:
        return
    seconds = _settings.pin_seconds
    if len(_local_pins) > LOCAL_PINS_MAX:
        now = time.monotonic()
        for ended in [key for key, until in _local_pins.items() if until <= now]:
            del _local_pins[ended]
    _local_pins[subject] = time.monotonic() + seconds
    try:
        get_redis('sessions').set(PIN_KEY.format(subject=subject), 1, px=round(seconds * 1000))
    except RedisError as exc:
        log.warning('pin of %s kept in this process only: %s', subject, exc)


def pinned(subject: str) -> bool:
    """Whether reads about `subject` must stay on the primary (also when Redis cannot say)."""
    if _local_pins.get(subject, 0.0) > time.monotonic():
        return True
    try:
        return bool(get_redis('sessions').exists(PIN_KEY.format(subject=subject)))
    except RedisError:
        return True


def record_end(lsn: str, page_bytes: str) -> str:
    """Where the last WAL record ends, given where the next one goes: after a record that ends
    a page, that is past the next page's header, which a replica that replayed the record has
    not reached (no record ends within a header)."""
    high, low = lsn.split('/')
    position = int(high, 16) << 32 | int(low, 16)
    within = position % int(page_bytes)
    if within <= PAGE_HEADER_MAX:
        position -= within
    return f'{position >> 32:X}/{position & 0xFFFFFFFF:X}'


def _first(database: peewee.Database, sql: str, params: tuple = ()) -> tuple:
    """The first row of `sql`, on a connection of this greenlet (taken from the pool for it,
    and given back, unless it was open already)."""
    opened = database.connect(reuse_if_open=True)
    try:
        return database.execute_sql(sql, params).fetchone()
    finally:
        if opened:
            database.close()


def close_all() -> None:
    """Close every replica connection of this process (before it forks; on a new set-up)."""
    for replica in _replicas:
        replica.database.close_all()
