"""What routes read of the request: base URL, credentials as sent, client address, where it
comes from, and the key of its answer in the page cache."""
from __future__ import annotations

import functools
import json
from collections.abc import Callable
from urllib.parse import urlsplit

import bottle

from api.spec import validated_query
from controllers.errors import Forbidden
from lib.config import Section
from lib.utils.urlkit import Links

DEFAULT_PORTS = {'http': ':80', 'https': ':443'}
SESSION_COOKIE = 'warble_session'
CSRF_HEADER = 'X-CSRF-Token'
# Where a request's environ keeps (key, version) of a page cache miss, looked up before Bottle.
PRIOR_LOOKUP = 'warble.page_lookup'


def settings() -> Section:
    return bottle.request.app.config['warble.settings']


def base_url() -> str:
    """`app.base_url` when set, else the scheme and host the client asked for (as a trusted
    proxy forwards them, with `server.proxy_hops`)."""
    return base_url_of(bottle.request.environ, settings())


def base_url_of(environ: dict, configured: Section) -> str:
    """`base_url()` of the request of `environ`, under the settings `configured`."""
    if configured.app.base_url:
        return configured.app.base_url.rstrip('/')
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


def cross_site() -> bool:
    """Whether a browser says the request comes from another site: `Sec-Fetch-Site:
    cross-site`, or an `Origin` other than this service's own (`null` included). Requests
    with neither header (scripts, command-line clients) are not cross-site."""
    if header('Sec-Fetch-Site').strip().lower() == 'cross-site':
        return True
    origin = header('Origin').strip()
    if not origin:
        return False
    return origin.lower() == 'null' or origin_of(origin) != origin_of(base_url())


def origin_of(url: str) -> str:
    """`scheme://host[:port]` of a URL, in lower case, without the scheme's default port."""
    parts = urlsplit(url.lower())
    return f'{parts.scheme}://{parts.netloc.removesuffix(DEFAULT_PORTS.get(parts.scheme, ""))}'


def same_site(callback: Callable) -> Callable:
    """Refuse (403) a request a browser sent from another site: for the routes that set a
    session cookie, which a cross-site form must not be able to do (login CSRF)."""
    @functools.wraps(callback)
    def wrapper(*args, **kwargs):
        refuse_cross_site()
        return callback(*args, **kwargs)
    declared = getattr(callback, 'operation', None)
    if declared is not None:  # the document tells of the 403
        wrapper.operation = {**declared, 'responses': {**declared['responses'], 403: None}}
    return wrapper


def refuse_cross_site() -> None:
    """Forbidden for a request a browser sent from another site."""
    if cross_site():
        raise Forbidden('This request came from another site.',
                        {'Origin': 'must be this site'}, code='cross_site')


def analyzer_protected() -> bool:
    """Whether the Analyzer is open only to analysts and API keys (`analyzer.protected`)."""
    return settings().analyzer.protected


def through_proxy() -> bool:
    """Whether the request came through the trusted proxy in front (`server.proxy_hops`)."""
    return bool(settings().server.proxy_hops) and 'HTTP_X_FORWARDED_FOR' in bottle.request.environ


def cache_key() -> str:
    """The page cache's key of the current request's answer (`page_key`)."""
    request = bottle.request
    schema = query_schema(request.route)
    query = validated_query(schema) if schema else {}
    base = None if settings().app.base_url else base_url()
    return page_key(request.route, request.url_args, query, base)


def page_key(route: bottle.Route, args: dict, query: dict, base: str | None) -> str:
    """The route's rule, its arguments, and its query (defaults filled in, JSONP callback
    left out), as JSON; `base`, the base URL of the links, only when the request's host makes
    it (None when `app.base_url` is set): every answer that differs has its own key, and
    nothing else does."""
    properties = query_schema(route).get('properties', {})
    named = {name: rule['default'] for name, rule in properties.items()
             if 'default' in rule}  # `?page=1` and no page are one answer
    named.update(query)
    named.pop('callback', None)
    return json.dumps([route.method, route.rule, args, named, base], sort_keys=True)


def query_schema(route: bottle.Route) -> dict:
    """The query schema the route's operation declares; empty when it declares none."""
    return (getattr(route.callback, 'operation', None) or {}).get('query') or {}
