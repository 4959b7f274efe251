"""Capacity: what a user, a post, a follow and a home feed take in storage, and what fanning a
post out costs a worker process; the per-unit figures SCALING.md multiplies.

    python3 bench/capacity.py [--users 10000] [--follows 20] [--posts 500000]
                              [--typical 2000] [--large 10000] [--large-posts 10]
                              [--rounds 3] [--encodings-only]

First, on a Redis of its own: the CPU one delivery costs Redis (models/timelines/add.lua adding a
post to 1,000 feeds at a time), the CPU of reading a page (page.lua) and MEMORY USAGE per feed,
by feed length, in the compact encoding (listpack, up to `zset-max-listpack-entries`) and in the
skiplist a feed takes past that (`--encodings-only`: this alone). Then it starts its own
PostgreSQL (sized as bench/microposts.py's) and Redis (as the harness runs production's:
`zset-max-listpack-entries 1024`, no eviction), seeds `--users` users each following `--follows`
others and `--posts` posts (controllers/seed.py, texts of 3 to 24 made-up words), plus an author
followed by `--large` of them, runs VACUUM ANALYZE, and prints:
- PostgreSQL: per table, its rows, heap (with its free-space and visibility maps), TOAST, each
  index, and bytes per row of each and of the whole (pg_table_size, pg_relation_size,
  pg_total_relation_size);
- Redis: every user's home feed built as a first read builds it (`FeedController.build`): CPU
  per feed built (this process, Redis, PostgreSQL), the used_memory (INFO) it grew by, per feed,
  and MEMORY USAGE (exact, SAMPLES 0) of each feed by its length, with bytes per post held;
- fan-out: one Celery worker process (`tasks.py worker -P solo`) fanning out, from its queue,
  `--typical` posts of random users, then `--large-posts` posts of the author with `--large`
  followers, to built feeds, `--rounds` times: deliveries (feeds given the post) per second of
  wall time, and CPU per post and per delivery of the worker, of Redis and of PostgreSQL (from
  /proc), the figure that stays true when other work shares the cores.
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from lib import bootstrap

if __name__ == '__main__':
    bootstrap.prepare(tests=True)
bootstrap.use_vendor()

import redis as redis_py
from peewee import fn

from bench.load import tree_cpu_seconds
from bench.microposts import READER_PASSWORD, ServerPostgres, seed_users
from controllers import boot
from controllers.feeds import FAN_OUT_TASK, FeedController
from controllers.seed import SeedController
from controllers.users import UserController
from lib import config, jobs
from lib.utils.datekit import utcnow
from models import db, redisdb
from models import follows as follow_store
from models import microposts as post_store
from models.follows import Follow
from models.microposts import Micropost
from models.timelines import MERGED, SCRIPTS, feed_key, member
from models.users import User
from tests.harness.servers import RedisServer, start_worker, stop
from tests.harness.stack import NO_LIMITS

TABLES = ('micropost', 'users', 'follow')
DONE_TIMEOUT = 600  # seconds the worker may take over one fan-out run
LENGTH_BUCKETS = (0, 100, 200, 400, 600, 799, 800)  # feed lengths grouped at or below each
LENGTHS = (100, 200, 400, 800)  # of the feeds one delivery is timed on
ENCODINGS = (('listpack', 1024), ('skiplist', 0))  # zset-max-listpack-entries of each
FEEDS, ADDS = 1000, 20  # feeds given each post, posts added
PAGE = 25  # ids a page of 20 reads (controllers/feeds.py: SLACK more)


def seed(args: argparse.Namespace) -> int:
    """The data set; the id of the author with `--large` followers."""
    seeder = SeedController(args.random_seed)
    started = time.perf_counter()
    regular = seed_users(seeder, args)
    UserController().create('loud', 'loud@example.com', READER_PASSWORD)
    loud = User.by_username('loud').id
    chance = random.Random(args.random_seed)
    crowd = chance.sample(regular, min(args.large, len(regular)))
    for start in range(0, len(crowd), 10_000):
        follow_store.create_many([{'follower': follower, 'followed': loud}
                                  for follower in crowd[start:start + 10_000]])
    seeder.analyze()  # VACUUM ANALYZE, feeds dropped
    print(f'data set: {args.users} users following {args.follows} each, {args.posts} posts, '
          f'an author followed by {len(crowd)}, in {time.perf_counter() - started:.0f} s',
          flush=True)
    return loud


def table_sizes() -> None:
    """Rows, and bytes in all and per row, of each table, its TOAST and each of its indexes."""
    print('\nPostgreSQL, after VACUUM ANALYZE: bytes, and bytes per row')
    print(f'{"relation":34} {"rows":>9} {"bytes":>12} {"per row":>8}')
    text = db.database.execute_sql(
        'SELECT avg(octet_length(text)), avg(pg_column_size(m.*)) FROM micropost m').fetchone()
    for table in TABLES:
        rows = db.database.execute_sql(f'SELECT count(*) FROM "{table}"').fetchone()[0]
        heap, toast, indexes, total = db.database.execute_sql(
            'SELECT pg_table_size(c.oid) - COALESCE(pg_total_relation_size(c.reltoastrelid), 0), '
            'COALESCE(pg_total_relation_size(c.reltoastrelid), 0), pg_indexes_size(c.oid), '
            'pg_total_relation_size(c.oid) FROM pg_class c WHERE c.oid = %s::regclass',
            (table,)).fetchone()
        each = db.database.execute_sql(
            'SELECT indexrelid::regclass::text, pg_relation_size(indexrelid) FROM pg_index '
            'WHERE indrelid = %s::regclass ORDER BY 2 DESC', (table,)).fetchall()
        for label, size in ((f'{table} heap', heap), (f'{table} TOAST', toast),
                            *((f'  index {name}', size) for name, size in each),
                            (f'{table} indexes', indexes), (f'{table} total', total)):
            print(f'{label:34} {rows:9} {size:12} {size / max(rows, 1):8.1f}')
    print(f'posts: text {text[0]:.1f} bytes on average, a row {text[1]:.1f} bytes '
          '(pg_column_size); texts stop at 255 characters, so no post reaches TOAST')


def feed_memory(stores: list[int]) -> list[int]:
    """Build every user's feed; print what that cost and Redis's memory for them. The ids of
    the users."""
    redis = redisdb.get_redis('timelines')
    users = [user_id for user_id, in User.select(User.id).order_by(User.id).tuples()]
    feeds = FeedController()
    before = redis.info('memory')['used_memory']
    started, cpu = time.perf_counter(), [time.process_time()] + [tree_cpu_seconds(pid)
                                                                  for pid in stores]
    for user_id in users:
        feeds.build(user_id)
    built = time.perf_counter() - started
    cpu = [time.process_time() - cpu[0]] + [tree_cpu_seconds(pid) - start
                                            for pid, start in zip(stores, cpu[1:], strict=True)]
    grown = redis.info('memory')['used_memory'] - before
    lengths, sizes = {}, {}
    with redis.pipeline(transaction=False) as pipe:
        for user_id in users:
            pipe.zcard(feed_key(user_id))
            pipe.memory_usage(feed_key(user_id), samples=0)
        answers = pipe.execute()
    for user_id, length, size in zip(users, answers[::2], answers[1::2], strict=True):
        lengths[user_id], sizes[user_id] = length - 1, size  # less the "built" mark
    encoding = redis.object('encoding', feed_key(users[len(users) // 2]))
    posts = sum(lengths.values())
    print(f'\nRedis home feeds: {len(users)} built in {built:.0f} s, {posts} posts held '
          f'({posts / len(users):.0f} a feed), encoding {encoding.decode()}')
    own, in_redis, in_postgres = (seconds * 1e3 / len(users) for seconds in cpu)
    print(f'CPU ms per feed built (a first read, or one after idle_days): this process '
          f'{own:.2f}, Redis {in_redis:.2f}, PostgreSQL {in_postgres:.2f}')
    print(f'used_memory grew by {grown} bytes: {grown / len(users):.0f} bytes a feed, '
          f'{grown / max(posts, 1):.1f} bytes a post held')
    print(f'{"length up to":>12} {"feeds":>7} {"MEMORY USAGE median":>20} {"per post":>9}')
    low = -1
    for high in LENGTH_BUCKETS:
        chosen = [user_id for user_id, length in lengths.items() if low < length <= high]
        if chosen:
            size = statistics.median(sizes[user_id] for user_id in chosen)
            length = statistics.median(lengths[user_id] for user_id in chosen)
            print(f'{high:12} {len(chosen):7} {size:20.0f} {size / max(length, 1):9.1f}')
        low = high
    return users


def delivery_cost(work: Path) -> None:
    """Redis CPU per delivery and memory per feed by length and encoding, on a Redis of its own:
    ADDS posts, each added by add.lua to FEEDS feeds of that length (trimmed back to it)."""
    server = RedisServer(work, 'redis-encodings')
    try:
        client = redis_py.Redis(unix_socket_path=str(server.socket))
        trim = (SCRIPTS / 'trim.lua').read_text()
        add, page = (client.register_script(trim + (SCRIPTS / f'{name}.lua').read_text())
                     for name in ('add', 'page'))
        print(f'\nRedis alone: add.lua giving {ADDS} posts to {FEEDS} feeds each, then page.lua '
              f'reading the newest\n{PAGE} ids of each feed {ADDS} times; CPU of Redis per '
              'delivery and per page (us), MEMORY USAGE\nper feed (bytes)')
        print(f'{"length":>6} ' + ' '.join(f'{name:>8} {"add us":>6} {"page us":>7} {"bytes":>6}'
                                           for name, _ in ENCODINGS))
        for length in LENGTHS:
            cells = []
            for _, entries in ENCODINGS:
                client.flushall()
                client.config_set('zset-max-listpack-entries', entries)
                keys = [feed_key(number) for number in range(FEEDS)]
                with client.pipeline(transaction=False) as pipe:
                    for key in keys:
                        pipe.zadd(key, {'': 0, **{member(n): 0 for n in range(1, length + 1)}})
                    pipe.execute()
                cpu = tree_cpu_seconds(server.process.pid)
                for number in range(ADDS):
                    add(keys=keys, args=[member(10 ** 17 + number), length])
                cpu, read = tree_cpu_seconds(server.process.pid) - cpu, tree_cpu_seconds(
                    server.process.pid)
                for _ in range(ADDS):
                    with client.pipeline(transaction=False) as pipe:
                        for key in keys:
                            page(keys=[key, MERGED], args=['before', '', PAGE, 86400, length],
                                 client=pipe)
                        pipe.execute()
                read = tree_cpu_seconds(server.process.pid) - read
                size = client.memory_usage(keys[0], samples=0)
                cells.append(f'{"":8} {cpu * 1e6 / (FEEDS * ADDS):6.1f} '
                             f'{read * 1e6 / (FEEDS * ADDS):7.1f} {size:6}')
            print(f'{length:6} ' + ' '.join(cells), flush=True)
    finally:
        server.stop()


def owed_posts(authors: list[int]) -> list[int]:
    """A post by each of `authors`, written as a request writes it (owed its fan-out)."""
    rows = [{'user': author, 'text': f'capacity post {n}', 'referenced': None,
             'created': utcnow()} for n, author in enumerate(authors)]
    with db.transaction():
        post_store.create_posts(rows, fan_out=True)
    return [post_id for post_id, in Micropost.select(Micropost.id)
            .where(~Micropost.fanned_out).order_by(Micropost.id).tuples()]


def fan_out(label: str, worker: int, stores: list[int], posts: list[int]) -> None:
    """Hand `posts` to the worker's queue; time it until all are marked done; print figures."""
    authors = [author for author, in Micropost.select(Micropost.user)
               .where(Micropost.id.in_(posts)).tuples()]
    followers = dict(Follow.select(Follow.followed, fn.COUNT(Follow.id))
                     .where(Follow.followed.in_(sorted(set(authors))))
                     .group_by(Follow.followed).tuples())
    deliveries = sum(followers.get(author, 0) + 1 for author in authors)  # and the author's own
    processes = [worker, *stores]
    cpu = [tree_cpu_seconds(pid) for pid in processes]
    started = time.perf_counter()
    for post_id in posts:
        jobs.offer(FAN_OUT_TASK, post_id)
    while Micropost.select().where(Micropost.id.in_(posts), ~Micropost.fanned_out).exists():
        if time.perf_counter() - started > DONE_TIMEOUT:
            raise SystemExit(f'capacity: the fan-out of {label} did not end')
        time.sleep(0.05)
    wall = time.perf_counter() - started
    worker_cpu, redis_cpu, postgres_cpu = (tree_cpu_seconds(pid) - before
                                           for pid, before in zip(processes, cpu, strict=True))
    print(f'{label:22} {len(posts):6} {deliveries:9} {wall:7.2f} {deliveries / wall:8.0f} | '
          f'{worker_cpu * 1e3 / len(posts):7.2f} {worker_cpu * 1e6 / deliveries:7.1f} '
          f'{deliveries / worker_cpu:8.0f} | {redis_cpu * 1e6 / deliveries:7.1f} '
          f'{postgres_cpu * 1e6 / deliveries:7.1f}', flush=True)


