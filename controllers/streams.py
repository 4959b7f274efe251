"""Live timelines: the feed events of `models.feedevents`, handed to each open stream.

One hub per process reads the events (a blocking XREAD on one connection of its own) and hands
each to the subscriptions that want it, each a bounded queue; a subscriber too slow to keep up
is dropped with a last word, and resumes from its last event id when it reconnects. The hub is
a thread: under gunicorn's gevent workers, whose monkey-patching makes threads greenlets and
queues cooperative, it is one greenlet per worker, and an open stream costs a queue, not a
thread or a connection; under the threaded development server and the gRPC server it is a
thread of its own beside the ones serving the streams.
"""
from __future__ import annotations

import logging
import os
import queue
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

from controllers import events
from controllers.errors import Busy, Invalid, Unavailable
from controllers.micropost_rules import EVENT_ID_RULE
from controllers.timeline import check_reader
from models import feedrows
from models.feedevents import EventReader, FeedEvents, entry_key
from models.timelines import FeedsUnavailable

BATCH = 500  # entries read at once, by the hub and by a stream catching up
RETRY_SECONDS = 1.0  # the hub's pause after Redis did not answer
BLOCK_SECONDS = 5.0  # the longest the hub's read waits for an entry

log = logging.getLogger('warble.streams')
DROPPED, CLOSED = object(), object()


@dataclass(frozen=True)
class Event:
    """A feed event as read from the stream."""

    entry: str
    type: str
    author: int
    username: str
    post: int | None = None
    followed: int | None = None
    followed_username: str | None = None

    @classmethod
    def of(cls, entry: str, fields: dict[str, str]) -> Event:
        number = lambda name: int(fields[name]) if fields.get(name) else None  # noqa: E731
        return cls(entry, fields.get('type', ''), number('author') or 0,
                   fields.get('username', ''), number('id'), number('followed'),
                   fields.get('followed_username'))

    def shown(self) -> dict:
        """What a client is told: the type, the post id as text, the author's name."""
        data = {'type': self.type, 'username': self.username}
        if self.post is not None:
            data['id'] = str(self.post)
        if self.followed_username:
            data['followed'] = self.followed_username
        return data


class Subscription:
    """One open stream's queue and what it wants: every post event (`user_id` None), or those
    of the users `user_id` follows and their own, and their own follows and unfollows, which
    change whom they follow."""

    def __init__(self, capacity: int, user_id: int | None = None):
        self.queue: queue.Queue = queue.Queue(capacity)
        self.user_id = user_id
        self.followed: set[int] = set()
        self.dropped = False

    def wants(self, event: Event) -> bool:
        if event.type in events.POST_EVENTS:
            return self.user_id is None or event.author == self.user_id \
                or event.author in self.followed
        if self.user_id is None or event.author != self.user_id or event.followed is None:
            return False
        if event.type == events.FOLLOW:
            self.followed.add(event.followed)
        else:
            self.followed.discard(event.followed)
        return True

    def offer(self, event: Event) -> None:
        if self.dropped or not self.wants(event):
            return
        try:
            self.queue.put_nowait(event)
        except queue.Full:
            self.dropped = True
            self._last_word(DROPPED)

    def close(self) -> None:
        """Wake the stream and end it (its client went, or its deadline passed)."""
        self._last_word(CLOSED)

    def _last_word(self, word: object) -> None:
        while True:
            try:
                self.queue.put_nowait(word)
                return
            except queue.Full:
                try:
                    self.queue.get_nowait()
                except queue.Empty:
                    pass


class Hub:
    """This process's reader of the feed events and its subscriptions, `limit` at most."""

    def __init__(self, store: FeedEvents, limit: int):
        self.pid, self.limit = os.getpid(), limit
        self.lock = threading.Lock()
        self.subscriptions: set[Subscription] = set()
        self.position = store.latest()
        threading.Thread(target=self._run, name='feed-events', daemon=True).start()

    def subscribe(self, subscription: Subscription) -> str:
        """Hand it every event after the one returned; Busy past the limit."""
        with self.lock:
            if len(self.subscriptions) >= self.limit:
                raise Busy(f'This server holds {self.limit} live streams already; '
                           'try again in a moment.', retry_after=5)
            self.subscriptions.add(subscription)
            return self.position

    def unsubscribe(self, subscription: Subscription) -> None:
        with self.lock:
            self.subscriptions.discard(subscription)

    def caught_up(self, subscription: Subscription) -> str | None:
        """The id of the last event handed out, if the subscription has taken all it got."""
        with self.lock:
            return self.position if subscription.queue.empty() else None

    def _run(self) -> None:
        reader = None
        while True:
            try:
                reader = reader or EventReader(BLOCK_SECONDS)
                found = reader.wait(self.position, BATCH)
            except Exception as exc:  # noqa: BLE001 - the hub outlives any one failure
                log.warning('feed events unreadable, trying again: %s', exc)
                reader = None
                time.sleep(RETRY_SECONDS)
                continue
            with self.lock:
                for entry, fields in found:
                    try:
                        event = Event.of(entry, fields)
                    except ValueError:
                        log.warning('feed event %s skipped: %r', entry, fields)
                    else:
                        for subscription in self.subscriptions:
                            subscription.offer(event)
                    self.position = entry


