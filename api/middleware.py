"""WSGI middleware around the whole app: request id, security headers, access log and metrics,
body limit, connection release."""
from __future__ import annotations

import contextlib
import io
import logging
import os
import re
import socket
import time
from collections.abc import Callable, Iterable

from api.callers import CALLER
from api.errors import error_response, wants_json
from lib import metrics
from lib.logs import request_id

access_log = logging.getLogger('warble.access')
VALID_REQUEST_ID = re.compile(r'^[A-Za-z0-9._:-]{1,128}$')
UNMATCHED = 'unmatched'  # the route label of requests that matched no route
METHODS = frozenset(('GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'))
PACE_BYTES = 1024 * 1024  # a large body is read in steps of this size, with a pause between
DRAIN_BYTES = 16 * 1024 * 1024  # a refused body up to this size is read to its end

# Scripts, styles and connections from this origin only: no inline script, no eval, no framing.
CONTENT_SECURITY_POLICY = '; '.join((
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
    "connect-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'",
    "frame-ancestors 'none'"))
SECURITY_HEADERS = [('Content-Security-Policy', CONTENT_SECURITY_POLICY),
                    ('X-Content-Type-Options', 'nosniff'),
                    ('Referrer-Policy', 'same-origin')]
SECURITY_HEADER_NAMES = [(name.lower(), (name, value)) for name, value in SECURITY_HEADERS]


class RequestContext:
    """Give each request an id (the client's `X-Request-ID` when sane), refuse oversized bodies
    (sent whole or in chunks), count and log the answer, and run `on_finish` (database
    connection release). `path_limits` sets the body limit of paths that take uploads: by
    path, or by a pattern the whole path matches."""

    def __init__(self, app: Callable, max_body_bytes: int, on_finish: Callable[[], None],
                 path_limits: dict[str | re.Pattern, int] | None = None):
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.on_finish = on_finish
        self.path_limits = {path: limit for path, limit in (path_limits or {}).items()
                            if isinstance(path, str)}
        self.pattern_limits = [(pattern, limit) for pattern, limit in
                               (path_limits or {}).items() if not isinstance(pattern, str)]

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        given = environ.get('HTTP_X_REQUEST_ID')
        rid = given if given and VALID_REQUEST_ID.match(given) else os.urandom(16).hex()
        token = request_id.set(rid)
        started = time.perf_counter()
        status_seen = []

        def start(status: str, headers: list, exc_info=None):
            status_seen.append(status)
            present = {name.lower() for name, _ in headers}
            headers.append(('X-Request-ID', rid))
            headers += [header for name, header in SECURITY_HEADER_NAMES if name not in present]
            return start_response(status, headers, exc_info)

        try:
            if self._too_large(environ) or not self._take_chunked_body(environ):
                return self._refuse_body(environ, start)
            body = environ['wsgi.input'] = PacedInput(environ['wsgi.input'])
            answer = self.app(environ, start)
            return Finished(answer, environ) if body.left(environ) else answer
        finally:
            self.on_finish()
            answered(environ, status_seen[-1][:3] if status_seen else '-',
                     time.perf_counter() - started)
            request_id.reset(token)

    def _refuse_body(self, environ: dict, start: Callable) -> Iterable[bytes]:
        environ['wsgi.input'] = PacedInput(environ['wsgi.input'])
        drain(environ)
        message = f'The request body exceeds {self._limit(environ)} bytes.'
        if wants_json(environ.get('PATH_INFO', '')):
            answer = error_response(413, message)
            start(answer.status_line, list(answer.headerlist))
            body = answer.body.encode()
        else:
            start('413 Payload Too Large', [('Content-Type', 'text/plain; charset=utf-8')])
            body = message.encode()
        return Finished([body], environ)

    def _limit(self, environ: dict) -> int:
        path = environ.get('PATH_INFO', '')
        if path in self.path_limits:
            return self.path_limits[path]
        return next((limit for pattern, limit in self.pattern_limits if pattern.fullmatch(path)),
                    self.max_body_bytes)

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


class PacedInput:
    """The request body, read with a pause after each PACE_BYTES: from a fast client a socket
    never blocks, so a gevent worker reading 64 MiB would serve no other request until done."""

    def __init__(self, stream):
        self.stream = stream
        self.unpaced = self.taken = 0

    def read(self, size: int = -1) -> bytes:
        return self._paced(self.stream.read(size))

    def readline(self, size: int = -1) -> bytes:
        return self._paced(self.stream.readline(size))

    def left(self, environ: dict) -> int:
        """How much of a body of known length is still unread."""
        length = environ.get('CONTENT_LENGTH') or ''
        return int(length) - self.taken if is_number(length) else 0

    def _paced(self, data: bytes) -> bytes:
        self.taken += len(data)
        self.unpaced += len(data)
        if self.unpaced >= PACE_BYTES:
            self.unpaced = 0
            time.sleep(0)  # under gevent, a switch to the worker's other requests
        return data


def is_number(text: str) -> bool:
    """ASCII digits only: `isdigit` also takes "³", which int() refuses."""
    return text.isascii() and text.isdigit()


def drain(environ: dict) -> bool:
    """Read and drop what is left of the body when that is at most DRAIN_BYTES (a body sent in
    chunks: until it ends, or DRAIN_BYTES); True if it was. Closing a connection with unread
    data resets it, and the client would see that rather than the answer."""
    body: PacedInput = environ['wsgi.input']
    chunked = not is_number(environ.get('CONTENT_LENGTH') or '')
    left = DRAIN_BYTES + 1 if chunked else body.left(environ)
    if left > DRAIN_BYTES and not chunked:
        return False
    while left > 0:
        chunk = body.read(min(left, PACE_BYTES))
        if not chunk:
            return True
        left -= len(chunk)
    return not chunked


class Finished:
    """An answer that, once sent (the server calls `close`), disposes of what is left unread of
    the request body: drained when it is small, else gunicorn's socket stops reading and the
    connection ends. gunicorn would drain any body in 1 KiB reads that copy all it holds
    buffered at each: 4 s of CPU for 64 MiB that a route refused without reading (a 401)."""

    def __init__(self, answer: Iterable[bytes], environ: dict):
        self.answer, self.environ = answer, environ

    def __iter__(self):
        return iter(self.answer)

    def close(self) -> None:
        try:
            if hasattr(self.answer, 'close'):
                self.answer.close()
        finally:
            connection = self.environ.get('gunicorn.socket')
            if not drain(self.environ) and connection is not None:
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RD)


def answered(environ: dict, status: str, seconds: float) -> None:
    """Count the answer by its route rule (not its path) and log one line about it."""
    route = environ.get('bottle.route')
    rule = route.rule if route else None
    method = environ.get('REQUEST_METHOD', '-')
    metrics.request_answered(method if method in METHODS else 'other', rule or UNMATCHED,
                             status, seconds)
    if not access_log.isEnabledFor(logging.INFO):
        return
    line = {'method': method, 'path': environ.get('PATH_INFO'), 'route': rule,
            'status': int(status) if is_number(status) else None,
            'duration_ms': round(seconds * 1000, 1), 'user': environ.get(CALLER)}
    access_log.info('%(method)s %(path)s %(status)s %(duration_ms)sms', line, extra=line)
