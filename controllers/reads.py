"""Which reads may go to a replica, and for whom (see `models/replicas.py`).

A read marked `@replica_read` runs on a replica when one is fresh enough and the request is
anonymous, or comes from a user who has not written within `database.pin_seconds`; everything
else (writes, reads inside a transaction, Celery tasks, commands, a signed-in request whose user
is not known yet) stays on the primary. A replica that fails the read, or does not find what was
asked for (written a moment ago), leaves it to the primary: the caller sees no difference.
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from contextvars import ContextVar
from typing import TypeVar

from controllers.errors import NotFound
from models import replicas
from models.db import DATABASE_DOWN, in_transaction, is_routed

T = TypeVar('T')
PRIMARY = 'primary'      # the viewer of work that must read the primary
ANONYMOUS = 'anonymous'  # the viewer of a request without credentials

# Who the current request reads for: PRIMARY, ANONYMOUS or a user id. Set at each request's start.
_viewer: ContextVar[str | int] = ContextVar('warble_viewer', default=PRIMARY)
# The wall time up to which the replicas this request read held every commit; None: none read.
_as_of: ContextVar[float | None] = ContextVar('warble_replica_as_of', default=None)


def begin_request(anonymous: bool) -> None:
    """A request starts: anonymous ones may read replicas at once; one with credentials once
    `signed_in` names its user."""
    _viewer.set(ANONYMOUS if anonymous else PRIMARY)
    _as_of.set(None)


def signed_in(user_id: int, writes: bool) -> None:
    """The request is `user_id`'s; a request that writes pins the user to the primary."""
    if writes:
        replicas.pin(user_subject(user_id))
    _viewer.set(user_id)


def user_subject(user_id: int) -> str:
    return f'user:{user_id}'


def replica_read(method: Callable[..., T]) -> Callable[..., T]:
    """Let this read run on a replica (see the module's docstring)."""
    @functools.wraps(method)
    def wrapper(*args, **kwargs) -> T:
        return read(lambda: method(*args, **kwargs))
    return wrapper


def read(work: Callable[[], T]) -> T:
    """`work()` on a replica when this request may use one, else (or when it fails) on the
    primary."""
    replica = _replica()
    if replica is None:
        return work()
    try:
        with replicas.reading_on(replica):
            result = work()
    except (NotFound, *DATABASE_DOWN):
        return work()
    seen = _as_of.get()
    _as_of.set(replica.as_of if seen is None else min(seen, replica.as_of))
    return result


def replica_as_of() -> float | None:
    """The wall time up to which what this request read holds every commit; None when it read
    only the primary. A shared page read from a replica is kept only if no write it shows came
    later (`controllers/cache.py`)."""
    return _as_of.get()


def _replica() -> replicas.Replica | None:
    viewer = _viewer.get()
    if viewer == PRIMARY or not replicas.configured() or is_routed() or in_transaction():
        return None
    if viewer != ANONYMOUS and replicas.pinned(user_subject(viewer)):
        return None
    return replicas.choose()
