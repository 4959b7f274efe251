"""Mention e-mails: p50/p95 from POST to e-mail received, and e-mails per second through one worker.

    python3 bench/mentions.py [--posts 200] [--rate 20] [--burst 100] [--names 10]

Serves Warble with gunicorn and two gevent workers on a fresh PostgreSQL (initdb in a temporary
directory) with its own Redis broker, one Celery worker process (solo pool) and a real SMTP server
(aiosmtpd) on loopback. Latency: `--posts` posts at `--rate` per second, each naming one user,
timed from the start of the POST to the message arriving at the SMTP server. Throughput: `--burst`
posts naming `--names` users each, sent at once by four clients; e-mails per second between the
first and the last to arrive. Goal: p95 ≤ 2 s.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from lib import bootstrap  # noqa: E402

if __name__ == '__main__':
    bootstrap.prepare(tests=True)
bootstrap.use_vendor()

import requests  # noqa: E402

from bench.load import Gunicorn  # noqa: E402
from controllers import boot  # noqa: E402
from controllers.tokens import TokenController  # noqa: E402
from controllers.users import UserController  # noqa: E402
from lib import config  # noqa: E402
from models import db  # noqa: E402
from models.users import User  # noqa: E402
from tests.servers import PostgresServer, RedisServer, start_worker, stop  # noqa: E402
from tests.smtp import SmtpServer  # noqa: E402

AUTHOR_PASSWORD = 'author-password'
RECIPIENTS = 100


def prepare(settings: config.Section) -> str:
    """The author and RECIPIENTS users to name; the author's bearer token."""
    db.migrations().up()
    UserController().create('author', 'author@example.com', AUTHOR_PASSWORD)
    User.insert_many([{'username': f'reader_{n:03}', 'email': f'reader_{n:03}@example.com',
                       'password_hash': '-'} for n in range(RECIPIENTS)]).execute()
    token = TokenController().issue('author', AUTHOR_PASSWORD, '127.0.0.1')['access_token']
    db.database.close()
    return token


class Poster:
    """Writes posts as the author and remembers when each e-mail they owe was asked for."""

    def __init__(self, base: str, token: str):
        self.url = f'{base}/api/v1/users/author/collection'
        self.headers = {'Authorization': f'Bearer {token}'}
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
        poster.post([f'reader_{n % RECIPIENTS:03}'])
        time.sleep(1 / args.rate)
    arrived = arrivals(smtp, args.posts, timeout=120)
    waits = sorted(arrived[key] - started for key, started in poster.asked.items())
    p50, p95 = statistics.quantiles(waits, n=100)[49], statistics.quantiles(waits, n=100)[94]
    print(f'POST to e-mail received ({args.posts} posts at {args.rate}/s, one name each): '
          f'p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, max {waits[-1] * 1000:.0f} ms '
          f'(goal p95 <= 2000 ms: {"met" if p95 <= 2 else "MISSED"})', flush=True)


def throughput(smtp: SmtpServer, poster: Poster, args: argparse.Namespace) -> None:
    before = len(smtp.messages)
    batches = [[f'reader_{(n * args.names + k) % RECIPIENTS:03}' for k in range(args.names)]
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
    work = Path(tempfile.mkdtemp(prefix='warble-bench-'))
    redis, postgres, smtp = RedisServer(work), PostgresServer(), SmtpServer().start()
    worker = None
    try:
        environ = {'WARBLE_DATABASE_URL': postgres.create_database('warble_bench'),
                   'WARBLE_REDIS_URL': redis.url, 'WARBLE_PATHS_VAR': str(work),
                   'WARBLE_LOGGING_LEVEL': 'WARNING', **smtp.environ()}
        settings = config.load(environ)
        boot.configure(settings)
        token = prepare(settings)
        worker = start_worker(environ, work / 'worker.log')
        print('gunicorn -k gevent -w 2, PostgreSQL, Redis, one Celery worker (solo pool), '
              'aiosmtpd on loopback', flush=True)
        with Gunicorn('app:application', environ, work / 'warble.log') as warble:
            poster = Poster(warble.base, token)
            latency(smtp, poster, args)
            throughput(smtp, poster, args)
        doubles = len(smtp.messages) - len(poster.asked)
        print(f'e-mails received: {len(smtp.messages)}, owed: {len(poster.asked)}'
              + (f' ({doubles} MORE THAN OWED)' if doubles else ''))
    finally:
        if worker is not None:
            stop(worker)
        smtp.stop()
        redis.stop()
        postgres.stop()


if __name__ == '__main__':
    main()
