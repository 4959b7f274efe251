"""Feed events (posts fanned out, edits, deletes, follows, unfollows) on the `timelines` Redis,
for the live streams of timelines.

They are kept in a Redis Stream, not sent by PUBLISH: a stream is publish-subscribe with a
history. Each entry has an id (`<ms>-<seq>`, growing), so a client that reconnects with the last
id it saw (`Last-Event-ID`) is given every entry after it, edits and deletes included, with
neither gap nor repeat; pub/sub would lose whatever happened while it was away. The stream is
cut to about `maxlen` entries on each write; a client whose id is older than what is kept is
told so (`kept_since`) and reloads.
"""
from __future__ import annotations

import redis

from models.redisdb import blocking_client, get_redis
from models.timelines import answering

STREAM = 'feeds:events'
START = '0-0'

Entry = tuple[str, dict[str, str]]


def entry_key(entry_id: str) -> tuple[int, int]:
    """An entry id as a pair of numbers, in the stream's order."""
    ms, _, seq = entry_id.partition('-')
    return int(ms), int(seq or 0)


class FeedEvents:
    """The stream of feed events, cut to about `maxlen` entries."""

    def __init__(self, maxlen: int):
        self.maxlen = maxlen
        self.redis = get_redis('timelines')

    def emit(self, event: dict[str, object]) -> str:
        """Append an event (its values as text); its entry id."""
        fields = {key: str(value) for key, value in event.items() if value is not None}
        with answering():
            return _text(self.redis.xadd(STREAM, fields, maxlen=self.maxlen, approximate=True))

    def latest(self) -> str:
        """The id of the newest entry ever written ('0-0' for none): where a reader starts."""
        with answering():
            try:
                return _text(self.redis.xinfo_stream(STREAM)['last-generated-id'])
            except redis.ResponseError:  # no such key: nothing written yet
                return START

    def after(self, entry_id: str, count: int) -> list[Entry]:
        """Up to `count` entries after `entry_id`, oldest first."""
        with answering():
            return _entries(self.redis.xrange(STREAM, f'({entry_id}', '+', count=count))

    def kept_since(self, entry_id: str) -> bool:
        """Whether every entry written after `entry_id` is still kept: False when older ones
        were cut away past it, or when the stream is younger than the id (Redis lost it)."""
        with answering():
            try:
                info = self.redis.xinfo_stream(STREAM)
            except redis.ResponseError:
                return entry_id == START
        asked, newest = entry_key(entry_id), entry_key(_text(info['last-generated-id']))
        if asked > newest:
            return False
        if int(info.get('entries-added', info['length'])) == int(info['length']):
            return True  # nothing was ever cut
        first = info.get('first-entry')
        return asked >= entry_key(_text(first[0])) if first else asked == newest


class EventReader:
    """Waits for entries on a connection of its own: a blocking read holds its connection."""

    def __init__(self, block_seconds: float):
        self.block_seconds = block_seconds
        self.redis = blocking_client('timelines', block_seconds)

    def wait(self, entry_id: str, count: int) -> list[Entry]:
        """Up to `count` entries after `entry_id`, waiting up to `block_seconds` for one."""
        with answering():
            found = self.redis.xread({STREAM: entry_id}, count=count,
                                     block=int(self.block_seconds * 1000))
        return _entries(found[0][1]) if found else []


def _entries(rows: list) -> list[Entry]:
    return [(_text(entry_id), {_text(key): _text(value) for key, value in fields.items()})
            for entry_id, fields in rows]


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
