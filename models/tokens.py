"""Bearer tokens: only the SHA-256 digest of a token is stored, with the time it expires."""
from __future__ import annotations

import datetime as dt

import peewee

from lib.utils.datekit import utcnow
from models.db import BaseModel
from models.users import User


class Token(BaseModel):
    user = peewee.ForeignKeyField(User, backref='tokens', on_delete='CASCADE')
    digest = peewee.CharField(max_length=64, unique=True)
    created = peewee.DateTimeField(default=utcnow)
    expires = peewee.DateTimeField()


def store_token(user_id: int, digest: str, created: dt.datetime, expires: dt.datetime) -> None:
    """Keep a new token of the user, and drop the user's tokens expired by `created`."""
    Token.delete().where(Token.user == user_id, Token.expires <= created).execute()
    Token.create(user=user_id, digest=digest, created=created, expires=expires)


def holder_of(digest: str) -> dict | None:
    """`{"id", "username"}` of the user of the token with this digest while it is valid."""
    return (User.select(User.id, User.username)
            .join(Token)
            .where(Token.digest == digest, Token.expires > utcnow())
            .dicts()
            .first())


def delete_token(digest: str) -> None:
    Token.delete().where(Token.digest == digest).execute()
