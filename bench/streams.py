"""Live timelines under many open streams: how long a new post takes to reach each of them, and
what holding them costs the web workers.

    python3 bench/streams.py [--streams 1000] [--posts 20] [--seconds 60]

Starts its own PostgreSQL, Redis, Warble under gunicorn (`-k gevent -w 2`, as production) and
one Celery worker. An author is followed by `--streams` readers, each of whom opens their
timeline's event stream (`GET /api/v1/users/<reader>/timeline/stream`, bearer token) from this
process (asyncio, one socket each). Then the author writes `--posts` posts, one every
`--seconds / --posts` seconds, through the API; for each, the time from the moment the POST
answered to the moment each stream received its `post` event is taken. Every 5 s the web
workers' resident memory is read from /proc. The floor, in the same run: the same Redis's
XADD-to-XREAD delay for one blocked reader, the least any event can take to travel.
Printed: streams open (and refused), deliveries, p50/p95/p99 of the delay in ms for Warble and
the floor, and the workers' RSS over the run.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import secrets
import shutil
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from lib import bootstrap

if __name__ == '__main__':
    bootstrap.prepare(tests=True)
bootstrap.use_vendor()

import redis as redis_client

from bench.load import tree_cpu_seconds
from controllers import boot
from controllers.seed import SeedController
from controllers.tokens import digest
from controllers.users import UserController
from lib import config
from lib.utils.datekit import utcnow
from models import db
from models import follows as follow_store
from models.tokens import store_token
from models.users import User
from tests.harness.servers import (
    PostgresServer,
    RedisServer,
    start_gunicorn,
    start_worker,
    stop,
)
from tests.harness.stack import NO_LIMITS

PASSWORD = 'stream-password'
RSS_SECONDS = 5.0
RETRIES = 30


def seed(readers: int) -> dict:
    """An author and `readers` users following them; tokens for all (written straight to the
    store: a password check per reader would take minutes)."""
    seeder = SeedController(1)
    for _ in seeder.users(readers):
        pass
    UserController().create('author', 'author@example.com', PASSWORD)
    author = User.by_username('author').id
    others = list(User.select(User.id, User.username).where(User.id != author).tuples())
    follow_store.create_many([{'follower': user_id, 'followed': author}
                              for user_id, _name in others])
    return {'author': token_of(author),
            'readers': {name: token_of(user_id) for user_id, name in others}}


def token_of(user_id: int) -> str:
    raw, now = secrets.token_urlsafe(32), utcnow()
    store_token(user_id, digest(raw), now, now + dt.timedelta(days=1))
    return raw


class Streams:
    """Open event streams, and when each received each post's event."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.received: dict[str, list[float]] = {}
        self.opened = self.refused = 0
        self.statuses: Counter = Counter()  # of the answers that were not streams

    async def follow(self, reader: str, token: str) -> None:
        """Open the reader's stream (again after a `503 busy`, as EventSource does), then
        note when each post's event arrives."""
        for _attempt in range(RETRIES):
            reader_stream, writer = await asyncio.open_connection(self.host, self.port)
            writer.write((f'GET /api/v1/users/{reader}/timeline/stream HTTP/1.1\r\n'
                          f'Host: {self.host}\r\nAuthorization: Bearer {token}\r\n'
                          'Accept: text/event-stream\r\n\r\n').encode())
            status = await reader_stream.readline()
            if b' 200 ' in status:
                break
            self.statuses[status.split(b' ')[1:2][0].decode() if status else 'none'] += 1
            writer.close()
            await asyncio.sleep(1)
        else:
            self.refused += 1
            return
        self.opened += 1
        event = None
        while line := await reader_stream.readline():
            if line.startswith(b'event: '):
                event = line[7:].strip()
            elif line.startswith(b'data: ') and event == b'post':
                post_id = json.loads(line[6:])['id']
                self.received.setdefault(post_id, []).append(time.monotonic())


def post(base: str, token: str, text: str) -> tuple[str, float]:
    """Write a post through the API; its id and when the answer came."""
    request = urllib.request.Request(
        f'{base}/api/v1/users/author/collection', json.dumps({'text': text}).encode(),
        {'Authorization': f'Bearer {token}', 'Content-Type': 'application/json'})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())['id'], time.monotonic()


