"""Home feeds: timeline pages that cost the same however many users a reader follows, and the
fan-out that fills them.

    python3 bench/timelines.py [--users 10000] [--posts 1000000] [--follows 20]
                               [--followers 100000] [--seconds 5] [--rounds 3]

Builds, in a fresh PostgreSQL and Redis, the data set of bench/microposts.py (each user following
`--follows` others), readers following 20 and 500 users, one who also follows an account with
`--followers` followers (merged on read), and an author followed by 10,000 users. Serves Warble
and the floor (bench/floors.py: the same Redis script and database query, bare) under gunicorn
`-k gevent -w 2`, and drives with wrk, at 1 and 8 connections, newest-first pages of each reader
(the first page and the 9 older ones its `next` links lead to) beside the page-number timeline of
the database (`?page=N`, oldest first: what every timeline cost before feeds). Each run prints
req/s, p50/p95 in ms and CPU ms per request of the server and of the stores (PostgreSQL and
Redis); the summary gives medians over rounds and Warble's req/s over its floor's. Then, in this
process: the fan-out of a post to the 10,000 followers' built feeds (seconds and feeds per
second, median of 3), and the Redis memory a feed of `timelines.length` posts takes.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from lib import bootstrap

if __name__ == '__main__':
    bootstrap.prepare(tests=True)
bootstrap.use_vendor()

from bench.load import Figures, drive, tree_cpu_seconds
from bench.microposts import READER_PASSWORD, ServerPostgres, seed_users
from controllers import boot
from controllers.feeds import FeedController
from controllers.microposts import MicropostController
from controllers.seed import SeedController
from controllers.tokens import TokenController
from controllers.users import UserController
from lib import config
from lib.utils.datekit import utcnow
from lib.utils.urlkit import Links
from models import db, redisdb
from models import follows as follow_store
from models.timelines import feed_key
from models.users import User
from tests.harness.servers import RedisServer, start_gunicorn, stop
from tests.harness.stack import NO_LIMITS

CONNECTIONS = (1, 8)
PAGES = 10
SETTLE_SECONDS = 0.5
FANNED = 10_000  # followers of the author whose fan-out is timed


def seed(args: argparse.Namespace) -> dict:
    """The data set; the readers' tokens and ids, the fan-out author's id."""
    seeder = SeedController(args.random_seed)
    started = time.perf_counter()
    regular = seed_users(seeder, args)
    chance = random.Random(args.random_seed)
    accounts = UserController()
    for name in ('reader20', 'reader500', 'reader500m', 'loud', 'author'):
        accounts.create(name, f'{name}@example.com', READER_PASSWORD)
    ids = {name: User.by_username(name).id for name in
           ('reader20', 'reader500', 'reader500m', 'loud', 'author')}
    follows = [{'follower': ids[reader], 'followed': followed}
               for reader, count in (('reader20', 20), ('reader500', 500), ('reader500m', 500))
               for followed in chance.sample(regular, count)]
    follows += [{'follower': ids['reader500m'], 'followed': ids['loud']}]
    follows += [{'follower': follower, 'followed': ids['author']}
                for follower in chance.sample(regular, min(FANNED, len(regular)))]
    last = max(ids.values())
    for _ in seeder.users(args.followers):  # the loud account's followers, who write nothing
        pass
    crowd = [user_id for user_id, in User.select(User.id).where(User.id > last).tuples()]
    follows += [{'follower': follower, 'followed': ids['loud']} for follower in crowd]
    for start in range(0, len(follows), 10_000):
        follow_store.create_many(follows[start:start + 10_000])
    writer = MicropostController()
    writer.create_many([{'user': ids['loud'], 'text': f'loud post {n}', 'referenced': None,
                         'created': utcnow()} for n in range(50)])
    seeder.analyze()
    print(f'data set: {args.users} users following {args.follows} each, {args.posts} posts, '
          f'an account with {len(crowd) + 1} followers, in {time.perf_counter() - started:.0f} s',
          flush=True)
    tokens = {name: TokenController().issue(name, READER_PASSWORD, '127.0.0.1')['access_token']
              for name in ('reader20', 'reader500', 'reader500m')}
    return {'tokens': tokens, 'ids': ids}


def newest_pages(base: str, reader: str, token: str) -> list[str]:
    """The paths of a reader's first newest-first page and of the older ones after it."""
    paths, path = [], f'/api/v1/users/{reader}/timeline?order=newest&size=20'
    while path and len(paths) < PAGES:
        paths.append(path)
        request = urllib.request.Request(base + path,
                                         headers={'Authorization': f'Bearer {token}'})
        with urllib.request.urlopen(request, timeout=30) as answer:
            following = json.loads(answer.read())['next']
        path = following and following[following.index('/api/'):]
    return paths


def run(pid: int, base: str, paths: list[str], token: str, seconds: int, connections: int,
        stores: tuple[int, ...] = ()) -> tuple[Figures, float, float]:
    """The figures of one wrk run, and CPU ms per request of the server and of `stores`."""
    cpu, store = tree_cpu_seconds(pid), sum(tree_cpu_seconds(each) for each in stores)
    figures = drive(base, paths, seconds, connections, headers={
        'Authorization': f'Bearer {token}'}, threads=1 if connections == 1 else 2)
    time.sleep(SETTLE_SECONDS)
    count = max(figures.requests, 1)
    return (figures, (tree_cpu_seconds(pid) - cpu) * 1000 / count,
            (sum(tree_cpu_seconds(each) for each in stores) - store) * 1000 / count)


