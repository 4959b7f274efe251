"""WSGI middleware around the whole app: request id, security headers, access log and metrics,
body limit, connection release."""
from __future__ import annotations

import io
import logging
import re
import time
import uuid
from collections.abc import Callable, Iterable

from api.errors import error_response, wants_json
from api.web import CALLER
from lib import metrics
from lib.logs import request_id

access_log = logging.getLogger('warble.access')
VALID_REQUEST_ID = re.compile(r'^[A-Za-z0-9._:-]{1,128}$')
UNMATCHED = 'unmatched'  # the route label of requests that matched no route
METHODS = ('GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS')
DRAIN_BYTES = 16 * 1024 * 1024

# Scripts, styles and connections from this origin only: no inline script, no eval, no framing.
CONTENT_SECURITY_POLICY = '; '.join((
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
    "connect-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'",
    "frame-ancestors 'none'"))
SECURITY_HEADERS = [('Content-Security-Policy', CONTENT_SECURITY_POLICY),
                    ('X-Content-Type-Options', 'nosniff'),
                    ('Referrer-Policy', 'same-origin')]


class RequestContext:
    """Give each request an id (the client's `X-Request-ID` when sane), refuse oversized bodies
    (sent whole or in chunks), count and log the answer, and run `on_finish` (database
    connection release). `path_limits` raises the body limit for paths that take bulk uploads."""

    def __init__(self, app: Callable, max_body_bytes: int, on_finish: Callable[[], None],
                 path_limits: dict[str, int] | None = None):
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.on_finish = on_finish
        self.path_limits = path_limits or {}

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        given = environ.get('HTTP_X_REQUEST_ID', '')
        rid = given if VALID_REQUEST_ID.match(given) else uuid.uuid4().hex
        token = request_id.set(rid)
        started = time.perf_counter()
        status_seen = []

        def start(status: str, headers: list, exc_info=None):
            status_seen.append(status)
            headers.append(('X-Request-ID', rid))
            present = {name.lower() for name, _ in headers}
            headers.extend(header for header in SECURITY_HEADERS
                           if header[0].lower() not in present)
            return start_response(status, headers, exc_info)

        try:
            if self._too_large(environ) or not self._take_chunked_body(environ):
                return self._refuse_body(environ, start)
            return self.app(environ, start)
        finally:
            self.on_finish()
            answered(environ, status_seen[-1][:3] if status_seen else '-',
                     time.perf_counter() - started)
            request_id.reset(token)

    def _refuse_body(self, environ: dict, start: Callable) -> list[bytes]:
        drain(environ)
        message = f'The request body exceeds {self._limit(environ)} bytes.'
        if wants_json(environ.get('PATH_INFO', '')):
            answer = error_response(413, message)
            start(answer.status_line, list(answer.headerlist))
            return [answer.body.encode()]
        start('413 Payload Too Large', [('Content-Type', 'text/plain; charset=utf-8')])
        return [message.encode()]

    def _limit(self, environ: dict) -> int:
        return self.path_limits.get(environ.get('PATH_INFO', ''), self.max_body_bytes)

    def _too_large(self, environ: dict) -> bool:
        length = environ.get('CONTENT_LENGTH') or '0'
        return is_number(length) and int(length) > self._limit(environ)

    def _take_chunked_body(self, environ: dict) -> bool:
        """A body sent in chunks, which the server has joined already (`wsgi.input_terminated`,
        as gunicorn does): read up to the limit and hand it on as a plain body, since Bottle
        would try to join the chunks again. False when it is over the limit."""
        chunked = 'chunked' in environ.get('HTTP_TRANSFER_ENCODING', '').lower()
        if not chunked or not environ.get('wsgi.input_terminated'):
            return True
        limit = self._limit(environ)
        body = environ['wsgi.input'].read(limit + 1)
        if len(body) > limit:
            return False
        environ['wsgi.input'] = io.BytesIO(body)
        environ['CONTENT_LENGTH'] = str(len(body))
        del environ['HTTP_TRANSFER_ENCODING']
        return True


def is_number(text: str) -> bool:
    """ASCII digits only: `isdigit` also takes "³", which int() refuses."""
    return text.isascii() and text.isdigit()


def drain(environ: dict) -> None:
    """Read and drop what is left of a refused body, up to DRAIN_BYTES: closing a connection
    with unread data resets it, and the client would see that rather than the 413."""
    length = environ.get('CONTENT_LENGTH') or ''
    left = int(length) if is_number(length) else DRAIN_BYTES
    if left > DRAIN_BYTES:
        return
    while left > 0:
        chunk = environ['wsgi.input'].read(min(left, 65536))
        if not chunk:
            return
        left -= len(chunk)


def answered(environ: dict, status: str, seconds: float) -> None:
    """Count the answer by its route rule (not its path) and log one line about it."""
    route = environ.get('bottle.route')
    method = environ.get('REQUEST_METHOD', '-')
    line = {'method': method, 'path': environ.get('PATH_INFO'),
            'route': route.rule if route else None,
            'status': int(status) if is_number(status) else None,
            'duration_ms': round(seconds * 1000, 1), 'user': environ.get(CALLER)}
    metrics.request_answered(method if method in METHODS else 'other',
                             line['route'] or UNMATCHED, status, seconds)
    access_log.info('%(method)s %(path)s %(status)s %(duration_ms)sms', line, extra=line)
