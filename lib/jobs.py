"""Celery, seen from the web side: the Celery app, sending tasks by name, pinging workers.

`tasks.py` builds the worker from the same `make_celery`, so both ends share one configuration.
"""
from __future__ import annotations

import threading
import time
from typing import Any

from celery import Celery
from kombu.exceptions import OperationalError

from lib.config import Section
from lib.logs import request_id
from lib.utils.urlkit import celery_broker_url

_celery: Celery | None = None
_shared_ping: SharedPing | None = None
OFFER_RETRY = {'max_retries': 1, 'interval_start': 0, 'interval_step': 0, 'interval_max': 0}
PING_REUSE_SECONDS = 1.0


def make_celery(settings: Section) -> Celery:
    """A Celery app on the Redis broker: late acknowledgement, no lost work on worker loss."""
    broker = celery_broker_url(settings.redis)
    app = Celery('warble', broker=broker)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_ignore_result=True,
        broker_connection_retry_on_startup=True,
        broker_transport_options={'visibility_timeout': 3600},
        worker_hijack_root_logger=False,
        timezone='UTC',
        enable_utc=True,
    )
    return app


def configure(settings: Section) -> Celery:
    """Make the process-wide Celery app used to send tasks and ping workers."""
    global _celery, _shared_ping
    _celery = make_celery(settings)
    _shared_ping = SharedPing(PING_REUSE_SECONDS)  # its lock made after gevent patched threading
    return _celery


def celery() -> Celery:
    if _celery is None:
        raise RuntimeError('lib.jobs.configure() was not called')
    return _celery


def send(name: str, *args: Any, **kwargs: Any) -> None:
    """Enqueue the task called `name`, carrying the id of the request that causes it."""
    celery().send_task(name, args=args, kwargs=kwargs, headers=_headers(None))


def offer(name: str, *args: Any, cause: str | None = None) -> bool:
    """Enqueue the task called `name` now, or return False at once when the broker is out of
    reach (one reconnection is tried): for callers that keep the work to hand over later.
    The task carries the request id `cause`, by default that of the request being served."""
    try:
        celery().send_task(name, args=args, headers=_headers(cause), retry=True,
                           retry_policy=OFFER_RETRY)
    except OperationalError:
        return False
    return True


def _headers(cause: str | None) -> dict[str, str]:
    return {'request_id': cause or request_id.get()}


class PingFailed(Exception):
    """The ping of the workers could not be sent or collected."""


class SharedPing:
    """One ping of the workers answers every caller of the same moment.

    A caller that comes while a ping is in flight waits for its answer, and an answer serves
    whoever asks within `reuse` seconds of it. Besides sparing the broker, this keeps a burst of
    `/status` checks alive: a Celery broadcast holds a pooled broker connection while it waits
    for a producer, which needs another, so ten broadcasts at once (the pool's size) waited for
    each other forever and stuck every later ping and task sent from the process."""

    def __init__(self, reuse: float):
        self.reuse = reuse
        self._lock = threading.Lock()
        self._answered = float('-inf')
        self._outcome: int | Exception = 0

    def __call__(self, timeout: float) -> int:
        asked = time.monotonic()
        if not self._lock.acquire(timeout=2 * timeout):
            raise TimeoutError('the ping of the workers under way has not come back')
        try:
            if self._answered < asked - self.reuse:
                try:
                    self._outcome = len(celery().control.ping(timeout=timeout, limit=1) or [])
                except Exception as exc:  # noqa: BLE001 - shared with the callers waiting
                    self._outcome = exc
                self._answered = time.monotonic()
            if isinstance(self._outcome, Exception):
                raise PingFailed(str(self._outcome).strip() or type(self._outcome).__name__) \
                    from self._outcome
            return self._outcome
        finally:
            self._lock.release()


def ping_workers(timeout: float) -> int:
    """How many workers answered a ping within `timeout` seconds (stops at the first); callers
    of the same moment share one ping (`SharedPing`)."""
    if _shared_ping is None:
        raise RuntimeError('lib.jobs.configure() was not called')
    return _shared_ping(timeout)
