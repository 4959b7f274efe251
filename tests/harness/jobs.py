"""Tasks for the tests' Celery worker (`tasks.py worker --include tests.harness.jobs`)."""
import logging

from celery import shared_task

log = logging.getLogger('tests.harness.jobs')


@shared_task(name='tests.say')
def say(text: str) -> None:
    """Log `text`; fail when it is `fail`."""
    log.warning('said %s', text)
    if text == 'fail':
        raise ValueError('asked to fail')