def fan_outs(args: argparse.Namespace, environ: dict, work: Path, loud: int, users: list[int],
             stores: list[int]) -> None:
    """Each round: `--typical` posts of random users, then `--large-posts` of the author of
    `--large` followers, fanned out by one worker process."""
    chance = random.Random(args.random_seed)
    ordinary = [user_id for user_id in users if user_id != loud]
    worker = start_worker(environ, work / 'celery.log')
    try:
        print(f'\nfan-out by one worker process (tasks.py worker -P solo), to built feeds; '
              f'load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs')
        print('delivered: feeds given a post (its followers\' and its author\'s); CPU of the '
              'worker\nprocess in ms per post and us per feed, feeds per CPU second; of Redis and '
              'PostgreSQL\nin us per feed')
        print(f'{"posts by":22} {"posts":>6} {"delivered":>9} {"wall s":>7} {"feeds/s":>8} | '
              f'{"ms/post":>7} {"us/feed":>7} {"feeds/s":>8} | {"Redis":>7} {"PgSQL":>7}')
        for number in range(1, args.rounds + 1):
            print(f'round {number}', flush=True)
            fan_out('random users', worker.pid, stores,
                    owed_posts([chance.choice(ordinary) for _ in range(args.typical)]))
            fan_out(f'an author of {args.large}', worker.pid, stores,
                    owed_posts([loud] * args.large_posts))
        print(f'load average after: {os.getloadavg()[0]:.1f}')
    finally:
        stop(worker)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--users', type=int, default=10000)
    parser.add_argument('--follows', type=int, default=20)
    parser.add_argument('--posts', type=int, default=500000)
    parser.add_argument('--typical', type=int, default=2000,
                        help='posts of random users fanned out')
    parser.add_argument('--large', type=int, default=10000,
                        help='followers of the author whose posts are fanned out after')
    parser.add_argument('--large-posts', type=int, default=10)
    parser.add_argument('--rounds', type=int, default=3)
    parser.add_argument('--random-seed', type=int, default=1)
    parser.add_argument('--encodings-only', action='store_true',
                        help='only the Redis figures by feed length and encoding')
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix='warble-capacity-'))
    try:
        delivery_cost(work)
        if not args.encodings_only:
            measure(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def measure(args: argparse.Namespace, work: Path) -> None:
    """Seed a PostgreSQL and a Redis of its own; print sizes, feeds and the fan-out."""
    redis, postgres = RedisServer(work), ServerPostgres()
    try:
        environ = {'WARBLE_DATABASE_URL': postgres.create_database('warble_capacity'),
                   'WARBLE_REDIS_URL': redis.url, 'WARBLE_PATHS_VAR': str(work),
                   'WARBLE_LOGGING_LEVEL': 'WARNING', **NO_LIMITS}
        boot.configure(config.load(environ))
        db.migrations().up()
        loud = seed(args)
        table_sizes()
        stores = [redis.process.pid, postgres.process.pid]
        fan_outs(args, environ, work, loud, feed_memory(stores), stores)
    finally:
        redis.stop()
        postgres.stop()

if __name__ == '__main__':
    main()
