"""Warble's cost per request beside floors of the same work, measured in one run.

    python3 bench/floor.py [--users 2000] [--posts 50000] [--follows 5] [--seconds 3] [--rounds 3]

Starts its own PostgreSQL (with pg_stat_statements) and Redis, seeds them as bench/microposts.py
does (plus a user `reader` with a token for writes), and serves three apps at once, each with
gunicorn `-k gevent -w 2` as Warble is served:
- the ceiling: bench/hello.py, a bare WSGI "hello" (what this machine does with no work at all);
- the floors: bench/floors.py, bare WSGI on psycopg 3 and redis-py doing only each answer's
  storage work: the one query of an uncached feed page, one Redis GET of a cached page, the one
  query of a single post, and the INSERT of a new post in its own transaction;
- Warble (`app:application`).
First, 100 requests of each endpoint one at a time on the floor and on Warble, with every
statement they send PostgreSQL taken from its log: the exact statements per request, listed.
Then each round, for 1 then 64 connections (wrk -t1, then -t2), it drives the ceiling, then each
endpoint on its floor and on Warble; only the driven server is loaded. Each run prints req/s,
p50/p99/p99.9 in ms, CPU ms per request of the server (its gunicorn master and workers, from
/proc) and of the stores (PostgreSQL and Redis), statements per request by pg_stat_statements
(track_utility on, so BEGIN and COMMIT count, but not once psycopg has prepared them), and for
Warble its req/s over its floor's and its p99 over the ceiling's in that round. Per-request
figures divide by the requests wrk saw answered; up to one more per connection may have been
served, cut off at the end. The summary holds the medians over rounds against the targets the
project judges itself by.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from lib import bootstrap

if __name__ == '__main__':
    bootstrap.prepare(tests=True)
bootstrap.use_vendor()

from peewee import fn

from bench.load import Figures, drive, tree_cpu_seconds
from bench.microposts import BYPASS_CACHE, build
from bench.statements import Statements, StatementsPostgres
from controllers import boot
from lib import config
from models import db
from models.microposts import Micropost
from models.users import User
from tests.harness.servers import RedisServer, start_gunicorn, stop
from tests.harness.stack import NO_LIMITS

DATABASE = 'warble_floor'
CONNECTIONS = (1, 64)
FEED = '/api/v1/microposts?size=20'
# After wrk ends, for the requests it left under way to end too, before anything is read.
SETTLE_SECONDS = 0.5
COUNTED = 100  # requests per endpoint and server whose statements are counted exactly
WARBLE, FLOOR, CEILING = 'warble', 'floor', 'ceiling'
APPS = {CEILING: 'bench.hello:application', FLOOR: 'bench.floors:application',
        WARBLE: 'app:application'}


@dataclass
class Endpoint:
    """One kind of request; `least` is the req/s ratio to the floor the project aims at, `most`
    the statements per request (None: not judged); `cached`: its page must be cached first."""

    label: str
    method: str
    paths: list[str]
    headers: dict
    least: float
    most: int | None
    cached: bool = False


@dataclass
class Run:
    """What one wrk run of one server saw and cost."""

    figures: Figures
    cpu_ms: float  # the server's CPU per request
    store_ms: float  # PostgreSQL's and Redis's
    statements: float  # per request, as pg_stat_statements counts them


class Meter:
    """What a run costs the server driven and the stores: CPU from /proc, statements."""

    def __init__(self, statements: Statements, stores: list[int]):
        self.statements = statements
        self.stores = stores

    def run(self, server_pid: int, base: str, endpoint: Endpoint, seconds: int,
            connections: int) -> Run:
        calls, cpu = self.statements.total(), tree_cpu_seconds(server_pid)
        store = self._store_cpu()
        figures = drive(base, endpoint.paths, seconds, connections, endpoint.method,
                        endpoint.headers, threads=1 if connections == 1 else 2)
        time.sleep(SETTLE_SECONDS)
        cpu, store = tree_cpu_seconds(server_pid) - cpu, self._store_cpu() - store
        count = max(figures.requests, 1)
        return Run(figures, cpu * 1000 / count, store * 1000 / count,
                   (self.statements.total() - calls) / count)

    def _store_cpu(self) -> float:
        return sum(tree_cpu_seconds(root) for root in self.stores)


def endpoints(data: dict) -> list[Endpoint]:
    """The four requests measured; single posts spread over 2000 posts of many users."""
    posts = (Micropost.select(Micropost.id, User.username).join(User, on=Micropost.user == User.id)
             .order_by(fn.Random()).limit(2000).tuples())
    writer = {'Authorization': f'Bearer {data["token"]}', 'Content-Type': 'application/json'}
    return [
        Endpoint('uncached page', 'GET', [FEED], BYPASS_CACHE, 0.75, 1),
        Endpoint('cached page', 'GET', [FEED], {}, 0.8, None, cached=True),
        Endpoint('one post', 'GET', [f'/api/v1/users/{name}/collection/{post_id}'
                                     for post_id, name in posts], BYPASS_CACHE, 0.75, 1),
        Endpoint('create post', 'POST', ['/api/v1/users/reader/collection'], writer, 0.6, 3),
    ]


def send(base: str, endpoint: Endpoint, path: str) -> None:
    body = b'{"text": "counted post"}' if endpoint.method == 'POST' else None
    request = urllib.request.Request(base + path, body, endpoint.headers, method=endpoint.method)
    with urllib.request.urlopen(request, timeout=10) as answer:
        answer.read()


def warm(bases: dict[str, str], endpoint: Endpoint) -> None:
    """Before each run of a cached page: fill the caches of Warble and of the floor (the
    writes of `create post` renew Warble's)."""
    if endpoint.cached:
        for server in (WARBLE, FLOOR):
            send(bases[server], endpoint, endpoint.paths[0])


def count_statements(statements: Statements, bases: dict[str, str],
                     points: list[Endpoint]) -> dict[tuple[str, str], float]:
    """Statements per request of each endpoint on the floor and on Warble, exactly, over
    COUNTED requests one at a time; printed with the statements themselves, Warble's marked
    `=` where the floor sent the very same text."""
    print(f'\nstatements per request over {COUNTED} requests one at a time, from PostgreSQL\'s '
          'log; "=": the floor sends that very statement')
    exact = {}
    for endpoint in points:
        sent: dict[str, Counter] = {}
        for server in (FLOOR, WARBLE):
            warm(bases, endpoint)
            with statements.counting() as seen:
                for number in range(COUNTED):
                    send(bases[server], endpoint, endpoint.paths[number % len(endpoint.paths)])
            sent[server] = seen
            exact[server, endpoint.label] = seen.total() / COUNTED
            print(f'{server:8} {endpoint.label:14} {seen.total() / COUNTED:5.2f}')
            for query, calls in seen.most_common():
                same = '=' if server == WARBLE and query in sent[FLOOR] else ' '
                print(f'{"":9}{calls / COUNTED:5.2f} {same} {query[:100]}')
    return exact


def line(server: str, label: str, run: Run, floor: Run | None = None,
         ceiling: Run | None = None) -> str:
    f = run.figures
    text = (f'{server:8} {label:14} {f.requests_per_second:7.0f} {f.p50:6.1f} {f.p99:6.1f} '
            f'{f.p999:6.1f} | {run.cpu_ms:6.2f} {run.store_ms:6.2f} {run.statements:5.2f}')
    if floor and ceiling:
        text += (f' | {f.requests_per_second / floor.figures.requests_per_second:5.2f}x '
                 f'{f.p99 / ceiling.figures.p99:5.1f}x')
    return text + (f'  ({f.failures} failed)' if f.failures else '')


def measure(args: argparse.Namespace, meter: Meter, servers: dict[str, tuple[int, str]],
            points: list[Endpoint]) -> dict[tuple, list[Run]]:
    """Every round: per connection count, the ceiling, then each endpoint on floor and Warble.
    Runs by (server, endpoint label, connections)."""
    runs: dict[tuple, list[Run]] = {}
    bases = {server: base for server, (_pid, base) in servers.items()}
    hello = Endpoint('hello', 'GET', ['/'], {}, 0, None)
    print(f'\n{"server":8} {"endpoint":14} {"req/s":>7} {"p50":>6} {"p99":>6} {"p99.9":>6} | '
          f'{"cpu":>6} {"store":>6} {"pgss":>5} | {"floor":>6} {"ceil":>6}')
    for round_number in range(1, args.rounds + 1):
        for connections in CONNECTIONS:
            print(f'round {round_number}, {connections} connection(s), wrk '
                  f'-t{1 if connections == 1 else 2} -d{args.seconds}s', flush=True)
            ceiling = meter.run(*servers[CEILING], hello, args.seconds, connections)
            runs.setdefault((CEILING, 'hello', connections), []).append(ceiling)
            print(line(CEILING, 'hello', ceiling), flush=True)
            for endpoint in points:
                warm(bases, endpoint)
                floor = meter.run(*servers[FLOOR], endpoint, args.seconds, connections)
                warble = meter.run(*servers[WARBLE], endpoint, args.seconds, connections)
                for server, run in ((FLOOR, floor), (WARBLE, warble)):
                    runs.setdefault((server, endpoint.label, connections), []).append(run)
                print(line(FLOOR, endpoint.label, floor), flush=True)
                print(line(WARBLE, endpoint.label, warble, floor, ceiling), flush=True)
    return runs


def summarize(runs: dict[tuple, list[Run]], exact: dict[tuple[str, str], float],
              points: list[Endpoint]) -> None:
    """Per endpoint, medians over rounds beside the targets, and whether they meet them."""
    top = CONNECTIONS[-1]

    def ratio(connections: int, label: str, figure: Callable[[Figures], float],
              other: tuple[str, str]) -> float:
        """Median over rounds of Warble's `figure` over `other`'s in the same round."""
        return statistics.median(figure(warble.figures) / figure(theirs.figures) for
                                 warble, theirs in zip(runs[WARBLE, label, connections],
                                                       runs[(*other, connections)], strict=True))

    def cpu(server: str, label: str) -> float:
        return statistics.median(run.cpu_ms for run in runs[server, label, top])

    def verdict(ok: bool) -> str:
        return 'ok  ' if ok else 'MISS'

    print(f'\nsummary: medians over rounds; "at 1" and "at {top}": connections; CPU at {top}; '
          f'statements exact')
    print(f'{"":14} | {"req/s over floor":^25} | {"p99 / ceiling":^13} | {"CPU ms/req":^13} | '
          f'{"statements/request":^20}\n{"endpoint":14} | {"at 1":>5} {f"at {top}":>6} '
          f'{"target":>12} | {f"at {top}":>5} {"target":>7} | {"warble":>6} {"floor":>6} | '
          f'{"warble":>6} {"floor":>5} {"target":>7}')
    for point in points:
        speed = [ratio(connections, point.label, lambda f: f.requests_per_second,
                       (FLOOR, point.label)) for connections in CONNECTIONS]
        p99 = ratio(top, point.label, lambda f: f.p99, (CEILING, 'hello'))
        statements = exact[WARBLE, point.label]
        judged = (f'{point.most:>2} {verdict(statements <= point.most)}'
                  if point.most is not None else '')
        print(f'{point.label:14} | {speed[0]:5.2f} {speed[-1]:6.2f} {point.least:7.2f} '
              f'{verdict(speed[-1] >= point.least)} | {p99:5.1f} {3:>2} {verdict(p99 <= 3)} | '
              f'{cpu(WARBLE, point.label):6.2f} {cpu(FLOOR, point.label):6.2f} | '
              f'{statements:6.2f} {exact[FLOOR, point.label]:5.2f} {judged}')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--users', type=int, default=2000)
    parser.add_argument('--posts', type=int, default=50000)
    parser.add_argument('--follows', type=int, default=5, help='follows per user')
    parser.add_argument('--seconds', type=int, default=3, help='duration of each run')
    parser.add_argument('--rounds', type=int, default=3)
    parser.add_argument('--random-seed', type=int, default=1)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix='warble-floor-'))
    redis, postgres = RedisServer(work), StatementsPostgres()
    try:
        with contextlib.ExitStack() as stack:
            environ = {'WARBLE_DATABASE_URL': postgres.create_database(DATABASE),
                       'WARBLE_REDIS_URL': redis.url, 'WARBLE_PATHS_VAR': str(work),
                       'WARBLE_LOGGING_LEVEL': 'WARNING', **NO_LIMITS}
            statements = Statements(postgres, DATABASE)
            stack.callback(statements.close)
            boot.configure(config.load(environ))
            db.migrations().up()
            points = endpoints(build(config.load(environ), args))
            db.database.close()
            servers = {}
            for server, app in APPS.items():
                process, base = start_gunicorn(environ, work / f'{server}.log', app=app)
                stack.callback(stop, process)
                servers[server] = (process.pid, base)
            bases = {server: base for server, (_pid, base) in servers.items()}
            for endpoint in points:  # fill the pools, let psycopg prepare; not measured
                for server in (FLOOR, WARBLE):
                    drive(bases[server], endpoint.paths, 1, 8, endpoint.method, endpoint.headers)
            time.sleep(SETTLE_SECONDS)
            exact = count_statements(statements, bases, points)
            print(f'\nload average before the rounds: {os.getloadavg()[0]:.1f} on '
                  f'{os.cpu_count()} CPUs')
            print('\ngunicorn -k gevent -w 2 each; latencies in ms; cpu: ms per request of the '
                  'server\n(gunicorn master and workers), store: of PostgreSQL and Redis; pgss: '
                  'statements per request\nin pg_stat_statements (short of prepared BEGIN and '
                  'COMMIT); Warble: req/s over its floor\'s, p99 over the ceiling\'s')
            meter = Meter(statements, [postgres.process.pid, redis.process.pid])
            runs = measure(args, meter, servers, points)
            print(f'load average after: {os.getloadavg()[0]:.1f}')
            summarize(runs, exact, points)
    finally:
        redis.stop()
        postgres.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    main()
