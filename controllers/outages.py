"""A database that cannot answer (down, restarting, out of connections) is a clean 503 for the
request that met it, counted in the metrics, and nothing more: the next request tries again."""
from __future__ import annotations

import logging

import peewee
from playhouse.pool import MaxConnectionsExceeded

from controllers.errors import Unavailable
from lib import metrics
from lib.logs import Throttle

DATABASE_DOWN = (peewee.OperationalError, peewee.InterfaceError, MaxConnectionsExceeded)

log = logging.getLogger('warble.outages')
throttle = Throttle()


def unavailable(exc: Exception) -> Unavailable | None:
    """The `Unavailable` answer for a database failure, or None for any other exception."""
    if not isinstance(exc, DATABASE_DOWN):
        return None
    metrics.database_error(type(exc).__name__)
    if throttle.ready():
        log.warning('database unavailable: %s',
                    (str(exc).strip() or type(exc).__name__).splitlines()[0])
    return Unavailable('The database is unavailable; try again in a moment.')
