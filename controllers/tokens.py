"""Bearer tokens: issued for a username and password, resolved on each request, revocable.

A token is 32 random bytes; only its SHA-256 digest is stored, so a copy of the database does
not let anyone in. Every request resolves its token in the database: a revoked token stops
working at once on every worker. Failed logins are limited per username and per client address.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets

from redis import RedisError

from controllers.errors import Invalid, TooManyRequests
from controllers.users import UserController
from lib import metrics
from lib.logs import Throttle
from lib.utils.datekit import utcnow
from models.db import database
from models.ratelimits import SlidingWindow
from models.tokens import Token
from models.users import User

LIFETIME = 86400
FAILURES_ALLOWED = 10
FAILURE_WINDOW = 60

log = logging.getLogger('warble.tokens')
throttle = Throttle()


def digest(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode()).hexdigest()


class TokenController:
    """Issues, resolves and revokes bearer tokens."""

    def issue(self, username: str, password: str, client: str) -> dict:
        """A new token for these credentials; Invalid when they are wrong, TooManyRequests
        after too many failures for this username or this client address."""
        guard = LoginGuard(username, client)
        guard.check()
        user = UserController().authenticate(username, password)
        if user is None:
            guard.failed()
            raise Invalid('The username or password is wrong.', code='invalid_grant')
        raw = secrets.token_urlsafe(32)
        now = utcnow()
        with database.atomic():
            Token.delete().where(Token.user == user['id'], Token.expires <= now).execute()
            Token.create(user=user['id'], digest=digest(raw), created=now,
                         expires=now + dt.timedelta(seconds=LIFETIME))
        return {'access_token': raw, 'token_type': 'bearer', 'expires_in': LIFETIME}

    def resolve(self, raw_token: str) -> dict | None:
        """`{"id", "username"}` of the token's user while it is valid, else None."""
        return (User.select(User.id, User.username)
                .join(Token)
                .where(Token.digest == digest(raw_token), Token.expires > utcnow())
                .dicts()
                .first())

    def revoke(self, raw_token: str) -> None:
        Token.delete().where(Token.digest == digest(raw_token)).execute()


class LoginGuard:
    """Failed logins in the last minute, per username and per client address, in Redis.

    If Redis is down, logins are not limited (and a warning is logged) rather than refused."""

    def __init__(self, username: str, client: str):
        self.subjects = (f'user:{username.lower()}', f'client:{client}')

    def check(self) -> None:
        try:
            wait = self._window().retry_after(*self.subjects)
        except RedisError as exc:
            _limit_unavailable(exc)
            return
        if wait:
            raise TooManyRequests(f'Too many failed logins; try again in {wait} s.', wait)

    def failed(self) -> None:
        try:
            self._window().record(*self.subjects)
        except RedisError as exc:
            _limit_unavailable(exc)

    @staticmethod
    def _window() -> SlidingWindow:
        return SlidingWindow('login-failures', FAILURES_ALLOWED, FAILURE_WINDOW)


def _limit_unavailable(exc: RedisError) -> None:
    metrics.redis_error('ratelimit')
    if throttle.ready():
        log.warning('login rate limit unavailable, logins are not limited: %s', exc)
