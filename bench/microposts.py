"""MicroPosts under load: requests/s and p50/p95/p99 of its main reads and writes.

    python3 bench/microposts.py [--users 10000] [--posts 1000000] [--follows 20]
                                [--seconds 10] [--connections 8]

Builds the data set in a fresh PostgreSQL (initdb in a temporary directory, shared_buffers 1 GB)
with its own Redis, plus a user `reader` who follows 500 users; serves Warble with gunicorn and two
gevent workers; drives each scenario with wrk from a separate process, with `--connections` and
then with one connection; and prints every figure beside the same gunicorn serving a bare WSGI
"hello" (bench/hello.py), the ceiling of this machine.
"""
from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from lib import bootstrap

if __name__ == '__main__':
    bootstrap.prepare(tests=True)
bootstrap.use_vendor()

from tqdm import tqdm

from bench.load import Figures, drive, gunicorn
from controllers import boot
from controllers.seed import SeedController
from controllers.tokens import TokenController
from controllers.users import UserController
from lib import config
from models import db
from models.follows import Follow
from models.users import User
from tests.harness.servers import PostgresServer, RedisServer
from tests.harness.stack import NO_LIMITS

# Sized like a database server, not like the tests' throwaway cluster.
POSTGRES_SETTINGS = ('shared_buffers=1GB', 'effective_cache_size=4GB')
READER_FOLLOWS = 500
READER_PASSWORD = 'reader-password'
# Sent to public reads to measure them uncached: the cache serves anonymous requests only,
# and these routes never look the token up.
BYPASS_CACHE = {'Authorization': 'Bearer uncached'}


class ServerPostgres(PostgresServer):
    """The tests' PostgreSQL (initdb in a temporary directory) with POSTGRES_SETTINGS."""

    def start(self) -> None:
        self.command = [*self.command, *(part for setting in POSTGRES_SETTINGS
                                         for part in ('-c', setting))]
        super().start()


def seed_users(seeder: SeedController, args: argparse.Namespace) -> list[int]:
    """`args.users` users following `args.follows` others each, `args.posts` posts among them:
    the users' ids (the data set the feed benchmarks add their own accounts to)."""
    for step in (seeder.users(args.users), seeder.follows(args.follows),
                 seeder.posts(args.posts)):
        for _ in step:
            pass
    return [user_id for user_id, in User.select(User.id).tuples()]


def build(settings: config.Section, args: argparse.Namespace) -> dict:
    """Seed the data set; what the scenarios need to know of it."""
    seeder = SeedController(args.random_seed)
    started = time.perf_counter()
    for label, total, step in (('users', args.users, seeder.users(args.users)),
                               ('follows', None, seeder.follows(args.follows)),
                               ('posts', args.posts, seeder.posts(args.posts))):
        with tqdm(total=total, desc=label, unit=' rows', file=sys.stderr) as bar:
            for done in step:
                bar.update(done)
    UserController().create('reader', 'reader@example.com', READER_PASSWORD)
    reader = User.by_username('reader')
    others = [user.id for user in User.select(User.id).where(User.id != reader.id)]
    chance = random.Random(args.random_seed)
    Follow.insert_many([{'follower': reader.id, 'followed': followed} for followed in
                        chance.sample(others, min(READER_FOLLOWS, len(others)))]).execute()
    seeder.analyze()
    print(f'data set: {args.users} users, {args.posts} posts, {args.follows} follows per user '
          f'(+ reader following {READER_FOLLOWS}) in {time.perf_counter() - started:.0f} s')
    token = TokenController().issue('reader', READER_PASSWORD, '127.0.0.1')['access_token']
    names = [user.username for user in User.select(User.username).where(User.id != reader.id)]
    return {'token': token, 'names': names, 'words': seeder.words, 'chance': chance}


