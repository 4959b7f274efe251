"""WSGI middleware around the whole app: request id, security headers, access log, body limit,
connection release."""
from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable, Iterable

from api.errors import error_response, wants_json
from lib.logs import request_id

access_log = logging.getLogger('warble.access')
VALID_REQUEST_ID = re.compile(r'^[A-Za-z0-9._:-]{1,128}$')

# Scripts, styles and connections from this origin only: no inline script, no eval, no framing.
CONTENT_SECURITY_POLICY = '; '.join((
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
    "connect-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'",
    "frame-ancestors 'none'"))
SECURITY_HEADERS = [('Content-Security-Policy', CONTENT_SECURITY_POLICY),
                    ('X-Content-Type-Options', 'nosniff'),
                    ('Referrer-Policy', 'same-origin')]


class RequestContext:
    """Give each request an id (the client's `X-Request-ID` when sane), refuse oversized bodies,
    log one line when the answer is done, and run `on_finish` (database connection release).
    `path_limits` raises the body limit for paths that take bulk uploads."""

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
            if self._too_large(environ):
                return self._refuse_body(environ, start)
            return self.app(environ, start)
        finally:
            self.on_finish()
            line = {'method': environ.get('REQUEST_METHOD'), 'path': environ.get('PATH_INFO'),
                    'status': status_seen[0][:3] if status_seen else '-',
                    'duration_ms': round((time.perf_counter() - started) * 1000, 1)}
            access_log.info('%(method)s %(path)s %(status)s %(duration_ms)sms', line, extra=line)
            request_id.reset(token)

    def _refuse_body(self, environ: dict, start: Callable) -> list[bytes]:
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
        return length.isdigit() and int(length) > self._limit(environ)