def fan_out_seconds(author: int) -> tuple[int, list[float]]:
    """How many followers the author has, and the seconds of three fan-outs of the author's
    posts to their built feeds."""
    feeds = FeedController()
    followers = [follower for _, follower in follow_store.Follow.select(
        follow_store.Follow.id, follow_store.Follow.follower).where(
        follow_store.Follow.followed == author).tuples()]
    for follower in followers:
        feeds.build(follower)
    timings = []
    for number in range(3):
        post = MicropostController(Links('http://bench')).create(
            {'id': author, 'username': 'author'}, f'to ten thousand {number}')
        started = time.perf_counter()
        feeds.fan_out(int(post['id']))
        timings.append(time.perf_counter() - started)
    return len(followers), timings


def feed_bytes(user_id: int) -> int:
    """Redis's own count of the memory of one user's feed."""
    return redisdb.get_redis('timelines').memory_usage(feed_key(user_id))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--users', type=int, default=10000)
    parser.add_argument('--posts', type=int, default=1000000)
    parser.add_argument('--follows', type=int, default=20)
    parser.add_argument('--followers', type=int, default=100000)
    parser.add_argument('--seconds', type=int, default=5)
    parser.add_argument('--rounds', type=int, default=3)
    parser.add_argument('--random-seed', type=int, default=1)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix='warble-timelines-'))
    redis, postgres = RedisServer(work), ServerPostgres()
    try:
        with contextlib.ExitStack() as stack:
            environ = {'WARBLE_DATABASE_URL': postgres.create_database('warble_timelines'),
                       'WARBLE_REDIS_URL': redis.url, 'WARBLE_PATHS_VAR': str(work),
                       'WARBLE_LOGGING_LEVEL': 'WARNING', **NO_LIMITS}
            boot.configure(config.load(environ))
            db.migrations().up()
            data = seed(args)
            servers = {}
            for name, app in (('warble', 'app:application'), ('floor', 'bench.floors:application')):
                process, base = start_gunicorn(environ, work / f'{name}.log', app=app)
                stack.callback(stop, process)
                servers[name] = (process.pid, base)
            runs: dict[tuple, list] = {}
            stores = (postgres.process.pid, redis.process.pid)
            readers = ('reader20', 'reader500', 'reader500m')
            paths = {reader: newest_pages(servers['warble'][1], reader, data['tokens'][reader])
                     for reader in readers if args.rounds}  # builds each reader's feed
            print('\ngunicorn -k gevent -w 2 each; wrk; latencies in ms; cpu: ms per request of '
                  'the server, then of\nPostgreSQL and Redis; "newest": pages by post id from '
                  'the feed; "by number": ?page=1..10 from\nthe database')
            for round_number in range(1, args.rounds + 1):
                for connections in CONNECTIONS:
                    print(f'round {round_number}, {connections} connection(s)', flush=True)
                    for reader in readers:
                        token = data['tokens'][reader]
                        numbered = [f'/api/v1/users/{reader}/timeline?page={page}'
                                    for page in range(1, PAGES + 1)]
                        for label, server, chosen in (
                                ('newest', 'warble', paths[reader]),
                                ('floor', 'floor', paths[reader]),
                                ('by number', 'warble', numbered)):
                            if label == 'floor' and reader == 'reader500m':
                                continue  # the floor reads no merged account
                            figures, cpu, store = run(*servers[server], chosen, token,
                                                      args.seconds, connections, stores)
                            runs.setdefault((reader, label, connections), []).append(
                                (figures, cpu, store))
                            print(f'{reader:11} {label:10} {figures.requests_per_second:7.0f} '
                                  f'{figures.p50:6.2f} {figures.p95:6.2f} | {cpu:5.2f} '
                                  f'{store:5.2f}'
                                  + (f'  ({figures.failures} failed)' if figures.failures
                                     else ''), flush=True)
            if runs:
                summarize(runs, readers)
            count, timings = fan_out_seconds(data['ids']['author'])
            fanned = statistics.median(timings)
            print(f'\nfan-out of a post to {count} built feeds, one process: median '
                  f'{fanned:.2f} s ({count / fanned:.0f} feeds/s; runs '
                  f'{", ".join(f"{each:.2f}" for each in timings)} s)')
            print(f'Redis memory of a feed: reader500 {feed_bytes(data["ids"]["reader500"])} '
                  f'bytes, reader20 {feed_bytes(data["ids"]["reader20"])} bytes')
    finally:
        redis.stop()
        postgres.stop()
        shutil.rmtree(work, ignore_errors=True)


def summarize(runs: dict[tuple, list], readers: tuple[str, ...]) -> None:
    def median(key: tuple, index: int, field: str | None = None) -> float:
        return statistics.median(getattr(run[0], field) if field else run[index]
                                 for run in runs[key])

    print('\nsummary: medians over rounds; req/s, p50, p95 ms, CPU ms per request of the '
          'server and of\nPostgreSQL and Redis')
    for connections in CONNECTIONS:
        for reader in readers:
            cells = []
            for label in ('newest', 'floor', 'by number'):
                key = (reader, label, connections)
                if key in runs:
                    cells.append(f'{label} {median(key, 0, "requests_per_second"):6.0f} '
                                 f'{median(key, 0, "p50"):5.2f} {median(key, 0, "p95"):6.2f} '
                                 f'{median(key, 1):5.2f} {median(key, 2):5.2f}')
            floor = runs.get((reader, 'floor', connections))
            ratio = '' if floor is None else ' | over floor {:.2f}'.format(statistics.median(
                warble[0].requests_per_second / bare[0].requests_per_second for warble, bare
                in zip(runs[reader, 'newest', connections], floor, strict=True)))
            print(f'{connections} conn {reader:11} ' + ' | '.join(cells) + ratio)


if __name__ == '__main__':
    main()
