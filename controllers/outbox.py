"""E-mails from the outbox (mentions, and the links of account tickets): each delivered once,
whichever process dies when.

Why exactly once. A worker first claims the row (a random token and a lease, committed), then
speaks SMTP up to the "." that ends the DATA. Until the server reads that line it holds nothing:
a connection lost before it cancels the transaction (RFC 5321 §3.8). Only there is the row marked
SENT, on condition that the claim is still ours, and only once that commit succeeded is the "."
written. So:
- killed before the SENT commit: the server drops the unfinished message; the lease runs out,
  the sweep hands the row on, and another worker sends it, once;
- killed after it: the row is SENT and is never sent again, by redelivery or sweep;
- a slow worker whose lease ran out finds its claim taken at the commit and drops the connection
  before the ".": two workers never both end the same message.
The one gap left is the instant between the SENT commit and writing "." (local work, no network
wait): a kill exactly there loses that e-mail instead of doubling it. No SMTP client can close
it, as a client cannot learn whether a message it never saw confirmed arrived (RFC 1047); marking
SENT after the server's reply instead would stretch the gap over the server's whole processing
time, and double. DELIVERED records the server's reply; a SENT row without it is in doubt.
"""
from __future__ import annotations

import datetime as dt
import logging
import secrets

from controllers.account_email import ticket_email
from controllers.mention_email import mention_email
from lib import jobs, mail
from lib.config import Section
from lib.utils.datekit import utcnow
from models import outbox as store
from models.db import DATABASE_DOWN, transaction

DELIVER_TASK = 'notifications.deliver'
MAX_ATTEMPTS = 10
MAX_WAIT = 3600.0
SWEEP_BATCH = 500

log = logging.getLogger('warble.outbox')
_lease = dt.timedelta(seconds=120)


def configure(settings: Section) -> None:
    """Take the lease of a claim (and of a hand-over to Celery) from the `mail` settings."""
    global _lease
    _lease = dt.timedelta(seconds=settings.lease_seconds)


def lease_end() -> dt.datetime:
    """When a row handed over or claimed now becomes the sweep's again."""
    return utcnow() + _lease


def backlog() -> dict | None:
    """E-mails owed and not sent yet, and the age in seconds of the oldest (0 without any);
    None when the database cannot answer."""
    try:
        owed = store.backlog()
    except DATABASE_DOWN:
        return None
    age = (utcnow() - owed['oldest']).total_seconds() if owed['oldest'] else 0.0
    return {'emails': owed['emails'], 'oldest_seconds': max(age, 0.0)}


class RetryLater(Exception):
    """The e-mail could not be sent for now; try again after `seconds`."""

    def __init__(self, seconds: float):
        super().__init__(f'retry in {seconds:.0f} s')
        self.seconds = seconds


def relay(keys: list[str], causes: dict[str, str | None] | None = None) -> int:
    """Hand e-mails to Celery, right after the commit that owes them; those the broker cannot
    take now are left due at once, for the sweep. Each task carries the request id `causes`
    gives its key, by default the current one. How many were handed over."""
    handed = 0
    for key in keys:
        if not jobs.offer(DELIVER_TASK, key, cause=(causes or {}).get(key)):
            break
        handed += 1
    if handed < len(keys):
        log.warning('broker unreachable: %d e-mail(s) left to the sweep', len(keys) - handed)
        with transaction():
            store.due_now(keys[handed:], utcnow())
    return handed


class OutboxController:
    """Delivers owed e-mails, one per call, and sweeps up those left behind."""

    def __init__(self, settings: Section):
        self.settings = settings

    def deliver(self, key: str) -> str:
        """Send the e-mail `key` unless it is sent, failed, gone or claimed by another worker;
        the outcome. Raises RetryLater when it failed for now."""
        claim = secrets.token_hex(16)
        row = self._claim(key, claim)
        if row is None:
            return 'skipped'
        if row['ticket_id'] is not None:
            message = ticket_email(self.settings, row, claim)
            if message is None:
                with transaction():
                    store.release(key, claim, True, 'its link expired before it was sent',
                                  lease_end())
                return 'expired'
        else:
            message = mention_email(self.settings, row)
        try:
            accepted = mail.send(self.settings.mail, message, lambda: self._mark_sent(key, claim))
        except mail.NotSent as exc:
            return self._not_sent(key, claim, row['attempts'], exc)
        except mail.InDoubt as exc:
            log.warning('%s: %s; it stays sent, in doubt', key, exc)
            return 'in doubt'
        if not accepted:
            log.info('%s: claimed by another worker meanwhile; not sent here', key)
            return 'taken over'
        with transaction():
            store.mark_delivered(key, utcnow())
        return 'delivered'

    def sweep(self) -> int:
        """Hand on every e-mail whose time came (never handed over, its retry lost, or its
        worker gone); how many."""
        handed = 0
        while True:
            now = utcnow()
            causes = store.due_causes(now, SWEEP_BATCH)
            keys = list(causes)
            if not keys:
                return handed
            with transaction():
                store.hand_on(keys, now, lease_end())
            sent_on = relay(keys, causes)
            handed += sent_on
            if sent_on < len(keys) or len(keys) < SWEEP_BATCH:
                return handed

    def _claim(self, key: str, claim: str) -> dict | None:
        """Take the row for this worker; with what the e-mail says, or None."""
        with transaction():
            taken = store.claim(key, claim, lease_end())
        if not taken:
            return None
        return store.email(key)

    def _mark_sent(self, key: str, claim: str) -> bool:
        """The point of no return: SENT, if the claim is still ours."""
        with transaction():
            return store.mark_sent(key, claim, utcnow())

    def _not_sent(self, key: str, claim: str, attempts: int, exc: mail.NotSent) -> str:
        """Give the row up (refused for good, or out of attempts), or raise RetryLater."""
        final = exc.permanent or attempts >= MAX_ATTEMPTS
        wait = min(self.settings.mail.retry_seconds * 2 ** (attempts - 1), MAX_WAIT)
        with transaction():
            store.release(key, claim, final, str(exc), lease_end() + dt.timedelta(seconds=wait))
        if final:
            log.error('%s: not sent after %d attempt(s), giving up: %s', key, attempts, exc)
            return 'failed'
        log.warning('%s: not sent (attempt %d), retrying in %.0f s: %s', key, attempts, wait, exc)
        raise RetryLater(wait)
