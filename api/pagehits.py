"""Page cache hits answered in front of Bottle: the common cached request costs its one Redis
lookup and little more.

An anonymous GET of a route under `@cache`, with an ASCII path and a plainly written query
(nothing escaped, each parameter once, no JSONP callback), is looked up under the key `@cache`
stores its answer by, and a hit is sent as `@cache` would send it. Anything else goes on to the
app, whose `@cache` serves it; a miss hands its lookup on, so that it is not made twice.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable

import bottle

from api.decorators import scopes_of
from api.spec import coerce_value
from api.web import PRIOR_LOOKUP, SESSION_COOKIE, base_url_of, page_key, query_schema
from controllers.cache import CacheController

# Query text that Bottle decodes to itself: no `%` escapes, no `+` for spaces, no `;`.
PLAIN_QUERY = re.compile(r'[A-Za-z0-9_.=&-]*')
ADDRESSES = 4096  # paths and queries whose route, scopes and key a worker keeps at hand
ADDRESS_BYTES = 512  # the longest path, query and base URL together that it keeps


class PageHits:
    """WSGI in front of the Bottle `app`: answer anonymous GETs from the page cache."""

    def __init__(self, app: bottle.Bottle):
        self.app = app
        self.settings = app.config['warble.settings']
        # What a path and query name, worked out once: a page is asked for again and again.
        self.address = functools.lru_cache(maxsize=ADDRESSES)(self._address)

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        cached = self._cached(environ)
        if cached is None:
            return self.app(environ, start_response)
        content_type, _, body = cached.partition('\n')
        data = body.encode()
        start_response('200 OK', [('Content-Type', content_type),
                                  ('Content-Length', str(len(data))),
                                  ('X-Content-Type-Options', 'nosniff')])
        return [data]

    def _cached(self, environ: dict) -> str | None:
        """The cached answer to this request; None when there is none or it is not plain."""
        if (environ['REQUEST_METHOD'] != 'GET' or 'HTTP_AUTHORIZATION' in environ
                or SESSION_COOKIE in environ.get('HTTP_COOKIE', '')):
            return None
        path, query = environ.get('PATH_INFO', ''), environ.get('QUERY_STRING', '')
        base = None if self.settings.app.base_url else base_url_of(environ, self.settings)
        # Only short addresses are remembered: long hosts or queries cannot fill the memory.
        short = len(path) + len(query) + len(base or '') <= ADDRESS_BYTES
        found = (self.address if short else self._address)(path, query, base)
        if found is None:
            return None
        route, scopes, key = found
        version, cached = CacheController().lookup(scopes, key)
        if cached is None:
            environ[PRIOR_LOOKUP] = (key, version)
        else:
            environ['bottle.route'] = route  # what the request's metrics are labelled by
        return cached

    def _address(self, path: str, query: str, base: str | None
                 ) -> tuple[bottle.Route, list[str], str] | None:
        """The route, cache scopes and page key of a GET of `path?query` answered with links
        to `base`; None unless the route is cached and the path and query are plain."""
        if not path.isascii() or not PLAIN_QUERY.fullmatch(query):
            return None
        try:
            route, args = self.app.router.match({'REQUEST_METHOD': 'GET', 'PATH_INFO': path})
        except bottle.HTTPError:
            return None
        scopes = getattr(route.callback, 'page_scopes', None)
        values = plain_query(query_schema(route), query)
        if scopes is None or values is None:
            return None
        return route, scopes_of(scopes, args), page_key(route, args, values, base)


def plain_query(schema: dict, query: str) -> dict | None:
    """A plain query's values as the route will see them before validation; None when a
    parameter is given twice, is not the schema's, or is the JSONP callback."""
    properties = schema.get('properties', {})
    values = {}
    for pair in query.split('&'):
        if not pair:
            continue
        name, _, text = pair.partition('=')
        if name in values or name not in properties or name == 'callback':
            return None
        values[name] = coerce_value(properties[name].get('type'), text)
    return values
