"""One place that turns errors into HTTP answers in the shape every edge uses:

`{"error": {"code": "<slug>", "message": "<human text>", "fields": {...}}}` for everything under
the JSON paths; a plain page elsewhere. Unexpected exceptions are logged with the request id and
answered 500 without a traceback.
"""
from __future__ import annotations

import functools
import logging

import bottle

from api import jsonout
from controllers import errors, outages

log = logging.getLogger('warble.api')

JSON_PREFIXES = ('/api/', '/imports', '/openapi.json', '/status', '/graphql')

STATUS_OF = {
    errors.Invalid: 400,
    errors.Unauthorized: 401,
    errors.Forbidden: 403,
    errors.Gone: 410,
    errors.NotFound: 404,
    errors.Conflict: 409,
    errors.TooManyRequests: 429,
    errors.Unavailable: 503,
}

CODE_OF_STATUS = {400: 'invalid', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found',
                  405: 'method_not_allowed', 409: 'conflict', 410: 'gone',
                  413: 'payload_too_large',
                  415: 'unsupported_media_type', 429: 'too_many_requests',
                  500: 'internal_error', 503: 'unavailable'}


def error_response(status: int, message: str, code: str | None = None,
                   fields: dict | None = None, headers: dict | None = None,
                   more: int = 0, problems: list[dict] | None = None) -> bottle.HTTPResponse:
    """A JSON error answer; `more` counts the problems left out of `fields`; `problems` lists
    them by citizen and field where a check says so (an Analyzer import)."""
    body = {'error': {'code': code or CODE_OF_STATUS.get(status, 'error'), 'message': message,
                      'fields': fields or {}}}
    if more:
        body['error']['more'] = more
    if problems is not None:
        body['error']['problems'] = problems
    response = bottle.HTTPResponse(jsonout.dumps(body), status=status, headers=headers)
    response.content_type = 'application/json'
    return response


def from_domain(exc: errors.DomainError) -> bottle.HTTPResponse:
    status = next(code for kind, code in STATUS_OF.items() if isinstance(exc, kind))
    headers = {}
    if isinstance(exc, errors.Unauthorized):
        headers['WWW-Authenticate'] = 'Bearer'
    if isinstance(exc, (errors.TooManyRequests, errors.Busy)):
        headers['Retry-After'] = str(exc.retry_after)
    return error_response(status, exc.message, exc.code, exc.fields, headers,
                          getattr(exc, 'more', 0), getattr(exc, 'problems', None))


class ErrorPlugin:
    """Bottle plugin: domain errors become their HTTP answers, an unreachable database a 503,
    crashes a clean 500."""

    name = 'errors'
    api = 2

    def apply(self, callback, route):
        @functools.wraps(callback)
        def wrapper(*args, **kwargs):
            try:
                return callback(*args, **kwargs)
            except errors.DomainError as exc:
                return from_domain(exc)
            except bottle.HTTPResponse:
                raise
            except Exception as exc:
                outage = outages.unavailable(exc)
                if outage is not None:
                    return from_domain(outage)
                log.exception('unhandled error in %s %s', route.method, route.rule)
                return error_response(500, 'Internal server error.')
        return wrapper


def wants_json(path: str) -> bool:
    return path.startswith(JSON_PREFIXES)


def accepts(request: bottle.BaseRequest, media_type: str) -> bool:
    """Whether the request's Accept header names `media_type` (browsers name text/html for
    pages; JSON clients application/json). A missing header names nothing."""
    try:
        accept = request.get_header('Accept', '')
    except UnicodeError:
        return False
    return any(part.split(';')[0].strip().lower() == media_type for part in accept.split(','))


def handle_http_error(error: bottle.HTTPError) -> str:
    """Bottle's own errors (404, 405, 413, 500) in the JSON shape under the JSON paths."""
    if error.status_code >= 500 and error.exception is not None:
        log.error('unhandled error: %s', error.traceback or error.exception)
    message = error.body if isinstance(error.body, str) and error.body else error.status_line
    if error.status_code >= 500:
        message = 'Internal server error.'
    if error.status_code == 405:
        message = f'Method {bottle.request.method} is not allowed here.'
    if error.status_code == 404 and error.exception is None:
        message = f'Nothing at {bottle.request.path}.'
    if wants_json(bottle.request.path) or accepts(bottle.request, 'application/json'):
        answer = error_response(error.status_code, message)
        bottle.response.content_type = answer.content_type
        return answer.body
    if error.status_code == 404 and accepts(bottle.request, 'text/html'):
        from api.pages import missing_page  # the page shell: its screen says what is missing
        return missing_page()
    bottle.response.content_type = 'text/plain; charset=utf-8'
    return f'{error.status_line}\n{message}\n'
