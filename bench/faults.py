"""Faults under load: a web worker killed, Redis stopped and restarted, PostgreSQL restarted,
Celery workers killed again and again.

    python3 bench/faults.py [--seconds 10] [--redis-down 30] [--postgres-down 10]
                            [--celery-kills 12] [--clients 16]

Each fault runs against a fresh stack (bench/stack.py: PostgreSQL, Redis, `web.py` with two
gevent workers, a Celery worker and beat, an SMTP server) under `--clients` clients writing posts
that name another user and reading pages (bench/traffic.py), and prints what the clients got
before, during and after it, how long recovery took, how many posts acknowledged with 201 are
missing from the database afterwards, and, once the system settled, how many e-mails owed for
those posts the SMTP server never got or got twice (the goal: none of either).
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from lib import bootstrap  # noqa: E402

if __name__ == '__main__':
    bootstrap.prepare(tests=True)

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
    post was written again, and what failed of the requests sent once it was back (a request
    answered just after the restart may have been sent, and failed, during the gap)."""
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
    failed = {status: count for status, count in traffic.sent_since(back).items()
              if not status.startswith('2')}
    return {'recovered_after': min(written) - back if written else None, 'back_at': back,
            'failed_when_sent_after_restart': failed}


def kill_celery(stack: Stack, traffic: Traffic, seconds: float, kills: int) -> dict:
    """SIGKILL Celery `kills` times: first the whole worker while one of its e-mails is held
    at RCPT by the SMTP server (so a delivery is surely cut short), then a pool process about
    every second and every third time the whole worker (started again, as systemd does); how
    long that took."""
    time.sleep(seconds)
    traffic.phase = 'down'
    started = time.monotonic()
    stack.smtp.stall_once('rcpt')
    if not stack.smtp.stalled.wait(30):
        raise RuntimeError('no e-mail reached the SMTP server within 30 s')
    stack.kill_celery(whole=True)
    stack.smtp.release()
    for kill in range(2, kills + 1):
        time.sleep(random.uniform(0.5, 1.5))
        stack.kill_celery(whole=kill % 3 == 0)
    burst = time.monotonic() - started
    traffic.phase = 'after'
    time.sleep(seconds)
    return {'celery_kills': kills, 'burst_seconds': burst}


def run(fault: Callable[..., dict], clients: int, *args: float, settle: float = 600.0,
        **settings: str) -> dict:
    """Run `fault` on a fresh stack under traffic; its report, the traffic, the posts
    acknowledged but missing from the database, the e-mails owed for them once settled (within
    `settle` seconds, `Stack.emails`), and how often the Celery worker and beat were started
    again after they exited."""
    with Stack(mail=True, **settings) as stack:
        users = stack.users(clients)
        with Traffic(stack.url, users, clients) as traffic:
            report = fault(stack, traffic, *args)
        acknowledged = traffic.acknowledged()
        report.update(traffic=traffic, acknowledged=len(acknowledged),
                      lost=sorted(set(acknowledged) - stack.stored_posts(acknowledged)),
                      **stack.emails(acknowledged, settle), metrics=stack.metrics(),
                      celery_restarts=stack.celery.restarts, beat_restarts=stack.beat.restarts)
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
    extra = {key: value for key, value in report.items() if key not in (
        'traffic', 'acknowledged', 'lost', 'metrics') and not key.startswith('emails_')}
    if extra:
        print('  ' + ', '.join(f'{key}: {value:.2f}' if isinstance(value, float)
                               else f'{key}: {value}' for key, value in extra.items()))
    print(f'  posts acknowledged with 201: {report["acknowledged"]}, '
          f'missing from the database: {len(report["lost"])}')
    print(f'  e-mails owed for them: {report["emails_owed"]}, never received: '
          f'{len(report["emails_missing"])}, received twice: {len(report["emails_doubled"])}, '
          f'lost to a kill between marking one sent and its end of data: '
          f'{len(report["emails_lost_at_kill"])}; '
          f'sent again after a try cut short: {report["emails_sent_again"]}; '
          f'all sent {report["emails_settled_in"]:.1f} s after the load stopped')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--seconds', type=float, default=10, help='load before and after')
    parser.add_argument('--redis-down', type=float, default=30)
    parser.add_argument('--postgres-down', type=float, default=10)
    parser.add_argument('--celery-kills', type=int, default=12)
    parser.add_argument('--clients', type=int, default=16)
    parser.add_argument('--lease', type=float, default=10,
                        help='seconds an e-mail handed over or claimed waits for its worker')
    args = parser.parse_args()
    lease = {'WARBLE_MAIL_LEASE_SECONDS': str(args.lease)}
    print(f'{args.clients} clients; each writes a post naming another user, reads two cached '
          'pages and its timeline, in turn; gunicorn -k gevent -w 2 on PostgreSQL; a Celery '
          'worker with two processes sends the e-mails')
    show('web worker killed (SIGKILL)', run(kill_worker, args.clients, args.seconds, **lease))
    show(f'Redis stopped for {args.redis_down:g} s',
         run(stop_redis, args.clients, args.seconds, args.redis_down, **lease))
    show(f'PostgreSQL shut down for {args.postgres_down:g} s',
         run(restart_postgres, args.clients, args.seconds, args.postgres_down,
             **lease))
    show(f'Celery worker killed {args.celery_kills} times, about every second',
         run(kill_celery, args.clients, args.seconds, args.celery_kills, **lease))


if __name__ == '__main__':
    main()
