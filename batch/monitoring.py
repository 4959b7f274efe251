"""The worker's side of observability: a task logs under the id of the request that caused it,
and its outcome and duration go to the metrics (the web's `/metrics` on the same host)."""
from __future__ import annotations

import time

from celery import signals

from lib import logs, metrics
from lib.config import get_settings

_running: dict[str, tuple[float, object]] = {}


@signals.worker_init.connect
def prepare_metrics(**_) -> None:
    """In the main worker process, before its pool starts: forget the files of a previous run,
    and answer scrapes on `metrics.worker_port` when set."""
    settings = get_settings()
    if settings.metrics.enabled:
        metrics.prepare(metrics.directory_of(settings))
        if settings.metrics.worker_port:
            metrics.serve(settings.metrics.worker_port)


@signals.task_prerun.connect
def task_started(task_id: str, task, **_) -> None:
    token = logs.request_id.set(getattr(task.request, 'request_id', None) or '-')
    _running[task_id] = (time.perf_counter(), token)


@signals.task_postrun.connect
def task_ended(task_id: str, task, state: str | None = None, **_) -> None:
    started, token = _running.pop(task_id, (None, None))
    seconds = None if started is None else time.perf_counter() - started
    metrics.task_finished(task.name, (state or 'unknown').lower(), seconds)
    if token is not None:
        logs.request_id.reset(token)
