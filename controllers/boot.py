"""Start-up of a Warble process: logging, database, Redis and Celery from the settings."""
from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TypeVar

from controllers import avatars, events, exports, feeds, limits, outbox, users
from controllers.errors import DomainError
from lib import jobs, logs, metrics
from lib.config import ConfigError, Section, get_settings, resolve
from models import db, ids, redisdb, replicas

T = TypeVar('T')
__all__ = ['DomainError', 'StartupError', 'configure', 'release_connection', 'start']


class StartupError(Exception):
    """Warble cannot start; the message is the one line an operator reads."""


def configure(settings: Section, check_database: bool = True) -> None:
    """Bind logging, metrics and every store to the settings; refuse to start when the
    database is unreachable or the id shard is out of range."""
    logs.configure(settings.logging)
    if not 0 <= settings.ids.shard < ids.SHARDS:
        raise StartupError(f'ids.shard must be 0..{ids.SHARDS - 1} (one number per host), '
                           f'not {settings.ids.shard}')
    ids.configure(settings.ids.shard, resolve(settings.paths.var) / 'ids')
    metrics.configure(metrics.directory_of(settings) if settings.metrics.enabled else None)
    try:
        replicas.configure(settings.database, db.configure(settings.database))
    except ValueError as exc:
        raise StartupError(str(exc)) from None
    redisdb.configure(settings.redis)
    users.configure(settings.passwords)
    limits.configure(settings.limits)
    outbox.configure(settings.mail)
    feeds.configure(settings.timelines)
    events.configure(settings.streams)
    avatars.configure(settings)
    exports.configure(settings.exports, resolve(settings.paths.var))
    jobs.configure(settings)
    if check_database:
        try:
            db.check_connection()
        except db.DatabaseUnavailable as exc:
            raise StartupError(f'database unreachable ({settings.database.url.split("@")[-1]}): '
                               f'{exc}') from None


def release_connection() -> None:
    """Return this request's database connection (to the pool, for PostgreSQL)."""
    db.release()


def close_connections() -> None:
    """Close every database connection of this process (before it forks workers)."""
    db.close_all()
    replicas.close_all()


def start(build: Callable[[Section], T], exit_code: int = 1) -> T:
    """Load the settings, configure, and `build`; on a bad start print one line and exit."""
    try:
        settings = get_settings()
        configure(settings)
        return build(settings)
    except (ConfigError, StartupError) as exc:
        print(f'warble: cannot start: {exc}', file=sys.stderr, flush=True)
        raise SystemExit(exit_code) from None
