"""Who is calling: the user a request authenticates as, with a bearer token or, in a browser,
with the session cookie (whose writes carry the session's CSRF token); or the program an API key
names. Whoever is found is written into the request's environ for the access log."""
from __future__ import annotations

import bottle

from api.web import CSRF_HEADER, bearer_token, header, session_token
from controllers import reads
from controllers.access import ApiKeyController
from controllers.sessions import SessionController

CALLER = 'warble.caller'  # where the request's environ keeps the username it authenticated as
# Set by an edge that knows better than the HTTP method whether a request writes (a GraphQL
# query sent with POST only reads).
WRITES = 'warble.writes'
API_KEY_HEADER = 'X-API-Key'
SAFE_METHODS = ('GET', 'HEAD', 'OPTIONS')


def carries_credentials() -> bool:
    """Whether the request carries user credentials (an Authorization header or a session
    cookie), valid or not; anonymous requests do not."""
    return 'HTTP_AUTHORIZATION' in bottle.request.environ or session_token() is not None


def current_caller() -> dict | None:
    """The user the request authenticates as, or None; Forbidden for a write made with the
    session cookie without its CSRF token."""
    token = bearer_token()
    if token:
        caller = SessionController().tokens.resolve(token)
    else:
        token = session_token()
        caller = None if token is None else SessionController().user_of(
            token, writes(), header(CSRF_HEADER))
    if caller is not None:
        bottle.request.environ[CALLER] = caller['username']
        reads.signed_in(caller['id'], writes())
    return caller


def writes() -> bool:
    """Whether the request may change something, so that a session cookie needs its CSRF token."""
    environ = bottle.request.environ
    return environ[WRITES] if WRITES in environ else bottle.request.method not in SAFE_METHODS


def current_program() -> dict | None:
    """`{"api_key": name}` when the request carries a valid API key, else None."""
    raw = header(API_KEY_HEADER)
    program = ApiKeyController().resolve(raw) if raw else None
    if program is not None:
        bottle.request.environ[CALLER] = f'api_key:{program["api_key"]}'
    return program
