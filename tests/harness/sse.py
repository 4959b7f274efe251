"""A Server-Sent Events client over a real socket (requests, streamed), for tests and benchmarks:
it reads frames as a browser's EventSource parses them."""
from __future__ import annotations

import json
from collections.abc import Iterator

import requests

READ_SECONDS = 30  # a stream silent this long (no event, no heartbeat) fails the read


class EventStream:
    """One open stream. `frames()` yields each frame as a dict of its fields (`id`, `event`,
    `data` parsed from JSON, `retry`, `comment`); `heartbeats` counts the comments seen."""

    def __init__(self, url: str, headers: dict | None = None, last_event_id: str | None = None):
        headers = dict(headers or {})
        if last_event_id:
            headers['Last-Event-ID'] = last_event_id
        self.response = requests.get(url, headers=headers, stream=True,
                                     timeout=(5, READ_SECONDS))
        self.status = self.response.status_code
        self.last_id: str | None = None
        self.heartbeats = 0
        self._lines = self._read_lines() if self.status == 200 else iter(())

    def _read_lines(self) -> Iterator[str]:
        """Lines as they arrive: `read1` hands over what came, chunked (gunicorn) or not (the
        development server's HTTP/1.0), where reading a size or to the end would wait."""
        pending = b''
        while data := self.response.raw.read1(65536):
            *lines, pending = (pending + data).split(b'\n')
            for line in lines:
                yield line.rstrip(b'\r').decode()

    def frames(self) -> Iterator[dict]:
        frame: dict = {}
        for line in self._lines:
            if line == '':
                if frame:
                    if 'id' in frame:
                        self.last_id = frame['id']
                    yield frame
                frame = {}
                continue
            name, _, value = line.partition(':')
            value = value[1:] if value.startswith(' ') else value
            if name == '':
                self.heartbeats += 1
                frame['comment'] = value
            else:
                frame[name] = json.loads(value) if name == 'data' else value

    def first(self) -> dict:
        """The opening frame (its `retry`, and the `id` to resume from)."""
        return next(self.frames())

    def next_event(self) -> dict:
        """The next frame that is an event: `{"id", "event", "data"}`."""
        return next(frame for frame in self.frames() if 'event' in frame)

    def events(self, count: int) -> list[dict]:
        return [self.next_event() for _ in range(count)]

    def close(self) -> None:
        self.response.close()

    def __enter__(self) -> EventStream:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()
