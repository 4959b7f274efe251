"""The outbox: e-mails owed, each written in the transaction that owes it, and the state of its
delivery (see `controllers/outbox.py`). A mention e-mail names the post that names its
recipient; an account e-mail (a password reset, an e-mail change) names its ticket."""
from __future__ import annotations

import datetime as dt
import functools
import operator

import peewee

from lib.utils.datekit import utcnow
from models import ids
from models.db import BaseModel
from models.microposts import Micropost
from models.tickets import AccountTicket
from models.users import User

PENDING = 'pending'      # owed; handed to Celery again by the sweep once `due`
SENDING = 'sending'      # claimed by one worker (`claim`) until `due`
SENT = 'sent'            # the end of its data went to the SMTP server: never sent again
DELIVERED = 'delivered'  # the SMTP server accepted it
FAILED = 'failed'        # refused for good, or out of attempts (`error` says why)


class OutboxEmail(BaseModel):
    id = ids.primary_key()
    key = peewee.CharField(max_length=100, unique=True)  # the idempotency key
    micropost = peewee.ForeignKeyField(Micropost, on_delete='CASCADE', null=True)
    recipient = peewee.ForeignKeyField(User, on_delete='CASCADE')
    state = peewee.CharField(max_length=10, default=PENDING)
    attempts = peewee.IntegerField(default=0)
    claim = peewee.CharField(max_length=32, null=True)
    due = peewee.DateTimeField()
    created = peewee.DateTimeField(default=utcnow)
    sent = peewee.DateTimeField(null=True)
    delivered = peewee.DateTimeField(null=True)
    error = peewee.CharField(max_length=500, null=True)
    request_id = peewee.CharField(max_length=128, null=True)  # of the request that owed it
    ticket = peewee.ForeignKeyField(AccountTicket, on_delete='CASCADE', null=True)  # (0030)

    class Meta:
        indexes = ((('state', 'due'), False),       # the sweep: due rows by state
                   (('state', 'created'), False))   # the backlog: rows not sent, the oldest


def backlog() -> dict:
    """`{"emails", "oldest"}`: how many rows are not sent yet and when the oldest was written
    (None without any), read through the index on state and age."""
    oldest = peewee.fn.MIN(OutboxEmail.created).python_value(OutboxEmail.created.python_value)
    emails, created = (OutboxEmail.select(peewee.fn.COUNT(OutboxEmail.id), oldest)
                       .where(OutboxEmail.state.in_((PENDING, SENDING))).tuples().get())
    return {'emails': emails, 'oldest': created}


def recipients(names: list[str], referenced: int | None, author_id: int) -> list[dict]:
    """`{"id", "username"}` of the users named (lower-cased `names`, or the `referenced` id)
    who may be mailed about it: not the author, nor users who turned mention e-mails off."""
    named = [peewee.fn.LOWER(User.username).in_(names)] if names else []
    if referenced is not None:
        named.append(User.id == referenced)
    return list(User.select(User.id, User.username)
                .where(functools.reduce(operator.or_, named), User.id != author_id,
                       User.notify_mentions).dicts())


def owed_for(post_id: int) -> int:
    """How many e-mails a post has owed over all its versions."""
    return OutboxEmail.select().where(OutboxEmail.micropost == post_id).count()


def owe(rows: list[dict]) -> None:
    """Write e-mails owed (`{"key", "micropost", "recipient", "due", "request_id"}`); a key
    already written stays as it is."""
    OutboxEmail.insert_many(rows).on_conflict_ignore().execute()


def owe_ticket(key: str, ticket_id: int, recipient_id: int, due: dt.datetime,
               request_id: str | None) -> None:
    """Write the e-mail of an account ticket, owed to its user."""
    OutboxEmail.insert(key=key, ticket=ticket_id, recipient=recipient_id, due=due,
                       request_id=request_id, id=ids.next_id()).execute()