def worker_rss(master: int) -> int:
    """Resident KiB of the gunicorn master's children (its workers)."""
    total = 0
    for status in Path('/proc').glob('[0-9]*/status'):
        try:
            text = status.read_text()
        except OSError:
            continue
        fields = dict(line.split(':', 1) for line in text.splitlines() if ':' in line)
        if int(fields.get('PPid', '0').strip()) == master:
            total += int(fields.get('VmRSS', '0 kB').split()[0])
    return total


def floor_delays(url: str, count: int) -> list[float]:
    """XADD to XREAD for one blocked reader on the same Redis, `count` times, in seconds."""
    client, stream = redis_client.Redis.from_url(url), 'bench:floor'
    delays, last = [], '$'

    def read() -> None:
        nonlocal last
        for _ in range(count):
            ((_key, entries),) = client.xread({stream: last}, block=5000, count=1)
            last, fields = entries[0]
            delays.append(time.monotonic() - float(fields[b'at']))

    reader = threading.Thread(target=read)
    reader.start()
    writer = redis_client.Redis.from_url(url)
    for _ in range(count):
        time.sleep(0.01)
        writer.xadd(stream, {'at': repr(time.monotonic())})
    reader.join()
    return delays


def percentiles(values: list[float]) -> str:
    if len(values) < 2:
        return 'too few'
    cuts = statistics.quantiles(values, n=100)
    return f'p50 {cuts[49] * 1000:6.1f}  p95 {cuts[94] * 1000:6.1f}  p99 {cuts[98] * 1000:6.1f} ms'


async def run(args: argparse.Namespace, base: str, master: int, data: dict) -> None:
    host, port = base.removeprefix('http://').split(':')
    streams = Streams(host, int(port))
    tasks = [asyncio.create_task(streams.follow(reader, token))
             for reader, token in data['readers'].items()]
    deadline = time.monotonic() + 60
    while streams.opened + streams.refused < len(tasks) and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
    print(f'streams open: {streams.opened}, refused for good: {streams.refused}; answers '
          f'before a stream: {dict(streams.statuses)}', flush=True)
    rss, sent = [(0.0, worker_rss(master))], {}
    cpu, started = tree_cpu_seconds(master), time.monotonic()
    gap = args.seconds / args.posts
    for number in range(args.posts):
        post_id, at = await asyncio.to_thread(post, base, data['author'], f'live post {number}')
        sent[post_id] = at
        while time.monotonic() < started + (number + 1) * gap:
            await asyncio.sleep(0.1)
            if time.monotonic() - started >= len(rss) * RSS_SECONDS:
                rss.append((time.monotonic() - started, worker_rss(master)))
    await asyncio.sleep(2)  # the last post's deliveries
    cpu = tree_cpu_seconds(master) - cpu
    delays = [received - sent[post_id] for post_id, times in streams.received.items()
              if post_id in sent for received in times]
    expected = streams.opened * len(sent)
    print(f'deliveries: {len(delays)} of {expected} ({len(sent)} posts to {streams.opened} '
          f'streams)')
    print(f'warble  POST answered -> event received: {percentiles(delays)}')
    print(f'web workers\' CPU over the run: {cpu:.1f} s for {len(delays)} deliveries')
    print('web workers\' RSS (MiB) every 5 s: ' + ' '.join(f'{kib / 1024:.0f}' for _, kib in rss))
    for task in tasks:
        task.cancel()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--streams', type=int, default=1000)
    parser.add_argument('--posts', type=int, default=20)
    parser.add_argument('--seconds', type=int, default=60)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix='warble-streams-'))
    redis, postgres = RedisServer(work), PostgresServer()
    processes = []
    try:
        environ = {'WARBLE_DATABASE_URL': postgres.create_database('warble_streams'),
                   'WARBLE_REDIS_URL': redis.url, 'WARBLE_PATHS_VAR': str(work),
                   'WARBLE_LOGGING_LEVEL': 'WARNING',
                   'WARBLE_STREAMS_MAX_PER_WORKER': str(args.streams), **NO_LIMITS}
        boot.configure(config.load(environ))
        db.migrations().up()
        data = seed(args.streams)
        db.database.close()
        worker = start_worker(environ, work / 'worker.log')
        processes.append(worker)
        web, base = start_gunicorn(environ, work / 'web.log')
        processes.append(web)
        asyncio.run(run(args, base, web.pid, data))
        print(f'floor   XADD -> XREAD, one reader:     '
              f'{percentiles(floor_delays(redis.url, 200))}')
    finally:
        for process in processes:
            stop(process)
        redis.stop()
        postgres.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    main()
