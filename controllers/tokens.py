"""Bearer tokens: issued for a username and password, resolved on each request, revocable.

A token is 32 random bytes; only its SHA-256 digest is stored, so a copy of the database does
not let anyone in. Every request resolves its token in the database: a revoked token stops
working at once on every worker. Login attempts are limited before the password is checked
(`controllers.limits` explains the budgets).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from controllers import limits
from controllers.errors import Invalid
from controllers.users import UserController
from lib.utils.datekit import utcnow
from models.db import transaction
from models.tokens import delete_token, holder_of, store_token

LIFETIME = 86400


def digest(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode()).hexdigest()


class TokenController:
    """Issues, resolves and revokes bearer tokens."""

    def issue(self, username: str, password: str, client: str) -> dict:
        """A new token for these credentials; Invalid when they are wrong, TooManyRequests
        when the login budgets of this username (from this client address) are spent."""
        attempt = limits.LoginAttempt(username, client)
        attempt.take()
        user = UserController().authenticate(username, password)
        if user is None:
            raise Invalid('The username or password is wrong.', code='invalid_grant')
        attempt.succeeded()
        raw = secrets.token_urlsafe(32)
        now = utcnow()
        with transaction():
            store_token(user['id'], digest(raw), now, now + dt.timedelta(seconds=LIFETIME))
        return {'access_token': raw, 'token_type': 'bearer', 'expires_in': LIFETIME}

    def resolve(self, raw_token: str) -> dict | None:
        """`{"id", "username"}` of the token's user while it is valid, else None."""
        return holder_of(digest(raw_token))

    def revoke(self, raw_token: str) -> None:
        delete_token(digest(raw_token))
