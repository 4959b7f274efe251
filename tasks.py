"""Celery entry point: the Celery app and its beat schedule.

`python3 tasks.py worker` runs a worker, `python3 tasks.py beat` the scheduler; any other
Celery command works the same way.
"""
import sys

from lib import bootstrap

if __name__ == '__main__':
    bootstrap.prepare()
bootstrap.use_vendor()

from celery.schedules import crontab

import batch
from lib import jobs
from lib.config import Section, resolve


def beat_schedule(settings: Section) -> dict:
    """Periodic tasks, timed from the settings (UTC)."""
    sweep, feeds = settings.mail.sweep_seconds, settings.timelines.sweep_seconds
    exports = settings.exports.sweep_seconds
    return {
        'sweep the outbox': {'task': 'notifications.sweep', 'schedule': sweep,
                             'options': {'expires': sweep}},  # a late sweep is outrun by the next
        'sweep the feed work': {'task': 'timelines.sweep', 'schedule': feeds,
                                'options': {'expires': feeds}},
        'sweep the exports': {'task': 'exports.sweep', 'schedule': exports,
                              'options': {'expires': exports}},
        'daily statistics': {'task': 'stats.daily',
                             'schedule': crontab(hour=settings.stats.hour,
                                                 minute=settings.stats.minute)},
    }


def build(settings: Section):
    celery = jobs.celery()
    celery.conf.include = batch.MODULES
    celery.conf.beat_schedule = beat_schedule(settings)
    celery.conf.beat_schedule_filename = str(resolve(settings.paths.var) / 'celerybeat-schedule')
    celery.conf.worker_concurrency = settings.celery.concurrency
    return celery


celery = batch.start(build)

if __name__ == '__main__':
    celery.start(argv=sys.argv[1:])
