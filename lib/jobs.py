"""Celery, seen from the web side: the Celery app, sending tasks by name, pinging workers.

`tasks.py` builds the worker from the same `make_celery`, so both ends share one configuration.
"""
from __future__ import annotations

from typing import Any

from celery import Celery
from kombu.exceptions import OperationalError

from lib.config import Section
from lib.logs import request_id
from lib.utils.urlkit import celery_broker_url

_celery: Celery | None = None
OFFER_RETRY = {'max_retries': 1, 'interval_start': 0, 'interval_step': 0, 'interval_max': 0}


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
    global _celery
    _celery = make_celery(settings)
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


def ping_workers(timeout: float) -> int:
    """How many workers answered a ping within `timeout` seconds (stops at the first)."""
    return len(celery().control.ping(timeout=timeout, limit=1) or [])
