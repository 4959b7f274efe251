"""Prometheus metrics of every Warble process, kept in files of one directory per host
(prometheus-client's multiprocess mode), so that gunicorn and Celery workers add up in one answer.

`configure` is called by each process; `prepare` once by whatever starts a group of processes
(gunicorn's master, the Celery worker, `dev.py`), before they record anything.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    start_http_server,
    values,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4 as CONTENT_TYPE
from prometheus_client.multiprocess import MultiProcessCollector

from lib.config import Section, resolve

__all__ = ['CONTENT_TYPE', 'OutboxBacklog', 'configure', 'directory_of', 'exposition', 'prepare',
           'serve']

REQUEST_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
TASK_BUCKETS = (0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0, 30.0, 60.0, 300.0)
PROCESS_FILE = re.compile(r'_(\d+)\.db$')


class Metrics:
    """What Warble counts; made anew for each directory (the objects write to its files)."""

    def __init__(self):
        self.requests = Counter(
            'warble_http_requests_total', 'HTTP requests answered, by route rule and status',
            ['method', 'route', 'status'], registry=None)
        self.request_seconds = Histogram(
            'warble_http_request_duration_seconds', 'Time to answer HTTP requests',
            ['method', 'route', 'status'], buckets=REQUEST_BUCKETS, registry=None)
        self.cache_lookups = Counter(
            'warble_cache_lookups_total', 'Page cache lookups by result: hit, miss, error',
            ['result'], registry=None)
        self.database_errors = Counter(
            'warble_database_errors_total', 'Requests failed by an unreachable or busy database',
            ['error'], registry=None)
        self.redis_errors = Counter(
            'warble_redis_errors_total', 'Redis calls that failed, by purpose of the server',
            ['purpose'], registry=None)
        self.tasks = Counter(
            'warble_celery_tasks_total', 'Celery tasks run, by task and final state '
            '(success, failure, retry)', ['task', 'state'], registry=None)
        self.task_seconds = Histogram(
            'warble_celery_task_duration_seconds', 'Time Celery tasks ran',
            ['task'], buckets=TASK_BUCKETS, registry=None)
        self.children: dict[tuple, Counter | Histogram] = {}

    def child(self, metric: Counter | Histogram, *labels: str) -> Counter | Histogram:
        """`metric.labels(*labels)`, kept: the lookup costs as much as the count itself."""
        key = (metric, labels)
        found = self.children.get(key)
        if found is None:
            found = self.children[key] = metric.labels(*labels)
        return found


class OutboxBacklog:
    """Gauges of the outbox measured at scrape time: `{'emails', 'oldest_seconds'}`."""

    def __init__(self, backlog: dict):
        self.backlog = backlog

    def collect(self):
        yield GaugeMetricFamily('warble_outbox_backlog_emails',
                                'Mention e-mails owed and not sent yet',
                                value=self.backlog['emails'])
        yield GaugeMetricFamily('warble_outbox_backlog_oldest_seconds',
                                'Age of the oldest e-mail owed and not sent yet (0 without any)',
                                value=self.backlog['oldest_seconds'])


_metrics: Metrics | None = None
_directory: Path | None = None


def directory_of(settings: Section) -> Path:
    """`metrics.directory`, by default `metrics/` under `paths.var`."""
    configured = settings.metrics.directory
    return resolve(configured) if configured else resolve(settings.paths.var) / 'metrics'


def configure(directory: Path | None) -> None:
    """Record into `directory` from now on; None turns recording off."""
    global _metrics, _directory
    values.close_all_multiprocess_files()  # of an earlier configuration of this process
    _metrics, _directory = None, directory
    if directory is None:
        return
    directory.mkdir(parents=True, exist_ok=True)
    # prometheus-client names each process's files from this variable when it makes a value.
    os.environ['PROMETHEUS_MULTIPROC_DIR'] = str(directory)
    values.ValueClass = values.MultiProcessValue()
    _metrics = Metrics()


def prepare(directory: Path) -> None:
    """Make `directory` and remove the files of processes that are gone (a previous run)."""
    directory.mkdir(parents=True, exist_ok=True)
    for path in directory.glob('*.db'):
        found = PROCESS_FILE.search(path.name)
        if found and not _alive(int(found.group(1))):
            path.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def registry(collectors: Iterable = ()) -> CollectorRegistry:
    """Every process's metrics added up, plus `collectors` (measured when collected)."""
    found = CollectorRegistry()
    if _directory is not None:
        MultiProcessCollector(found, path=str(_directory))
    for collector in collectors:
        found.register(collector)
    return found


def exposition(collectors: Iterable = ()) -> bytes:
    """`registry(collectors)` in the Prometheus text format."""
    return generate_latest(registry(collectors))


def serve(port: int) -> None:
    """Answer scrapes on the loopback `port` from a thread (a Celery worker has no web server)."""
    start_http_server(port, addr='127.0.0.1', registry=registry())


def request_answered(method: str, route: str, status: str, seconds: float) -> None:
    if _metrics is not None:
        _metrics.child(_metrics.requests, method, route, status).inc()
        _metrics.child(_metrics.request_seconds, method, route, status).observe(seconds)


def cache_lookup(result: str) -> None:
    if _metrics is not None:
        _metrics.child(_metrics.cache_lookups, result).inc()


def database_error(error: str) -> None:
    if _metrics is not None:
        _metrics.child(_metrics.database_errors, error).inc()


def redis_error(purpose: str) -> None:
    if _metrics is not None:
        _metrics.child(_metrics.redis_errors, purpose).inc()


def task_finished(task: str, state: str, seconds: float | None) -> None:
    if _metrics is not None:
        _metrics.child(_metrics.tasks, task, state).inc()
        if seconds is not None:
            _metrics.child(_metrics.task_seconds, task).observe(seconds)
