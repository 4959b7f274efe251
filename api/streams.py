"""Live timelines as Server-Sent Events: the public feed's and a user's home feed's posts,
edits and deletes as they happen (see `controllers.streams`).

A route returns a generator, which gunicorn sends chunk by chunk as it yields: nothing on the
way buffers it (the request middleware and the in-flight limit hand the answer on untouched
and let go of it once the route returns; the page cache knows no stream). nginx is told not to
buffer it either (`X-Accel-Buffering`, and the stream locations of its configuration).
"""
from __future__ import annotations

import json
from collections.abc import Iterator

import bottle

from api.decorators import auth
from api.spec import operation
from controllers import streams
from controllers.micropost_rules import LAST_EVENT_ID
from controllers.streams import LiveStream, StreamController

app = bottle.Bottle()

STREAM_QUERY = {'type': 'object', 'properties': {'last_event_id': LAST_EVENT_ID},
                'additionalProperties': False}
EVENT_STREAM = 'text/event-stream; charset=utf-8'


@app.get('/api/v1/microposts/stream')
@operation('Every new post, edit and delete as it happens (Server-Sent Events)',
           tags=('microposts',), query=STREAM_QUERY, responses={200: None, 400: None})
def stream_microposts(query: dict) -> Iterator[bytes]:
    return sse(StreamController().public(last_event_id(query)))


@app.get('/api/v1/users/<username>/timeline/stream')
@auth('user')
@operation("A user's home feed as it changes: posts, edits and deletes of the users they "
           'follow and their own, their follows and unfollows (Server-Sent Events)',
           tags=('follows',), query=STREAM_QUERY, security=True,
           responses={200: None, 400: None, 401: None, 403: None, 404: None})
def stream_timeline(username: str, caller: dict, query: dict) -> Iterator[bytes]:
    return sse(StreamController().timeline(caller, username, last_event_id(query)))


def share_threads(threads: int) -> None:
    """On a server with a thread per connection (the development server, gRPC's pool), let
    streams hold at most half of its `threads`, so that other requests are still served."""
    streams.cap(max(1, threads // 2))


def end_streams() -> None:
    """End the open streams of this process, whose server is stopping."""
    streams.end_all()


def last_event_id(query: dict) -> str | None:
    """Where the client resumes: the `Last-Event-ID` header a browser sends on reconnecting,
    or the query parameter."""
    return query.get('last_event_id') or bottle.request.headers.get('Last-Event-ID') or None


def sse(stream: LiveStream) -> Iterator[bytes]:
    """The stream's items as Server-Sent Events, with the headers that keep them unbuffered."""
    response = bottle.response
    response.content_type = EVENT_STREAM
    response.set_header('Cache-Control', 'no-store')
    response.set_header('X-Accel-Buffering', 'no')
    return frames(stream)


def frames(stream: LiveStream) -> Iterator[bytes]:
    try:
        for item in stream:
            yield frame(item).encode()
    finally:
        stream.close()


def frame(item: dict) -> str:
    """One item as an event: `retry` and `id` alone (no event, but where to resume), a
    heartbeat comment, or `id`, `event` and `data`."""
    lines = []
    if item['kind'] == 'open':
        lines.append(f'retry: {item["retry"]}')
    elif item['kind'] == 'heartbeat':
        lines.append(': heartbeat')
    if item.get('id'):
        lines.append(f'id: {item["id"]}')
    if 'data' in item:
        lines += [f'event: {item["data"]["type"]}',
                  f'data: {json.dumps(item["data"], separators=(",", ":"))}']
    return '\n'.join(lines) + '\n\n'
