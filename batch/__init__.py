"""Celery tasks, one module per worker; thin, they call controllers."""
from celery.signals import task_postrun, worker_init

from batch import monitoring
from controllers.boot import close_connections, release_connection, start

# Modules whose tasks the worker registers.
MODULES: list[str] = ['batch.exports', 'batch.notifications', 'batch.stats',
                      'batch.timelines']


@worker_init.connect
def _close_connections(**_) -> None:
    """Before the pool forks: the start-up check left a connection in the pool, and pool
    processes sharing it would mix up each other's queries."""
    close_connections()


@task_postrun.connect
def _release_connection(**_) -> None:
    """Each task returns its database connection, as each request does."""
    release_connection()


__all__ = ['MODULES', 'monitoring', 'start']
