"""The three edges side by side: REST, GraphQL and gRPC doing the same reads, in one run.

    python3 bench/edges.py [--users 2000] [--posts 50000] [--seconds 5] [--rounds 3]

Starts its own PostgreSQL and Redis, seeds them as bench/microposts.py does (a user `reader`
following 500 others, with a bearer token), and serves Warble as production does: gunicorn
`-k gevent -w 2` for REST and GraphQL, `rpc.py` (one process, a pool of `grpc.workers`
threads) for gRPC. Every request carries the reader's token, so no page comes from the cache:
what is measured is each edge's way to the same controllers. Two reads:
- one post: `GET /api/v1/users/<u>/collection/<id>`, GraphQL `post(username, id)` with the
  same fields, gRPC `GetPost`; spread over 2000 posts;
- a timeline page of 20: `GET /api/v1/users/reader/timeline?page=N&size=20`, GraphQL
  `timeline(...)` with each post's author, gRPC `Timeline`; pages 1..10.
Beside them, in the same round, each transport's ceiling on the same server with no work:
`bench/hello.py` (a bare WSGI "hello") under the same gunicorn for HTTP, and the gRPC health check
of the same `rpc.py` for gRPC. HTTP is driven by wrk, gRPC by grpc.aio calls from this process
(its figure for the health check shows where that driver stops). Each run prints req/s, p50 and
p95 in ms and the server's CPU ms per request; the summary gives medians over rounds. Last, the
id generator's ids per second in this process, with and without a lock contended by a second
thread.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from lib import bootstrap

if __name__ == '__main__':
    bootstrap.prepare(tests=True)
bootstrap.use_vendor()

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc
from peewee import fn

from api.rpc.stubs import microposts_pb2, microposts_pb2_grpc
from bench.load import Figures, drive, tree_cpu_seconds
from bench.microposts import build
from controllers import boot
from lib import config
from models import db, ids
from models.microposts import Micropost
from models.users import User
from tests.harness.rpc import start_rpc
from tests.harness.servers import PostgresServer, RedisServer, free_port, start_gunicorn, stop
from tests.harness.stack import NO_LIMITS

DATABASE = 'warble_edges'
CONNECTIONS = (1, 32)
EDGES = ('REST', 'GraphQL', 'gRPC')
SETTLE_SECONDS = 0.5
POST_FIELDS = 'id href username text timestamp edited referencedUsername'
POST_QUERY = f'query($u: String!, $id: ID!) {{ post(username: $u, id: $id) {{ {POST_FIELDS} }} }}'
TIMELINE_QUERY = (f'query($p: Int!) {{ timeline(username: "reader", page: $p, size: 20) {{ '
                  f'more result {{ {POST_FIELDS} author {{ username href }} }} }} }}')


@dataclass
class Read:
    """One read as each edge asks it."""

    label: str
    rest_paths: list[str]
    graphql_bodies: list[str]
    grpc_calls: list[Callable[[microposts_pb2_grpc.MicroPostsStub], object]]


def reads(token: str) -> list[Read]:
    posts = (Micropost.select(Micropost.id, User.username).join(User, on=Micropost.user == User.id)
             .order_by(fn.Random()).limit(2000).tuples())
    metadata = (('authorization', f'Bearer {token}'),)

    def get_post(name: str, post_id: int):
        ref = microposts_pb2.PostRef(username=name, id=post_id)
        return lambda stub: stub.GetPost(ref, metadata=metadata)

    def timeline(page: int):
        request = microposts_pb2.PageRequest(page=page, size=20)
        return lambda stub: stub.Timeline(request, metadata=metadata)

    pages = range(1, 11)
    return [
        Read('one post', [f'/api/v1/users/{name}/collection/{post_id}' for post_id, name in posts],
             [json.dumps({'query': POST_QUERY, 'variables': {'u': name, 'id': str(post_id)}})
              for post_id, name in posts],
             [get_post(name, post_id) for post_id, name in posts]),
        Read('timeline of 20', [f'/api/v1/users/reader/timeline?page={page}&size=20'
                                for page in pages],
             [json.dumps({'query': TIMELINE_QUERY, 'variables': {'p': page}}) for page in pages],
             [timeline(page) for page in pages]),
    ]


async def _drive_grpc(target: str, calls: list[Callable], seconds: float,
                      connections: int) -> Figures:
    """`connections` callers, each with a channel of its own, making one of `calls` at a
    time for `seconds`."""
    latencies: list[float] = []
    failures = 0
    deadline = time.perf_counter() + seconds

    async def caller(number: int) -> None:
        nonlocal failures
        options = [('grpc.use_local_subchannel_pool', 1)]  # a connection per caller
        async with grpc.aio.insecure_channel(target, options=options) as channel:
            stub = microposts_pb2_grpc.MicroPostsStub(channel)
            health = health_pb2_grpc.HealthStub(channel)
            index = number
            while time.perf_counter() < deadline:
                call = calls[index % len(calls)]
                index += connections
                started = time.perf_counter()
                try:
                    await call(health if call is check_health else stub)
                except grpc.aio.AioRpcError:
                    failures += 1
                    continue
                latencies.append(time.perf_counter() - started)

    began = time.perf_counter()
    await asyncio.gather(*(caller(number) for number in range(connections)))
    elapsed = time.perf_counter() - began
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return Figures(len(latencies) / elapsed, cuts[49] * 1000, cuts[94] * 1000,
                   cuts[98] * 1000, cuts[98] * 1000, failures, len(latencies))


def drive_grpc(target: str, calls: list[Callable], seconds: float, connections: int) -> Figures:
    return asyncio.run(_drive_grpc(target, calls, seconds, connections))


def check_health(stub: health_pb2_grpc.HealthStub):
    return stub.Check(health_pb2.HealthCheckRequest())


@dataclass
class Run:
    figures: Figures
    cpu_ms: float


def measured(pid: int, run: Callable[..., Figures], *args: object, **kwargs: object) -> Run:
    """`run(*args, **kwargs)` with the CPU the process tree of `pid` spent per request
    answered."""
    before = tree_cpu_seconds(pid)
    figures = run(*args, **kwargs)
    time.sleep(SETTLE_SECONDS)
    return Run(figures, (tree_cpu_seconds(pid) - before) * 1000 / max(figures.requests, 1))


def line(label: str, edge: str, run: Run, ceiling: Run | None = None) -> str:
    f = run.figures
    text = (f'{label:16} {edge:8} {f.requests_per_second:7.0f} {f.p50:6.2f} {f.p95:6.2f} | '
            f'{run.cpu_ms:5.2f}')
    if ceiling is not None:
        text += f' | {f.requests_per_second / ceiling.figures.requests_per_second:5.2f}'
    return text + (f'  ({f.failures} failed)' if f.failures else '')


def ids_per_second(seconds: float = 1.0) -> tuple[float, float]:
    """Ids a generator makes per second in this process: alone, and shared with a second
    thread also making them (the two threads' ids together)."""
    def spin(generator: ids.IdGenerator, until: float, made: list[int]) -> None:
        count = 0
        while time.perf_counter() < until:
            for _ in range(1000):
                generator.next_id()
            count += 1000
        made.append(count)

    alone: list[int] = []
    spin(ids.IdGenerator(0, 0), time.perf_counter() + seconds, alone)
    shared: list[int] = []
    generator, until = ids.IdGenerator(0, 1), time.perf_counter() + seconds
    other = threading.Thread(target=spin, args=(generator, until, shared))
    other.start()
    spin(generator, until, shared)
    other.join()
    return alone[0] / seconds, sum(shared) / seconds


def measure(args: argparse.Namespace, web: tuple[int, str], hello: tuple[int, str],
            rpc: tuple[int, str], points: list[Read], token: str) -> dict[tuple, list[Run]]:
    runs: dict[tuple, list[Run]] = {}
    (web_pid, web_base), (hello_pid, hello_base), (rpc_pid, target) = web, hello, rpc
    bearer = {'Authorization': f'Bearer {token}'}
    graphql = dict(bearer, **{'Content-Type': 'application/json'})
    print(f'\n{"read":16} {"edge":8} {"req/s":>7} {"p50":>6} {"p95":>6} | {"cpu":>5} | '
          f'{"of ceiling":>5}')
    for round_number in range(1, args.rounds + 1):
        for connections in CONNECTIONS:
            threads = 1 if connections == 1 else 2
            print(f'round {round_number}, {connections} connection(s), {args.seconds} s each',
                  flush=True)
            ceilings = {
                'HTTP': measured(hello_pid, drive, hello_base, ['/'], args.seconds, connections,
                                 threads=threads),
                'gRPC': measured(rpc_pid, drive_grpc, target, [check_health], args.seconds,
                                 connections),
            }
            for transport, run in ceilings.items():
                runs.setdefault(('ceiling', transport, connections), []).append(run)
                print(line('ceiling', transport, run), flush=True)
            for point in points:
                edges = {
                    'REST': measured(web_pid, drive, web_base, point.rest_paths, args.seconds,
                                     connections, headers=bearer, threads=threads),
                    'GraphQL': measured(web_pid, drive, web_base, ['/graphql'], args.seconds,
                                        connections, 'POST', graphql, threads,
                                        point.graphql_bodies),
                    'gRPC': measured(rpc_pid, drive_grpc, target, point.grpc_calls,
                                     args.seconds, connections),
                }
                for edge, run in edges.items():
                    runs.setdefault((point.label, edge, connections), []).append(run)
                    ceiling = ceilings['gRPC' if edge == 'gRPC' else 'HTTP']
                    print(line(point.label, edge, run, ceiling), flush=True)
    return runs


def summarize(runs: dict[tuple, list[Run]], points: list[Read]) -> None:
    def median(key: tuple, figure: Callable[[Run], float]) -> float:
        return statistics.median(figure(run) for run in runs[key])

    print('\nsummary: medians over rounds; req/s, p50 and p95 in ms, server CPU ms per request')
    header = ' | '.join(f'{edge:^27}' for edge in EDGES)
    print(f'{"":16} {"conn":>4} | {header}')
    for label in [point.label for point in points]:
        for connections in CONNECTIONS:
            cells = []
            for edge in EDGES:
                key = (label, edge, connections)
                cells.append(f'{median(key, lambda r: r.figures.requests_per_second):6.0f} '
                             f'{median(key, lambda r: r.figures.p50):5.2f} '
                             f'{median(key, lambda r: r.figures.p95):6.2f} '
                             f'{median(key, lambda r: r.cpu_ms):5.2f}   ')
            print(f'{label:16} {connections:>4} | ' + ' | '.join(cells))
    for transport in ('HTTP', 'gRPC'):
        top = ('ceiling', transport, CONNECTIONS[-1])
        print(f'ceiling {transport} at {CONNECTIONS[-1]}: '
              f'{median(top, lambda r: r.figures.requests_per_second):.0f} req/s, '
              f'{median(top, lambda r: r.cpu_ms):.2f} ms CPU per request')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--users', type=int, default=2000)
    parser.add_argument('--posts', type=int, default=50000)
    parser.add_argument('--follows', type=int, default=5, help='follows per user')
    parser.add_argument('--seconds', type=int, default=5, help='duration of each run')
    parser.add_argument('--rounds', type=int, default=3)
    parser.add_argument('--random-seed', type=int, default=1)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix='warble-edges-'))
    redis, postgres = RedisServer(work), PostgresServer()
    try:
        with contextlib.ExitStack() as stack:
            environ = {'WARBLE_DATABASE_URL': postgres.create_database(DATABASE),
                       'WARBLE_REDIS_URL': redis.url, 'WARBLE_PATHS_VAR': str(work),
                       'WARBLE_LOGGING_LEVEL': 'WARNING', 'WARBLE_GRPC_PORT': str(free_port()),
                       **NO_LIMITS}
            boot.configure(config.load(environ))
            db.migrations().up()
            data = build(config.load(environ), args)
            points = reads(data['token'])
            db.database.close()
            servers = []
            for app, name in (('app:application', 'web'), ('bench.hello:application', 'hello')):
                process, base = start_gunicorn(environ, work / f'{name}.log', app=app)
                stack.callback(stop, process)
                servers.append((process.pid, base))
            process, target = start_rpc(environ, work / 'rpc.log')
            stack.callback(stop, process)
            web, hello = servers
            rpc = (process.pid, target)
            for point in points:  # fill the pools, let psycopg prepare; not measured
                drive(web[1], point.rest_paths, 1, 8, headers={
                    'Authorization': f'Bearer {data["token"]}'})
                drive_grpc(target, point.grpc_calls, 1, 8)
            print('\nREST and GraphQL: gunicorn -k gevent -w 2; gRPC: rpc.py, one process; '
                  'every request with a bearer token (nothing cached); cpu: the server\'s ms '
                  'per request; "of ceiling": req/s over the transport\'s bare answer in the '
                  'same round')
            summarize(measure(args, web, hello, rpc, points, data['token']), points)
            alone, contended = ids_per_second()
            print(f'\nid generator, one process: {alone / 1e6:.2f} M ids/s from one thread, '
                  f'{contended / 1e6:.2f} M ids/s from two threads sharing it')
    finally:
        redis.stop()
        postgres.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    main()
