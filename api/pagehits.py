"""Page cache hits answered in front of Bottle: the common cached request costs its one Redis
lookup and little more.

An anonymous GET of a route under `@cache`, with an ASCII path and a plainly written query
(nothing escaped, each parameter once, no JSONP callback), is looked up under the key `@cache`
stores its answer by, and a hit is sent as `@cache` would send it. Anything else goes on to the
app, whose `@cache` serves it; a miss hands its lookup on, so that it is not made twice.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import bottle

from api.decorators import scopes_of
from api.spec import coerce_value
from api.web import PRIOR_LOOKUP, SESSION_COOKIE, page_key, query_schema
from controllers.cache import CacheController

# Query text that Bottle decodes to itself: no `%` escapes, no `+` for spaces, no `;`.
PLAIN_QUERY = re.compile(r'[A-Za-z0-9_.=&-]*')


class PageHits:
    """WSGI in front of the Bottle `app`: answer anonymous GETs from the page cache."""

    def __init__(self, app: bottle.Bottle):
        self.app = app
        self.settings = app.config['warble.settings']

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
        path, query = environ.get('PATH_INFO', ''), environ.get('QUERY_STRING', '')
        if (environ['REQUEST_METHOD'] != 'GET' or 'HTTP_AUTHORIZATION' in environ
                or SESSION_COOKIE in environ.get('HTTP_COOKIE', '')
                or not path.isascii() or not PLAIN_QUERY.fullmatch(query)):
            return None
        try:
            route, args = self.app.router.match(environ)
        except bottle.HTTPError:
            return None
        scopes = getattr(route.callback, 'page_scopes', None)
        values = plain_query(query_schema(route), query)
        if scopes is None or values is None:
            return None
        key = page_key(route, args, values, environ, self.settings)
        version, cached = CacheController().lookup(scopes_of(scopes, args), key)
        if cached is None:
            environ[PRIOR_LOOKUP] = (key, version)
        else:
            environ['bottle.route'] = route  # what the request's metrics are labelled by
        return cached


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
