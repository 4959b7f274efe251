"""Faults under load: a web worker killed, Redis stopped and restarted, PostgreSQL restarted,
Celery workers killed again and again.

    python3 bench/faults.py [--seconds 10] [--redis-down 30] [--postgres-down 10]
                            [--celery-kills 12] [--clients 16]

Each fault (tests/harness/faults.py) runs against a fresh stack (tests/harness/stack.py:
PostgreSQL, Redis, `web.py` with two gevent workers, a Celery worker and beat, an SMTP server)
under `--clients` clients writing posts that name another user and reading pages
(tests/harness/traffic.py), and prints what the clients got before, during and after it, how
long recovery took, how many posts acknowledged with 201 are missing from the database
afterwards, and, once the system settled, how many e-mails owed for those posts the SMTP server
never got or got twice (the goal: none of either).
"""
from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from lib import bootstrap

if __name__ == '__main__':
    bootstrap.prepare(tests=True)

from tests.harness.faults import kill_celery, kill_worker, restart_postgres, run, stop_redis


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
