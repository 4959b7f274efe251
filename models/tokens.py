"""Bearer tokens and browser sessions: only the SHA-256 digest of a token is stored, with the
time it expires, the client that asked for it and, to a minute or so, when it was last used."""
from __future__ import annotations

import datetime as dt

import peewee

from lib.utils.datekit import utcnow
from models import ids
from models.db import BaseModel
from models.statements import Slot, Statement
from models.users import User

SESSION = 'session'  # a browser's session cookie
BEARER = 'token'     # a bearer token asked for by a program


class Token(BaseModel):
    id = ids.primary_key()
    user = peewee.ForeignKeyField(User, backref='tokens', on_delete='CASCADE')
    digest = peewee.CharField(max_length=64, unique=True)
    created = peewee.DateTimeField(default=utcnow)
    expires = peewee.DateTimeField()
    kind = peewee.CharField(max_length=10, default=BEARER)  # (0030)
    user_agent = peewee.CharField(max_length=200, null=True)
    address = peewee.CharField(max_length=64, null=True)
    last_used = peewee.DateTimeField(null=True)


def store_token(user_id: int, digest: str, created: dt.datetime, expires: dt.datetime,
                kind: str = BEARER, user_agent: str | None = None,
                address: str | None = None) -> None:
    """Keep a new token of the user, and drop the user's tokens expired by `created`."""
    Token.delete().where(Token.user == user_id, Token.expires <= created).execute()
    Token.create(user=user_id, digest=digest, created=created, expires=expires, kind=kind,
                 user_agent=user_agent and user_agent[:200], address=address and address[:64])


HOLDER = Statement(lambda: User.select(User.id, User.username, Token.expires, Token.last_used)
                   .join(Token)
                   .where(Token.digest == Slot('digest'), Token.expires > Slot('now'))
                   .limit(1).tuples())


def holder_of(digest: str) -> dict | None:
    """`{"holder": {"id", "username"}, "expires", "last_used"}` of the token with this digest
    while it is valid."""
    row = HOLDER.first(digest=digest, now=utcnow())
    if row is None:
        return None
    user_id, username, expires, last_used = row
    return {'holder': {'id': user_id, 'username': username}, 'expires': expires,
            'last_used': last_used}


def mark_used(digest: str, now: dt.datetime, before: dt.datetime) -> None:
    """Say the token was used at `now`, unless that was said since `before` (by another
    worker): a write at most that often."""
    (Token.update(last_used=now)
     .where(Token.digest == digest, (Token.last_used.is_null()) | (Token.last_used < before))
     .execute())


def delete_token(digest: str) -> None:
    Token.delete().where(Token.digest == digest).execute()


def delete_tokens(digests: list[str]) -> None:
    if digests:
        Token.delete().where(Token.digest.in_(digests)).execute()


def tokens_of(user_id: int, now: dt.datetime) -> list[dict]:
    """The user's live tokens, newest first: id, digest, kind, created, expires, last_used,
    user_agent, address."""
    return list(Token.select(Token.id, Token.digest, Token.kind, Token.created, Token.expires,
                             Token.last_used, Token.user_agent, Token.address)
                .where(Token.user == user_id, Token.expires > now)
                .order_by(Token.id.desc()).dicts())


def digests_of(user_id: int) -> list[str]:
    """The digests of every token of the user, expired or not."""
    return [row.digest for row in Token.select(Token.digest).where(Token.user == user_id)]


def digest_of(user_id: int, token_id: int) -> str | None:
    """The digest of the user's token `token_id`; None when the user has no such token."""
    row = Token.select(Token.digest).where(Token.id == token_id, Token.user == user_id).first()
    return None if row is None else row.digest
