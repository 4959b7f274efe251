"""Soak: mixed reads and writes at 256 connections for 60 s against gunicorn + gevent on
PostgreSQL; every status must be the expected one (or 503 from a worker at its
`server.max_in_flight`, counted as shed), and the workers' memory must stay flat.

    python3 bench/soak.py [--seconds 60] [--connections 256] [--users 100] [--workers 2]

Starts a fresh stack (tests/harness/stack.py: PostgreSQL, Redis, `web.py` as production runs it),
signs up `--users` users, warms up for 10 s, then drives it with wrk from a separate process: 20 %
new posts, 80 % reads (collections, the public feed, timelines, search, profiles). Prints
requests/s, latency percentiles, every status seen, the posts written against those found in the
database, each worker's resident memory every 10 s, and the CPU per request (ms, from /proc) of
the web server (master and workers), of PostgreSQL and of Redis over the measured run: the
per-core figure, true when other work shares the cores.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from lib import bootstrap

if __name__ == '__main__':
    bootstrap.prepare(tests=True)

import psycopg

from bench.load import tree_cpu_seconds
from tests.harness.soakmix import Soak, SoakResult
from tests.harness.stack import Stack, rss_kib

WARM_UP = 10
EXPECTED = {'POST': '201', 'GET': '200'}
SHED = '503'  # back-pressure: answered at once with Retry-After, the client may try again
class MemorySampler(threading.Thread):
    """Resident memory of each gunicorn worker every `interval` seconds."""

    def __init__(self, stack: Stack, interval: float):
        super().__init__(daemon=True)
        self.stack, self.interval = stack, interval
        self.samples: list[tuple[float, dict[int, int]]] = []
        self.finished = threading.Event()

    def run(self) -> None:
        started = time.monotonic()
        while True:
            self.samples.append((time.monotonic() - started,
                                 {pid: rss_kib(pid) for pid in self.stack.worker_pids()}))
            if self.finished.wait(self.interval):
                return


def post_count(stack: Stack) -> int:
    with psycopg.connect(stack.database_url) as connection:
        return connection.execute('SELECT count(*) FROM micropost').fetchone()[0]


def by_route(log: Path, offset: int) -> None:
    """Requests and server-side durations by route, from the JSON access lines of the run."""
    durations: dict[str, list[float]] = {}
    with open(log) as lines:
        lines.seek(offset)
        for line in lines:
            if line.startswith('{') and '"warble.access"' in line:
                entry = json.loads(line)
                key = f'{entry["method"]} {entry["route"]}'
                durations.setdefault(key, []).append(entry['duration_ms'])
    print('by route, as the access log has it (ms, inside the worker):')
    for key, values in sorted(durations.items(), key=lambda item: -len(item[1])):
        values.sort()
        p99 = values[min(len(values) - 1, int(len(values) * 0.99))]
        print(f'  {key:45} {len(values):7} p50 {values[len(values) // 2]:7.1f} '
              f'p99 {p99:7.1f} max {values[-1]:7.1f}')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--seconds', type=int, default=60)
    parser.add_argument('--connections', type=int, default=256)
    parser.add_argument('--users', type=int, default=100)
    parser.add_argument('--workers', type=int, default=2)
    args = parser.parse_args()
    if shutil.which('wrk') is None:
        raise SystemExit('soak: wrk is missing (apt-get install wrk)')
    with Stack(workers=args.workers) as stack:
        users = stack.users(args.users)
        with Soak(stack.url, users, WARM_UP, args.connections, threads=1) as warm_up:
            warm_up.result()
        before = post_count(stack)
        sampler = MemorySampler(stack, 10)
        sampler.start()
        measured_from = stack.log.stat().st_size
        servers = (stack.process.pid, stack.postgres.process.pid, stack.redis.process.pid)
        cpu = [tree_cpu_seconds(pid) for pid in servers]
        with Soak(stack.url, users, args.seconds, args.connections, threads=1) as soak:
            result = soak.result()
        cpu = [tree_cpu_seconds(pid) - start for pid, start in zip(servers, cpu, strict=True)]
        sampler.finished.set()
        sampler.join()
        written = post_count(stack) - before
        failed = report(args, result, written, sampler.samples, cpu)
        by_route(stack.log, measured_from)
    return failed


def report(args: argparse.Namespace, result: SoakResult, written: int,
           samples: list[tuple[float, dict[int, int]]], cpu: list[float]) -> int:
    """Print the run's figures; 1 when a status, a socket error or a lost post failed it."""
    count, seconds, socket_errors = result.requests, result.seconds, result.socket_errors
    p50, p95, p99, worst = result.p50, result.p95, result.p99, result.worst
    statuses = result.statuses
    unexpected = {status: number for status, number in statuses.items()
                  if status not in (*EXPECTED.values(), SHED)}
    print(f'{args.connections} connections for {args.seconds} s (after {WARM_UP} s of warm-up), '
          f'gunicorn -k gevent -w {args.workers} on PostgreSQL; 20 % writes')
    print(f'requests: {count} ({count / seconds:.0f}/s); latency p50 {p50:.1f} ms, '
          f'p95 {p95:.1f} ms, p99 {p99:.1f} ms, max {worst:.1f} ms')
    print(f'statuses: {json.dumps(dict(sorted(statuses.items())))}; unexpected: '
          f'{sum(unexpected.values())}; shed (503): {statuses.get(SHED, 0)}; '
          f'socket errors (connect, read, write, timeout): {socket_errors}')
    web, postgres, redis = (seconds * 1000 / max(count, 1) for seconds in cpu)
    print(f'CPU per request (ms): web server {web:.2f}, PostgreSQL {postgres:.2f}, Redis '
          f'{redis:.2f} ({sum(cpu):.0f} CPU s in {seconds:.0f} s)')
    acknowledged = statuses.get('201', 0)
    print(f'posts acknowledged with 201: {acknowledged}; new posts in the database: {written} '
          '(more when writes were in flight as wrk stopped)')
    pids = sorted({pid for _, sample in samples for pid in sample})
    print('worker memory (RSS, MiB):')
    print(f'{"second":>8} ' + ' '.join(f'{f"pid {pid}":>10}' for pid in pids))
    for at, sample in samples:
        print(f'{at:8.0f} ' + ' '.join(f'{sample.get(pid, 0) / 1024:10.1f}' for pid in pids))
    first, last = samples[0][1], samples[-1][1]
    growth = ', '.join(f'{(last.get(pid, 0) - first.get(pid, 0)) / 1024:+.1f}' for pid in pids)
    print(f'growth from the first to the last sample (MiB): {growth}')
    return 1 if unexpected or any(socket_errors) or written < acknowledged else 0


if __name__ == '__main__':
    sys.exit(main())
