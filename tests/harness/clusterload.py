"""Load and witnesses for a cluster (`tests.harness.cluster`), shared by its test and
bench/cluster.py: a wrk soak through the balancer that keeps the id of every post it was told
was written (201), the replica's lag sampled meanwhile, a live stream followed across the loss
of its host, and the e-mails owed against those the sink received."""
from __future__ import annotations

import collections
import threading
import time

import psycopg
import redis
import requests
import urllib3

from controllers.events import POST_EVENTS
from models.feedevents import STREAM
from models.outbox import PENDING, SENDING
from tests.harness.cluster import Cluster
from tests.harness.servers import wait_for
from tests.harness.sse import EventStream


class LagSampler(threading.Thread):
    """The replica's replay lag (s) and WAL bytes behind, from pg_stat_replication, every
    `interval` seconds until `stop()`."""

    def __init__(self, cluster: Cluster, interval: float = 0.5):
        super().__init__(daemon=True)
        self.cluster, self.interval = cluster, interval
        self.samples: list[tuple[float | None, int | None]] = []
        self.finished = threading.Event()

    def run(self) -> None:
        while not self.finished.wait(self.interval):
            try:
                self.samples.append(self.cluster.replication())
            except psycopg.Error:  # the primary is gone: the run is over
                return

    def stop(self) -> None:
        self.finished.set()
        self.join()

    def summary(self) -> dict:
        lags = sorted(lag for lag, _ in self.samples if lag is not None)
        behind = sorted(size for _, size in self.samples if size is not None)
        middle = lambda values: values[len(values) // 2] if values else None  # noqa: E731
        return {'samples': len(self.samples), 'streaming': len(behind),
                'lag_p50_s': middle(lags), 'lag_max_s': lags[-1] if lags else None,
                'behind_p50_bytes': middle(behind), 'behind_max_bytes': behind[-1] if behind
                else None}


class StreamFollower(threading.Thread):
    """A client of the public live stream as a browser's EventSource is: it opens `first`,
    and whenever the stream ends (its host lost, or dropped for being slow) reconnects to
    `again` with Last-Event-ID. `events` are the (entry id, post id) of the post events seen,
    `opened` each URL it read from."""

    PATH = '/api/v1/microposts/stream'

    def __init__(self, first: str, again: str):
        super().__init__(daemon=True)
        self.urls = [first, again]
        self.events: list[tuple[str, str]] = []
        self.opened: list[str] = []
        self.resets = 0
        self.start_id: str | None = None
        self.finished = threading.Event()
        self.connected = threading.Event()

    def run(self) -> None:
        last, url = None, self.urls[0]
        while not self.finished.is_set():
            try:
                with EventStream(url + self.PATH, last_event_id=last) as stream:
                    if stream.status != 200:
                        raise ConnectionError(f'status {stream.status}')
                    self.opened.append(url)
                    for frame in stream.frames():
                        if self.start_id is None and 'id' in frame:
                            self.start_id = frame['id']
                        self.connected.set()
                        if frame.get('event') == 'reset':
                            self.resets += 1
                        elif frame.get('event') in POST_EVENTS:
                            self.events.append((frame['id'], frame['data']['id']))
                        last = stream.last_id or last
                        if self.finished.is_set():
                            return
            except (requests.RequestException, urllib3.exceptions.HTTPError, OSError,
                    ValueError):  # the stream broke: reconnect, as EventSource does
                time.sleep(0.2)
            url = self.urls[1]

    def stop(self) -> None:
        self.finished.set()
        self.join(timeout=40)

    def gaps(self, cluster: Cluster) -> tuple[list, list]:
        """The post events the stream holds after where this client started, up to the last
        one it saw, against those it was told of: equal when nothing was missed or repeated."""
        client = redis.Redis.from_url(cluster.redis.url())
        last = self.events[-1][0]
        entries = client.xrange(STREAM, f'({self.start_id}', last)
        held = [(entry.decode(), fields[b'id'].decode()) for entry, fields in entries
                if fields.get(b'type', b'').decode() in POST_EVENTS]
        return held, self.events

    def wait_for_entry(self, entry: str, timeout: float = 120) -> None:
        """Until the client has seen the post event `entry` (or a later one)."""
        key = lambda value: tuple(int(part) for part in value.split('-'))  # noqa: E731
        wait_for(lambda: self.events and key(self.events[-1][0]) >= key(entry), timeout=timeout,
                 what=f'the stream reaching {entry}')


def newest_post_event(cluster: Cluster) -> str:
    """The id of the newest post event in the stream."""
    client = redis.Redis.from_url(cluster.redis.url())
    for entry, fields in client.xrevrange(STREAM, count=1000):
        if fields.get(b'type', b'').decode() in POST_EVENTS:
            return entry.decode()
    raise LookupError('no post event yet')


def stored_posts(cluster: Cluster, ids: list[int]) -> set[int]:
    with cluster.database() as connection:
        return {row[0] for row in connection.execute(
            'SELECT id FROM micropost WHERE id = ANY(%s)', [ids])}


def settled_emails(cluster: Cluster, since_post: int, timeout: float = 300) -> dict:
    """Once no mention e-mail is owed unsent and the sink took none for a second: the e-mails
    owed for posts from `since_post` on, those the sink never received, those it received more
    than once, and how long that took."""
    started = time.monotonic()

    def settled() -> bool:
        before = len(cluster.mail.read())
        with cluster.database() as connection:
            waiting = connection.execute('SELECT count(*) FROM outbox_email WHERE state IN '
                                         '(%s, %s)', [PENDING, SENDING]).fetchone()[0]
        time.sleep(1.0)
        return waiting == 0 and len(cluster.mail.read()) == before
    wait_for(settled, timeout=timeout, what='every e-mail owed sent')
    received = collections.Counter(message['Message-ID'].strip('<>').partition('@')[0]
                                   for message in cluster.mail.read())
    with cluster.database() as connection:
        owed = {row[0] for row in connection.execute(
            'SELECT key FROM outbox_email WHERE micropost_id >= %s', [since_post])}
    return {'owed': len(owed), 'sent': sum(received[key] for key in owed),
            'missing': sorted(owed - set(received)),
            'doubled': sorted(key for key in owed if received[key] > 1),
            'settled_in': time.monotonic() - started}


def first_post_id(cluster: Cluster) -> int:
    """An id below that of any post written from now on (ids grow with time)."""
    with cluster.database() as connection:
        return (connection.execute('SELECT max(id) FROM micropost').fetchone()[0] or 0) + 1
