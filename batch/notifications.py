"""E-mails of the outbox (mentions, account links): deliver one, and sweep up those left
behind. Thin: how each is sent exactly once is `controllers/outbox.py`'s business."""
from __future__ import annotations

from celery import shared_task

from controllers.outbox import OutboxController, RetryLater
from lib.config import get_settings


@shared_task(name='notifications.deliver', bind=True, max_retries=None)
def deliver(self, key: str) -> str:
    """Send the e-mail `key` of the outbox, unless that is done or under way elsewhere."""
    try:
        return OutboxController(get_settings()).deliver(key)
    except RetryLater as later:
        raise self.retry(countdown=later.seconds) from None


@shared_task(name='notifications.sweep')
def sweep() -> int:
    """Hand on the e-mails whose time came; how many."""
    return OutboxController(get_settings()).sweep()
