"""Browser sessions: a bearer token the browser keeps in an HttpOnly cookie, and the CSRF token
every write made with that cookie must carry. Logging out revokes the token itself."""
from __future__ import annotations

import hashlib
import hmac

from controllers.errors import Forbidden
from controllers.tokens import TokenController
from models.tokens import SESSION

CSRF_KEY = b'warble-csrf'


def csrf_token(raw_token: str) -> str:
    """The CSRF token of a session: derived from its secret token (so nothing more is stored),
    and telling nothing about that token."""
    return hmac.new(raw_token.encode(), CSRF_KEY, hashlib.sha256).hexdigest()


class SessionController:
    """Opens, reads and closes the sessions of browsers; holds the CSRF rule."""

    def __init__(self, tokens: TokenController | None = None):
        self.tokens = tokens or TokenController()

    def open(self, username: str, password: str, client: str,
             user_agent: str | None = None) -> dict:
        """A new session: `{"token", "expires_in", "username", "csrf_token"}`. Invalid or
        TooManyRequests as for bearer tokens (the same failed-login limits apply)."""
        issued = self.tokens.issue(username, password, client, user_agent, SESSION)
        return {'token': issued['access_token'], 'expires_in': issued['expires_in'],
                **self.describe(issued['access_token'])}

    def describe(self, raw_token: str | None) -> dict:
        """`{"username", "csrf_token"}` of a live session; both None for none."""
        user = self.tokens.resolve(raw_token) if raw_token else None
        if user is None:
            return {'username': None, 'csrf_token': None}
        return {'username': user['username'], 'csrf_token': csrf_token(raw_token)}

    def user_of(self, raw_token: str, writing: bool, csrf_given: str | None) -> dict | None:
        """`{"id", "username"}` of a live session, else None. A write must carry the session's
        CSRF token: Forbidden otherwise."""
        user = self.tokens.resolve(raw_token)
        if user is not None and writing and not (
                csrf_given and csrf_given.isascii()  # compare_digest refuses other text
                and hmac.compare_digest(csrf_token(raw_token), csrf_given)):
            raise Forbidden('A write made with the session cookie needs the X-CSRF-Token '
                            'header of the session.', code='csrf')
        return user

    def close(self, raw_token: str, csrf_given: str | None) -> None:
        """Revoke a live session (a write: it needs the CSRF token); a dead one is left be."""
        if self.user_of(raw_token, True, csrf_given) is not None:
            self.tokens.revoke(raw_token)
