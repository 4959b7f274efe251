"""A database that cannot answer (down, restarting, out of connections) is a clean 503 for the
request that met it, counted in the metrics, and nothing more: the next request tries again.

A database busy with other writes past the wait allowed (`database.busy_timeout`), or whose
pooled connections other requests held past `database.pool_timeout`, is a 503 of its own, `busy`
with `Retry-After`: nothing is down, the request only came at a crowded moment."""
from __future__ import annotations

import logging

from controllers.errors import Busy, Unavailable
from lib import metrics
from lib.logs import Throttle
from models.db import outage_kind

BUSY_RETRY_AFTER = 1  # seconds: a queue of writes drains in about that

log = logging.getLogger('warble.outages')
throttle = Throttle()


def unavailable(exc: Exception) -> Unavailable | None:
    """The `Unavailable` answer for a database failure (`Busy` when it only waited too long for
    a lock or a connection), or None for any other exception."""
    kind = outage_kind(exc)
    if kind is None:
        return None
    if kind == 'busy':
        metrics.database_error('busy')
        return Busy('The database is busy with other requests; try again in a moment.',
                    BUSY_RETRY_AFTER)
    metrics.database_error(type(exc).__name__)
    if throttle.ready():
        log.warning('database unavailable: %s',
                    (str(exc).strip() or type(exc).__name__).splitlines()[0])
    return Unavailable('The database is unavailable; try again in a moment.')
