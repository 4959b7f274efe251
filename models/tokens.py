"""Bearer tokens: only the SHA-256 digest of a token is stored, with the time it expires."""
from __future__ import annotations

import datetime as dt

import peewee

from lib.utils.datekit import utcnow
from models import ids
from models.db import BaseModel
from models.statements import Slot, Statement
from models.users import User


class Token(BaseModel):
    id = ids.primary_key()
    user = peewee.ForeignKeyField(User, backref='tokens', on_delete='CASCADE')
    digest = peewee.CharField(max_length=64, unique=True)
    created = peewee.DateTimeField(default=utcnow)
    expires = peewee.DateTimeField()


def store_token(user_id: int, digest: str, created: dt.datetime, expires: dt.datetime) -> None:
    """Keep a new token of the user, and drop the user's tokens expired by `created`."""
    Token.delete().where(Token.user == user_id, Token.expires <= created).execute()
    Token.create(user=user_id, digest=digest, created=created, expires=expires)


HOLDER = Statement(lambda: User.select(User.id, User.username, Token.expires).join(Token)
                   .where(Token.digest == Slot('digest'), Token.expires > Slot('now'))
                   .limit(1).tuples())


def holder_of(digest: str) -> dict | None:
    """`{"holder": {"id", "username"}, "expires"}` of the token with this digest while it is
    valid."""
    row = HOLDER.first(digest=digest, now=utcnow())
    if row is None:
        return None
    user_id, username, expires = row
    return {'holder': {'id': user_id, 'username': username}, 'expires': expires}


def delete_token(digest: str) -> None:
    Token.delete().where(Token.digest == digest).execute()
