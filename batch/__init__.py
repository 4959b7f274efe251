"""Celery tasks, one module per worker; thin, they call controllers."""
from batch import monitoring
from controllers.boot import start

# Modules whose tasks the worker registers.
MODULES: list[str] = []

__all__ = ['MODULES', 'monitoring', 'start']