def due_now(keys: list[str], now: dt.datetime) -> None:
    """Make these e-mails, if still pending, the sweep's at once."""
    (OutboxEmail.update(due=now)
     .where(OutboxEmail.key.in_(keys), OutboxEmail.state == PENDING).execute())


def due_causes(now: dt.datetime, limit: int) -> dict[str, str | None]:
    """The keys of up to `limit` rows not sent whose time came by `now`, earliest first, each
    with the request id that owed it."""
    return dict(OutboxEmail.select(OutboxEmail.key, OutboxEmail.request_id)
                .where(OutboxEmail.state.in_((PENDING, SENDING)), OutboxEmail.due <= now)
                .order_by(OutboxEmail.due).limit(limit).tuples())


def hand_on(keys: list[str], now: dt.datetime, due: dt.datetime) -> None:
    """Make these rows, if still not sent and due by `now`, pending again until `due`."""
    (OutboxEmail.update(state=PENDING, claim=None, due=due)
     .where(OutboxEmail.key.in_(keys), OutboxEmail.state.in_((PENDING, SENDING)),
            OutboxEmail.due <= now).execute())


def claim(key: str, token: str, due: dt.datetime) -> bool:
    """Take a pending row for the worker holding `token` until `due`, counting an attempt;
    whether it was pending."""
    return bool(OutboxEmail.update(state=SENDING, claim=token, due=due,
                                   attempts=OutboxEmail.attempts + 1)
                .where(OutboxEmail.key == key, OutboxEmail.state == PENDING).execute())


def email(key: str) -> dict | None:
    """What the e-mail `key` says: key, attempts, recipient, email (the recipient's address);
    for a mention, post_id, text and author; for an account e-mail, ticket_id, purpose and
    new_email (the address an e-mail change goes to)."""
    author, recipient = User.alias('author'), User.alias('recipient')
    return (OutboxEmail.select(OutboxEmail.key, OutboxEmail.attempts,
                               Micropost.id.alias('post_id'), Micropost.text,
                               author.username.alias('author'),
                               recipient.username.alias('recipient'), recipient.email,
                               AccountTicket.id.alias('ticket_id'), AccountTicket.purpose,
                               AccountTicket.email.alias('new_email'))
            .join(Micropost, peewee.JOIN.LEFT_OUTER)
            .join(author, peewee.JOIN.LEFT_OUTER, on=(Micropost.user == author.id))
            .switch(OutboxEmail)
            .join(recipient, on=(OutboxEmail.recipient == recipient.id))
            .switch(OutboxEmail)
            .join(AccountTicket, peewee.JOIN.LEFT_OUTER)
            .where(OutboxEmail.key == key)
            .dicts().first())


def still_claimed(key: str, token: str) -> bool:
    """Whether the row is still claimed with `token`; in a transaction, it stays so until the
    commit (the row is locked, or on SQLite the database)."""
    return (OutboxEmail.update(claim=token)
            .where(OutboxEmail.key == key, OutboxEmail.claim == token,
                   OutboxEmail.state == SENDING).execute()) == 1


def mark_sent(key: str, token: str, now: dt.datetime) -> bool:
    """SENT at `now`, if the row is still claimed with `token`; whether it was."""
    return (OutboxEmail.update(state=SENT, sent=now)
            .where(OutboxEmail.key == key, OutboxEmail.claim == token,
                   OutboxEmail.state == SENDING).execute()) == 1


def mark_delivered(key: str, now: dt.datetime) -> None:
    (OutboxEmail.update(state=DELIVERED, delivered=now, claim=None)
     .where(OutboxEmail.key == key).execute())


def release(key: str, token: str, final: bool, error: str, due: dt.datetime) -> None:
    """Give up the claim `token` on a row not sent: FAILED for good when `final`, else pending
    again from `due`; `error` says why."""
    (OutboxEmail.update(state=FAILED if final else PENDING, claim=None, sent=None,
                        error=error[:500], due=due)
     .where(OutboxEmail.key == key, OutboxEmail.claim == token).execute())