def scenarios(data: dict) -> list[tuple[str, str, list[str], dict]]:
    """(label, method, paths, headers) of each measured scenario."""
    chance, names = data['chance'], data['names']
    reader = {'Authorization': f'Bearer {data["token"]}'}
    hot = [f'/api/v1/users/{name}/collection' for name in chance.sample(names, 50)]
    spread = [f'/api/v1/users/{chance.choice(names)}/collection?page={chance.randint(1, 3)}'
              for _ in range(2000)]
    timeline = [f'/api/v1/users/reader/timeline?page={page}' for page in range(1, 11)]
    search = [f'/api/v1/search?text={word}' for word in chance.sample(data['words'], 500)]
    return [
        ('cached collection page', 'GET', hot, {}),
        ('uncached collection page', 'GET', spread, BYPASS_CACHE),
        ('timeline (follows 500)', 'GET', timeline, reader),
        ('search', 'GET', search, BYPASS_CACHE),
        ('create post', 'POST', ['/api/v1/users/reader/collection'],
         dict(reader, **{'Content-Type': 'application/json'})),
    ]


def report(label: str, loaded: Figures, alone: Figures, ceiling: Figures) -> None:
    ratio = loaded.requests_per_second / ceiling.requests_per_second
    failed = loaded.failures + alone.failures
    print(f'{label:26} {loaded.requests_per_second:7.0f} {ratio:6.2f} | '
          f'{loaded.p50:6.1f} {loaded.p95:6.1f} {loaded.p99:6.1f} | '
          f'{alone.p50:6.1f} {alone.p95:6.1f} {alone.p99:6.1f}'
          + (f'  ({failed} failed)' if failed else ''), flush=True)


def measure(base: str, paths: list[str], args: argparse.Namespace, method: str = 'GET',
            headers: dict | None = None) -> tuple[Figures, Figures]:
    """Under load (`--connections`), then one request at a time."""
    return tuple(drive(base, paths, args.seconds, connections, method, headers)
                 for connections in (args.connections, 1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--users', type=int, default=10000)
    parser.add_argument('--posts', type=int, default=1000000)
    parser.add_argument('--follows', type=int, default=20, help='follows per user')
    parser.add_argument('--seconds', type=int, default=10, help='duration of each scenario')
    parser.add_argument('--connections', type=int, default=8, help='concurrent connections')
    parser.add_argument('--random-seed', type=int, default=1)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix='warble-bench-'))
    redis, postgres = RedisServer(work), ServerPostgres()
    try:
        environ = {'WARBLE_DATABASE_URL': postgres.create_database('warble_bench'),
                   'WARBLE_REDIS_URL': redis.url, 'WARBLE_PATHS_VAR': str(work),
                   'WARBLE_LOGGING_LEVEL': 'WARNING', **NO_LIMITS}
        settings = config.load(environ)
        boot.configure(settings)
        db.migrations().up()
        data = build(settings, args)
        db.database.close()
        print(f'\ngunicorn -k gevent -w 2; wrk -t1 for {args.seconds} s each; latencies in ms; '
              'ratio: requests/s over the bare "hello"')
        print(f'{"":26} {f"{args.connections} connections":-^37} | {"one connection":-^20}')
        print(f'{"scenario":26} {"req/s":>7} {"ratio":>6} | {"p50":>6} {"p95":>6} {"p99":>6} | '
              f'{"p50":>6} {"p95":>6} {"p99":>6}')
        with gunicorn('bench.hello:application', environ, work / 'hello.log') as hello:
            ceiling, alone = measure(hello, ['/'], args)
        report('bare WSGI "hello"', ceiling, alone, ceiling)
        with gunicorn('app:application', environ, work / 'warble.log') as warble:
            for label, method, paths, headers in scenarios(data):
                if label.startswith('cached'):
                    drive(warble, paths, 1, args.connections)  # fill the cache
                report(label, *measure(warble, paths, args, method, headers), ceiling)
    finally:
        redis.stop()
        postgres.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    main()
