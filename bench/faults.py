"""Faults under load: a web worker killed, Redis stopped and restarted, PostgreSQL restarted.

    python3 bench/faults.py [--seconds 10] [--redis-down 30] [--postgres-down 10] [--clients 16]

Each fault runs against a fresh stack (bench/stack.py: PostgreSQL, Redis, `web.py` with two
gevent workers) under `--clients` clients writing posts and reading pages (bench/traffic.py), and
prints what the clients got before, during and after it, how long recovery took, and how many
posts acknowledged with 201 are missing from the database afterwards (the goal: none).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from lib import bootstrap  # noqa: E402

if __name__ == '__main__':
    if Path(sys.prefix).resolve() != bootstrap.ENV.resolve():
        bootstrap.ensure(tests=True)
    bootstrap.reexec_in_env()

from bench.stack import Stack  # noqa: E402
from bench.traffic import Traffic  # noqa: E402


def kill_worker(stack: Stack, traffic: Traffic, seconds: float) -> dict:
    """SIGKILL a web worker; gunicorn starts another."""
    time.sleep(seconds)
    traffic.phase = 'after'
    killed = stack.kill_worker()
    time.sleep(seconds)
    return {'killed': killed, 'workers': stack.worker_pids()}


def stop_redis(stack: Stack, traffic: Traffic, seconds: float, down: float) -> dict:
    """Stop Redis for `down` seconds, then start it again (empty, as after a crash)."""
    time.sleep(seconds)
    traffic.phase = 'down'
    stack.redis.stop()
    time.sleep(down)
    stack.redis.start()
    hits = stack.cache_hits()
    traffic.phase = 'after'
    time.sleep(seconds)
    return {'cache_hits_after_restart': stack.cache_hits() - hits}


def restart_postgres(stack: Stack, traffic: Traffic, seconds: float, down: float) -> dict:
    """Shut PostgreSQL down for `down` seconds, then start it again; how long until the first
    post was written again."""
    time.sleep(seconds)
    traffic.phase = 'down'
    stack.postgres.halt()
    time.sleep(down)
    stack.postgres.start()
    back = traffic.now()
    traffic.phase = 'after'
    time.sleep(seconds)
    written = [outcome.at for outcome in traffic.outcomes
               if outcome.phase == 'after' and outcome.post_id is not None]
    return {'recovered_after': min(written) - back if written else None, 'back_at': back}


def run(fault: Callable[..., dict], clients: int, *args: float, **settings: str) -> dict:
    """Run `fault` on a fresh stack under traffic; its report, the traffic, and the posts
    acknowledged but missing from the database."""
    with Stack(**settings) as stack:
        users = stack.users(clients)
        with Traffic(stack.url, users, clients) as traffic:
            report = fault(stack, traffic, *args)
        acknowledged = traffic.acknowledged()
        report.update(traffic=traffic, acknowledged=len(acknowledged),
                      lost=sorted(set(acknowledged) - stack.stored_posts(acknowledged)),
                      metrics=stack.metrics())
    return report


def show(title: str, report: dict) -> None:
    traffic = report['traffic']
    print(f'\n{title}')
    for phase in ('before', 'down', 'after'):
        outcomes = [outcome for outcome in traffic.outcomes if outcome.phase == phase]
        if not outcomes:
            continue
        statuses = ', '.join(f'{status}: {count}' for status, count in
                             sorted(traffic.statuses(phase).items()))
        p50 = statistics.median(outcome.seconds for outcome in outcomes) * 1000
        worst = max(outcome.seconds for outcome in outcomes) * 1000
        print(f'  {phase:7} {len(outcomes):6} requests  p50 {p50:6.1f} ms  max {worst:7.1f} ms'
              f'  {statuses}')
    extra = {key: value for key, value in report.items()
             if key not in ('traffic', 'acknowledged', 'lost', 'metrics')}
    if extra:
        print('  ' + ', '.join(f'{key}: {value:.2f}' if isinstance(value, float)
                               else f'{key}: {value}' for key, value in extra.items()))
    print(f'  posts acknowledged with 201: {report["acknowledged"]}, '
          f'missing from the database: {len(report["lost"])}')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--seconds', type=float, default=10, help='load before and after')
    parser.add_argument('--redis-down', type=float, default=30)
    parser.add_argument('--postgres-down', type=float, default=10)
    parser.add_argument('--clients', type=int, default=16)
    args = parser.parse_args()
    print(f'{args.clients} clients; each writes a post, reads two cached pages and its timeline,'
          ' in turn; gunicorn -k gevent -w 2 on PostgreSQL')
    show('web worker killed (SIGKILL)', run(kill_worker, args.clients, args.seconds))
    show(f'Redis stopped for {args.redis_down:g} s',
         run(stop_redis, args.clients, args.seconds, args.redis_down))
    show(f'PostgreSQL shut down for {args.postgres_down:g} s',
         run(restart_postgres, args.clients, args.seconds, args.postgres_down))


if __name__ == '__main__':
    main()
