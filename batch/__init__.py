"""Celery tasks, one module per worker; thin, they call controllers."""
from celery.signals import task_postrun

from controllers.boot import release_connection, start

# Modules whose tasks the worker registers.
MODULES: list[str] = ['batch.notifications', 'batch.stats']


@task_postrun.connect
def _release_connection(**_) -> None:
    """Each task returns its database connection, as each request does."""
    release_connection()


__all__ = ['MODULES', 'start']
