"""Bearer tokens: issued for a username and password, resolved on each request, revocable.

A token is 32 random bytes; only its SHA-256 digest is stored, so a copy of the database does
not let anyone in. Login attempts are limited before the password is checked
(`controllers.limits` explains the budgets).

Each worker remembers the tokens it resolved (`TRUST_SECONDS` at most), so a request costs one
Redis round trip rather than a database query: Redis says whether the token was revoked and
under which epoch the worker's memory holds (`models.revocations`). A revocation is recorded in
Redis before the token is deleted and before it is acknowledged, so from the next request on,
every worker refuses it. While Redis does not answer, tokens are resolved in the database on each
request and revoking answers 503: nothing remembered is trusted that Redis could not confirm.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
import time
from typing import NamedTuple

from controllers import limits
from controllers.errors import Invalid, Unavailable
from controllers.users import UserController
from lib import metrics
from lib.logs import Throttle
from lib.utils.datekit import utcnow
from models.db import transaction
from models.revocations import RevocationsUnavailable, mark_revoked, state_of
from models.tokens import delete_token, holder_of, store_token

LIFETIME = 86400
TRUST_SECONDS = 60   # the longest a worker uses a resolved token without the database
REMEMBERED = 10000   # tokens a worker remembers at most
log = logging.getLogger('warble.tokens')
throttle = Throttle()


class Resolved(NamedTuple):
    """A token a worker resolved: its holder, until when it is valid and may be trusted, and
    the revocation epoch it was resolved under."""

    holder: dict
    expires: dt.datetime
    trusted_until: float
    epoch: str


_remembered: dict[str, Resolved] = {}


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
        token = digest(raw_token)
        known = _remembered.get(token)  # left in place: other requests may carry it meanwhile
        try:
            epoch, revoked = state_of(token)
        except RevocationsUnavailable as exc:
            _warn(exc)
            found = holder_of(token)
            return found and found['holder']
        if revoked:
            return None
        if (known is None or known.epoch != epoch or known.expires <= utcnow()
                or known.trusted_until <= time.monotonic()):
            found = holder_of(token)
            if found is None:
                return None
            known = Resolved(found['holder'], found['expires'],
                             time.monotonic() + TRUST_SECONDS, epoch)
        _remembered.pop(token, None)  # put back last, as the most recently used
        if len(_remembered) >= REMEMBERED:
            # The least recently used; another thread (of the gRPC server) may evict it first.
            _remembered.pop(next(iter(_remembered)), None)
        _remembered[token] = known
        return known.holder

    def revoke(self, raw_token: str) -> None:
        """Refuse the token from now on, on every worker; Unavailable when Redis cannot
        record that (the token then stays valid)."""
        token = digest(raw_token)
        try:
            mark_revoked(token, LIFETIME)
        except RevocationsUnavailable as exc:
            _warn(exc)
            raise Unavailable('Logging out is unavailable for a moment; try again.') from exc
        _remembered.pop(token, None)
        delete_token(token)


def _warn(exc: RevocationsUnavailable) -> None:
    """Count Redis failures; log them at most once per interval."""
    metrics.redis_error('sessions')
    if throttle.ready():
        log.warning('token revocations unavailable, resolving in the database: %s', exc)
