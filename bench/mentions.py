"""Mention e-mails: p50/p95 from POST to e-mail received, and e-mails per second through one worker.

    python3 bench/mentions.py [--posts 200] [--rate 20] [--burst 100] [--names 10]

Runs a fresh stack (tests/harness/stack.py: PostgreSQL, Redis, `web.py` with two gevent workers, a
Celery worker with one pool process and beat, with production's mail timing, and a real SMTP server
on loopback). Latency: `--posts` posts at `--rate` per second, each naming one user, timed from the
start of the POST to the message arriving at the SMTP server. Throughput: `--burst` posts naming
`--names` users each, sent at once by four clients; e-mails per second between the first and the
last to arrive. Goal: p95 ≤ 2 s.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from lib import bootstrap

if __name__ == '__main__':
    bootstrap.prepare(tests=True)
bootstrap.use_vendor()

import requests

from tests.harness.smtp import SmtpServer
from tests.harness.stack import Stack

RECIPIENTS = 100
# One pool process; claims, retries and the sweep as production times them.
ONE_WORKER = {'WARBLE_CELERY_CONCURRENCY': '1', 'WARBLE_MAIL_LEASE_SECONDS': '120',
              'WARBLE_MAIL_RETRY_SECONDS': '30', 'WARBLE_MAIL_SWEEP_SECONDS': '60'}


class Poster:
    """Writes posts as the author and remembers when each e-mail they owe was asked for."""

    def __init__(self, base: str, author: str, headers: dict):
        self.url = f'{base}/api/v1/users/{author}/collection'
        self.headers = headers
        self.asked: dict[str, float] = {}  # "<post id> <address>" -> time.monotonic()

    def post(self, names: list[str]) -> None:
        started = time.monotonic()
        answer = requests.post(self.url, headers=self.headers, timeout=30, json={
            'text': 'hello ' + ' '.join(f'@{name}' for name in names)})
        answer.raise_for_status()
        for name in names:
            self.asked[f'{answer.json()["id"]} {name}@example.com'] = started


def arrivals(smtp: SmtpServer, count: int, timeout: float) -> dict[str, float]:
    """When each e-mail arrived, by "<post id> <address>", once `count` did."""
    received = smtp.wait_for(count, timeout)
    times = {}
    for item in received:
        post_id = item.message['Message-ID'].split('-')[1]
        for address in item.recipients:
            times[f'{post_id} {address}'] = item.at
    return times


def latency(smtp: SmtpServer, poster: Poster, args: argparse.Namespace) -> None:
    for n in range(args.posts):
        poster.post([f'user{1 + n % RECIPIENTS}'])
        time.sleep(1 / args.rate)
    arrived = arrivals(smtp, args.posts, timeout=120)
    waits = sorted(arrived[key] - started for key, started in poster.asked.items())
    p50, p95 = statistics.quantiles(waits, n=100)[49], statistics.quantiles(waits, n=100)[94]
    print(f'POST to e-mail received ({args.posts} posts at {args.rate}/s, one name each): '
          f'p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, max {waits[-1] * 1000:.0f} ms '
          f'(goal p95 <= 2000 ms: {"met" if p95 <= 2 else "MISSED"})', flush=True)


def throughput(smtp: SmtpServer, poster: Poster, args: argparse.Namespace) -> None:
    before = len(smtp.messages)
    batches = [[f'user{1 + (n * args.names + k) % RECIPIENTS}' for k in range(args.names)]
               for n in range(args.burst)]
    with ThreadPoolExecutor(4) as clients:
        list(clients.map(poster.post, batches))
    total = args.burst * args.names
    received = smtp.wait_for(before + total, timeout=600)[before:]
    seconds = received[-1].at - received[0].at
    print(f'through one worker: {total} e-mails ({args.burst} posts naming {args.names} each) '
          f'in {seconds:.1f} s: {(total - 1) / seconds:.0f} e-mails/s', flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--posts', type=int, default=200, help='posts timed one by one')
    parser.add_argument('--rate', type=float, default=20, help='timed posts per second')
    parser.add_argument('--burst', type=int, default=100, help='posts sent at once')
    parser.add_argument('--names', type=int, default=10, help='users each burst post names')
    args = parser.parse_args()
    with Stack(mail=True, smtp_delay=0.0, **ONE_WORKER) as stack:
        (author, headers), *_ = stack.users(1 + RECIPIENTS)  # user1..user100 are named
        print('web.py (gunicorn -k gevent -w 2), PostgreSQL, Redis, a Celery worker with one pool '
              'process, aiosmtpd on loopback', flush=True)
        poster = Poster(stack.url, author, headers)
        latency(stack.smtp, poster, args)
        throughput(stack.smtp, poster, args)
        received = len(stack.smtp.messages)
    doubles = received - len(poster.asked)
    print(f'e-mails received: {received}, owed: {len(poster.asked)}'
          + (f' ({doubles} MORE THAN OWED)' if doubles else ''))


if __name__ == '__main__':
    main()
