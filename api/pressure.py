"""Back-pressure: a worker that already has `server.max_in_flight` requests in progress answers
the next one at once `503 busy` with `Retry-After`, rather than queueing it for seconds behind
the others for a database connection and a turn on the CPU."""
from __future__ import annotations

import collections
from collections.abc import Callable, Iterable

from api.errors import error_response

RETRY_AFTER_SECONDS = 1
# Health and metrics answer whatever the load: an operator must see a busy worker.
EXEMPT_PATHS = ('/status', '/metrics')


class InFlightLimit:
    """Let at most `limit` requests into `app` at a time (0: no limit); refuse the others.

    A request holds its place while the app works on it; the answer it returns (a file sent by
    the server's file wrapper, say) goes out untouched, so a slow reader holds no place.
    Refusals are counted and logged with the other answers by the request middleware around."""

    def __init__(self, app: Callable, limit: int):
        self.app = app
        # Free places, taken and given back by a deque's pop and append, which are atomic
        # under threads and never switch greenlets: a semaphore would cost a request in
        # gevent's locks and conditions more than a Redis lookup does.
        self.places = collections.deque([None] * limit) if limit else None

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if self.places is None or environ.get('PATH_INFO', '') in EXEMPT_PATHS:
            return self.app(environ, start_response)
        try:
            self.places.pop()
        except IndexError:
            return refuse(start_response)
        try:
            return self.app(environ, start_response)
        finally:
            self.places.append(None)


def refuse(start_response: Callable) -> Iterable[bytes]:
    answer = error_response(
        503, 'The server is busy with other requests; try again in a moment.', 'busy',
        headers={'Retry-After': str(RETRY_AFTER_SECONDS)})
    start_response(answer.status_line, list(answer.headerlist))
    return [answer.body.encode()]
