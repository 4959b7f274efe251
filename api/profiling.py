"""Profiles of single requests, for finding slow endpoints in staging.

With `profiling.enabled`, a request carrying the header named by `profiling.header` runs under
pyinstrument; its profile is written as HTML to `profiles/` under `paths.var`, and the answer
names the file in that same header.
"""
from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from lib.logs import request_id


class Profiling:
    """WSGI middleware: profile the requests that ask for it, pass the others through."""

    def __init__(self, app: Callable, header: str, directory: Path):
        self.app, self.header, self.directory = app, header, directory
        self.environ_key = 'HTTP_' + header.upper().replace('-', '_')

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if self.environ_key not in environ:
            return self.app(environ, start_response)
        from pyinstrument import Profiler
        name = profile_name(environ)

        streamed = []

        def start(status: str, headers: list, exc_info=None):
            headers.append((self.header, name))
            streamed.extend(value for key, value in headers if key.lower() == 'content-type'
                            and value.startswith('text/event-stream'))
            return start_response(status, headers, exc_info)

        with Profiler(async_mode='disabled') as profiler:
            answer = self.app(environ, start)
            if streamed:  # a live stream never ends: it is not profiled, nor held back
                return answer
            try:
                body = b''.join(answer)  # the work of a streamed answer is part of the profile
            finally:
                if hasattr(answer, 'close'):
                    answer.close()
        self.directory.mkdir(parents=True, exist_ok=True)
        (self.directory / name).write_text(profiler.output_html())
        return [body]


def profile_name(environ: dict) -> str:
    """`<UTC time>-<METHOD>-<path as a slug>-<request id>.html`."""
    path = re.sub(r'[^A-Za-z0-9]+', '-', environ.get('PATH_INFO', '')).strip('-')[:80] or 'root'
    stamp = time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())
    return f'{stamp}-{environ.get("REQUEST_METHOD", "GET")}-{path}-{request_id.get()}.html'
