"""Health of the parts Warble depends on: database, Redis, the Celery workers and the gRPC
server beside the web server."""
from __future__ import annotations

import time
from collections.abc import Callable

from lib import jobs
from lib.config import Section
from lib.utils.netkit import accept_connections
from lib.version import version
from models.db import check_connection
from models.redisdb import ping


class StatusController:
    """Reports each dependency as `{"ok": bool, "ms": float}` plus an error when it failed."""

    def __init__(self, settings: Section):
        self.settings = settings

    def report(self) -> dict:
        checks = {
            'database': self._timed(check_connection),
            # The Redis of the rate limits (and, by default, the broker); the page cache has
            # its own, whose outage only leaves pages uncached.
            'redis': self._timed(lambda: ping('ratelimit')),
            'celery': self._timed(self._ping_celery),
            # Whether the gRPC server accepts connections; it reports the database's health
            # itself through the gRPC health service.
            'grpc': self._timed(self._reach_grpc),
        }
        healthy = all(check['ok'] for check in checks.values())
        return {'status': 'ok' if healthy else 'degraded', 'version': version(), 'checks': checks}

    def database_ok(self) -> bool:
        """Whether the database answers now (the gRPC health service's question)."""
        return self._timed(check_connection)['ok']

    def _ping_celery(self) -> None:
        if not jobs.ping_workers(self.settings.celery.ping_timeout):
            raise RuntimeError('no worker answered')

    def _reach_grpc(self) -> None:
        rpc = self.settings.grpc
        accept_connections(rpc.host, rpc.port, self.settings.celery.ping_timeout)

    @staticmethod
    def _timed(check: Callable[[], object]) -> dict:
        started = time.perf_counter()
        try:
            check()
        except Exception as exc:  # noqa: BLE001 - any failure is reported, not raised
            return {'ok': False, 'ms': _ms_since(started), 'error': _one_line(exc)}
        return {'ok': True, 'ms': _ms_since(started)}


def _ms_since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)


def _one_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
