"""Account tickets: a password reset or an e-mail change waiting for the link mailed for it.

Only the SHA-256 digest of a link's token is stored, and only once the e-mail carrying it is
being sent (`controllers/account_email.py` makes the token then): a copy of the database holds
no link that works."""
from __future__ import annotations

import datetime as dt

import peewee

from lib.utils.datekit import utcnow
from models.db import BaseModel
from models.users import User

RESET = 'reset'  # a new password for a forgotten one
EMAIL = 'email'  # a new e-mail address, confirmed from that address


class AccountTicket(BaseModel):
    user = peewee.ForeignKeyField(User, on_delete='CASCADE')
    purpose = peewee.CharField(max_length=10)
    digest = peewee.CharField(max_length=64, null=True, unique=True)
    email = peewee.CharField(max_length=254, null=True)  # the new address of an e-mail change
    created = peewee.DateTimeField(default=utcnow)
    expires = peewee.DateTimeField(index=True)

    class Meta:
        table_name = 'account_ticket'


def open_ticket(user_id: int, purpose: str, expires: dt.datetime,
                email: str | None = None) -> int:
    """A new ticket replacing the user's open ones of the same purpose (their links stop
    working, their unsent e-mails go with them); its id. Tickets expired by now, anyone's, go
    too (through the index on `expires`)."""
    AccountTicket.delete().where((AccountTicket.user == user_id)
                                 & (AccountTicket.purpose == purpose)
                                 | (AccountTicket.expires <= utcnow())).execute()
    return AccountTicket.insert(user=user_id, purpose=purpose, email=email, created=utcnow(),
                                expires=expires).execute()


def set_digest(ticket_id: int, digest: str, now: dt.datetime) -> bool:
    """Give a ticket, while it has not expired, the digest of the token its e-mail carries
    (replacing that of an e-mail never finished); whether it could."""
    return (AccountTicket.update(digest=digest)
            .where(AccountTicket.id == ticket_id, AccountTicket.expires > now).execute()) == 1


def find(digest: str, purpose: str, now: dt.datetime) -> dict | None:
    """`{"id", "user_id", "email"}` of the live ticket of `purpose` whose token has `digest`."""
    return (AccountTicket.select(AccountTicket.id, AccountTicket.user.alias('user_id'),
                                 AccountTicket.email)
            .where(AccountTicket.digest == digest, AccountTicket.purpose == purpose,
                   AccountTicket.expires > now).dicts().first())


def close_all(user_id: int) -> None:
    """Drop every ticket of the user: their links stop working."""
    AccountTicket.delete().where(AccountTicket.user == user_id).execute()


def pending_email(user_id: int, now: dt.datetime) -> str | None:
    """The new address of the user's e-mail change waiting to be confirmed, if any."""
    row = (AccountTicket.select(AccountTicket.email)
           .where(AccountTicket.user == user_id, AccountTicket.purpose == EMAIL,
                  AccountTicket.expires > now).first())
    return None if row is None else row.email