_hub: Hub | None = None
_hub_lock = threading.Lock()
_cap: int | None = None


def cap(count: int) -> None:
    """Hold at most `count` streams in this process whatever `streams.max_per_worker` says: a
    server that gives each stream a thread of a fixed pool keeps the rest for other calls."""
    global _cap
    _cap = count


def end_all() -> None:
    """End every stream this process holds (its server is stopping): each client reconnects,
    to another worker, and resumes where it was."""
    if _hub is not None and _hub.pid == os.getpid():
        with _hub.lock:
            ending = list(_hub.subscriptions)
        for subscription in ending:
            subscription.close()


def hub() -> Hub:
    """This process's hub, started on first use (in each worker after a fork)."""
    global _hub
    with _hub_lock:
        if _hub is None or _hub.pid != os.getpid():
            limit = events.settings().max_per_worker
            _hub = Hub(events.store(), limit if _cap is None else min(limit, _cap))
        return _hub


class LiveStream:
    """An open stream, to iterate: dicts with `kind` `open` (`retry` in ms, the `id` to resume
    from), `event` (`id`, `type`, `data`), `heartbeat` (`id` when caught up), `reset` (events
    since the client's id are no longer kept: reload; `id` to resume from), `dropped` (too slow:
    reconnect). Close it when done."""

    def __init__(self, subscription: Subscription, since: str | None):
        try:
            self.hub = hub()
        except FeedsUnavailable as exc:
            raise Unavailable('Live streams are unavailable: Redis does not answer.') from exc
        self.subscription, self.since = subscription, since
        self.start = self.hub.subscribe(subscription)
        self.settings = events.settings()

    def __iter__(self) -> Iterator[dict]:
        try:
            yield {'kind': 'open', 'retry': self.settings.retry_ms,
                   'id': None if self.since else self.start}
            last = self.start
            if self.since is not None:
                last = yield from self._replay(self.since)
            yield from self._live(last)
        except FeedsUnavailable as exc:  # the client reconnects and resumes where it was
            log.warning('a live stream ends: %s', exc)
        finally:
            self.close()

    def close(self) -> None:
        self.hub.unsubscribe(self.subscription)
        self.subscription.close()

    def _replay(self, since: str) -> Iterator[dict]:
        """The events after `since` that the stream wants; the id of the last one read."""
        store = events.store()
        if not store.kept_since(since):
            yield {'kind': 'reset', 'id': self.start, 'data': {'type': 'reset'}}
            return self.start
        last = since
        while found := store.after(last, BATCH):
            for entry, fields in found:
                event, last = Event.of(entry, fields), entry
                if self.subscription.wants(event):
                    yield {'kind': 'event', 'id': entry, 'type': event.type,
                           'data': event.shown()}
        return last

    def _live(self, last: str) -> Iterator[dict]:
        while True:
            try:
                event = self.subscription.queue.get(timeout=self.settings.heartbeat_seconds)
            except queue.Empty:
                caught_up = self.hub.caught_up(self.subscription)
                if caught_up and entry_key(caught_up) > entry_key(last):
                    last = caught_up
                yield {'kind': 'heartbeat', 'id': caught_up and last}
                continue
            if event is CLOSED:
                return
            if event is DROPPED:
                yield {'kind': 'dropped', 'data': {'type': 'dropped'}}
                return
            if entry_key(event.entry) > entry_key(last):  # not already replayed
                last = event.entry
                yield {'kind': 'event', 'id': event.entry, 'type': event.type,
                       'data': event.shown()}


class StreamController:
    """Opens live streams: of every post, or of one user's timeline (that user only)."""

    def public(self, since: str | None) -> LiveStream:
        return LiveStream(self._subscription(None), checked(since))

    def timeline(self, caller: dict, username: str, since: str | None) -> LiveStream:
        """Posts, edits and deletes of the users `caller` follows and their own; their follows
        and unfollows. The followed users are read after subscribing, so that a follow made
        meanwhile is in one or the other."""
        check_reader(caller, username)
        since = checked(since)
        subscription = self._subscription(caller['id'])
        stream = LiveStream(subscription, since)
        try:
            subscription.followed |= feedrows.followed_ids(caller['id'])
        except BaseException:
            stream.close()
            raise
        return stream

    @staticmethod
    def _subscription(user_id: int | None) -> Subscription:
        return Subscription(events.settings().queue, user_id)


def checked(since: str | None) -> str | None:
    """A client's last event id, or Invalid."""
    if since is not None and not EVENT_ID_RULE.match(since):
        raise Invalid('The last event id is an id sent as `id:` in this stream (like '
                      '1700000000000-0).', {'last_event_id': 'not an event id'})
    return since
