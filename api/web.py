"""What routes read of the request (base URL, caller, client address), and the Bottle side of
`lib.decorators` (`BottleWeb`). Callers authenticate with a bearer token or, in a browser, with
the session cookie (whose writes carry the session's CSRF token)."""
from __future__ import annotations

import bottle

from controllers.access import ApiKeyController, RoleController
from controllers.errors import Forbidden, Invalid, Unauthorized
from controllers.sessions import SessionController
from lib.config import Section
from lib.decorators import Request
from lib.utils.urlkit import Links

ERRORS = {400: Invalid, 401: Unauthorized, 403: Forbidden}
DEFAULT_PORTS = {'http': ':80', 'https': ':443'}
CALLER = 'warble.caller'  # where the request's environ keeps the username it authenticated as
SESSION_COOKIE = 'warble_session'
CSRF_HEADER = 'X-CSRF-Token'
API_KEY_HEADER = 'X-API-Key'
SAFE_METHODS = ('GET', 'HEAD', 'OPTIONS')


def settings() -> Section:
    return bottle.request.app.config['warble.settings']


def base_url() -> str:
    """`app.base_url` when set, else the scheme and host the client asked for (as a trusted
    proxy forwards them, with `server.proxy_hops`)."""
    configured = settings()
    if configured.app.base_url:
        return configured.app.base_url.rstrip('/')
    environ = bottle.request.environ
    scheme = environ.get('wsgi.url_scheme', 'http')
    host = environ.get('HTTP_HOST') or f'{environ["SERVER_NAME"]}:{environ["SERVER_PORT"]}'
    if configured.server.proxy_hops:
        scheme = environ.get('HTTP_X_FORWARDED_PROTO', scheme).split(',')[0].strip()
        host = environ.get('HTTP_X_FORWARDED_HOST', host).split(',')[0].strip()
    return f'{scheme}://{host.removesuffix(DEFAULT_PORTS.get(scheme, ""))}'


def links() -> Links:
    return Links(base_url())


def header(name: str) -> str:
    """A request header as text; empty when absent or not UTF-8 (which no valid value is)."""
    try:
        return bottle.request.get_header(name, '')
    except UnicodeError:
        return ''


def bearer_token() -> str | None:
    """The token of an `Authorization: Bearer <token>` header, else None."""
    scheme, _, token = header('Authorization').partition(' ')
    if scheme.lower() != 'bearer':
        return None
    return token.strip() or None


def session_token() -> str | None:
    """The token of the session cookie, else None (also when it is not UTF-8)."""
    try:
        return bottle.request.get_cookie(SESSION_COOKIE) or None
    except UnicodeError:
        return None


def client_address() -> str:
    """The client's IP address, behind `server.proxy_hops` trusted proxies (X-Forwarded-For)."""
    hops = settings().server.proxy_hops
    chain = [bottle.request.environ.get('REMOTE_ADDR') or 'unknown']
    if hops:
        forwarded = header('X-Forwarded-For')
        chain = [part.strip() for part in forwarded.split(',') if part.strip()] + chain
    return chain[-1 - hops] if len(chain) > hops else chain[0]


def analyzer_protected() -> bool:
    """Whether the Analyzer is open only to analysts and API keys (`analyzer.protected`)."""
    return settings().analyzer.protected


def through_proxy() -> bool:
    """Whether the request came through the trusted proxy in front (`server.proxy_hops`)."""
    return bool(settings().server.proxy_hops) and 'HTTP_X_FORWARDED_FOR' in bottle.request.environ


class BottleWeb:
    """`lib.decorators.Web` on Bottle's request and response of the current thread/greenlet."""

    def __init__(self, sessions: SessionController):
        self.sessions = sessions

    def request(self) -> Request:
        request = bottle.request
        query = request.query_string
        url = base_url() + request.environ.get('SCRIPT_NAME', '') + request.path
        if query:
            url += '?' + '&'.join(sorted(query.split('&')))
        return Request(request.method, url, request.query.getunicode('callback'),
                       'HTTP_AUTHORIZATION' in request.environ or session_token() is not None)

    def caller(self) -> dict | None:
        token = bearer_token()
        if token:
            caller = self.sessions.tokens.resolve(token)
        else:
            token = session_token()
            caller = None if token is None else self.sessions.user_of(
                token, bottle.request.method not in SAFE_METHODS, header(CSRF_HEADER))
        if caller is not None:
            bottle.request.environ[CALLER] = caller['username']
        return caller

    def roles(self, caller: dict) -> list[str]:
        return RoleController().roles_of(caller['id'])

    def program(self) -> dict | None:
        raw = header(API_KEY_HEADER)
        program = ApiKeyController().resolve(raw) if raw else None
        if program is not None:
            bottle.request.environ[CALLER] = f'api_key:{program["api_key"]}'
        return program

    def answer(self, body: str, content_type: str) -> str:
        bottle.response.content_type = content_type
        bottle.response.set_header('X-Content-Type-Options', 'nosniff')
        return body

    def answer_type(self) -> str:
        return bottle.response.content_type

    def error(self, status: int, message: str, fields: dict | None = None) -> Exception:
        return ERRORS[status](message, fields)
