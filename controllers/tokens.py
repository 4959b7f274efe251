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
from models.db import DATABASE_DOWN, transaction
from models.revocations import RevocationsUnavailable, mark_all_revoked, state_of
from models.tokens import BEARER, delete_tokens, holder_of, mark_used, store_token

LIFETIME = 86400
TRUST_SECONDS = 60   # the longest a worker uses a resolved token without the database
REMEMBERED = 10000   # tokens a worker remembers at most
USED_SECONDS = 60    # last use is written at most this often per token (on a database read)
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

    def issue(self, username: str, password: str, client: str, user_agent: str | None = None,
              kind: str = BEARER) -> dict:
        """A new token for these credentials; Invalid when they are wrong, TooManyRequests
        when the login budgets of this username (from this client address) are spent. The
        client's address and user agent are kept, for its owner's list of sessions."""
        attempt = limits.LoginAttempt(username, client)
        attempt.take()
        user = UserController().authenticate(username, password)
        if user is None:
            raise Invalid('The username or password is wrong.', code='invalid_grant')
        attempt.succeeded()
        raw = secrets.token_urlsafe(32)
        now = utcnow()
        with transaction():
            store_token(user['id'], digest(raw), now, now + dt.timedelta(seconds=LIFETIME),
                        kind, user_agent, client)
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
            _note_use(token, found['last_used'])
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
        self.revoke_digests([digest(raw_token)], 'Logging out')

    def revoke_digests(self, digests: list[str], what: str = 'Ending sessions') -> None:
        """Refuse the tokens with these digests from now on, on every worker: recorded in
        Redis first, then deleted; Unavailable when Redis cannot record that (the tokens then
        stay valid, and a transaction around this call is rolled back)."""
        if not digests:
            return
        try:
            mark_all_revoked(digests, LIFETIME)
        except RevocationsUnavailable as exc:
            _warn(exc)
            raise Unavailable(f'{what} is unavailable for a moment; try again.') from exc
        for token in digests:
            _remembered.pop(token, None)
        delete_tokens(digests)


def _note_use(token: str, last_used: dt.datetime | None) -> None:
    """Write when a token was used, at most every USED_SECONDS: only when a worker reads the
    token from the database anyway (at most every TRUST_SECONDS), and only if nobody wrote it
    meanwhile. Best effort: a busy database skips it."""
    now = utcnow()
    before = now - dt.timedelta(seconds=USED_SECONDS)
    if last_used is not None and last_used >= before:
        return
    try:
        mark_used(token, now, before)
    except DATABASE_DOWN as exc:
        log.info('last use of a token not written: %s', exc)


def _warn(exc: RevocationsUnavailable) -> None:
    """Count Redis failures; log them at most once per interval."""
    metrics.redis_error('sessions')
    if throttle.ready():
        log.warning('token revocations unavailable, resolving in the database: %s', exc)
