"""HTTP: one Bottle module per resource, assembled into the application by `create_app`."""
from __future__ import annotations

from collections.abc import Callable

import bottle

from api import (
    account,
    assets,
    avatars,
    errors,
    exports,
    follows,
    imports,
    jsonout,
    metrics,
    microposts,
    notifications,
    openapi,
    pages,
    people,
    search,
    sessions,
    stats,
    status,
    streams,
    tokens,
    users,
)
from api.callers import carries_credentials
from api.gql import routes as graphql
from api.middleware import RequestContext
from api.pagehits import PageHits
from api.pressure import InFlightLimit
from api.profiling import Profiling
from controllers import boot, reads
from controllers.profile_rules import AVATAR_MAX_BYTES
from lib.config import ROOT, Section, resolve

RESOURCES = (status, metrics, pages, assets, openapi, users, people, avatars, tokens, sessions,
             account, microposts, streams, follows, notifications, exports, search, imports,
             stats, graphql)


def create_app(settings: Section) -> bottle.Bottle:
    """The Bottle app with every resource mounted and the error handling installed; also
    sets what Bottle keeps for the whole process: the template folder and the body limit."""
    app = bottle.Bottle(catchall=True, autojson=True)
    app.config['warble.settings'] = settings
    # `<name:int>` takes at most 19 ASCII digits (a database integer): anything else names
    # nothing, a 404, rather than Bottle's 400 for numbers too long to convert.
    app.router.add_filter('int', lambda conf: (r'-?[0-9]{1,19}', int, lambda x: str(int(x))))
    for resource in RESOURCES:  # routes made anew on `app`, so that its plugins apply to them
        for route in resource.app.routes:
            app.route(route.rule, route.method, route.callback, name=route.name)
    app.uninstall('json')
    app.install(bottle.JSONPlugin(jsonout.dumps))
    app.install(errors.ErrorPlugin())
    app.default_error_handler = errors.handle_http_error
    app.add_hook('before_request', lambda: reads.begin_request(not carries_credentials()))
    bottle.TEMPLATE_PATH[:] = [str(ROOT / 'views')]
    bottle.BaseRequest.MEMFILE_MAX = settings.server.max_body_bytes
    return app


def create_wsgi(settings: Section) -> Callable:
    """The WSGI callable served in production: the app with page cache hits answered in
    front of it, behind its in-flight limit, inside its request middleware."""
    app = PageHits(create_app(settings))
    if settings.profiling.enabled:
        app = Profiling(app, settings.profiling.header,
                        resolve(settings.paths.var) / 'profiles')
    app = InFlightLimit(app, settings.server.max_in_flight)
    return RequestContext(app, settings.server.max_body_bytes, boot.release_connection,
                          {'/imports': settings.server.max_import_bytes,
                           avatars.UPLOAD_PATH: AVATAR_MAX_BYTES})


def load_wsgi(exit_code: int = 1) -> Callable:
    """Configure this process from the settings and return the WSGI application."""
    return boot.start(create_wsgi, exit_code)
