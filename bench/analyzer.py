"""Times every Analyzer endpoint on PostgreSQL under gunicorn + gevent and prints the figures.

`python3 bench/analyzer.py` starts a throwaway PostgreSQL (or uses --database-url), serves the
app with gunicorn's gevent workers on loopback, posts generated imports (10,000 citizens with
1,000 relations, then 100,000 with 10,000) and times each endpoint several times.
Goals: POST /imports of 10,000 citizens within 1.0 s, each report within 0.3 s.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from lib import bootstrap

if __name__ == '__main__':
    bootstrap.prepare(tests=True)

import requests

from tests.harness.citizens import make_import
from tests.harness.servers import PostgresServer, start_gunicorn, stop

GOALS = {'POST /imports': 1.0, 'GET birthdays': 0.3, 'GET percentile/age': 0.3}


def timed(call, repeat: int) -> list[float]:
    """Seconds taken by each of `repeat` calls; each call must succeed."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        answer = call()
        times.append(time.perf_counter() - started)
        answer.raise_for_status()
    return times


def bench_size(url: str, citizens: int, relations: int, repeat: int) -> None:
    """Time each endpoint on imports of one size and print the figures."""
    session = requests.Session()
    body = json.dumps(make_import(citizens, relations, seed=citizens)).encode()
    headers = {'Content-Type': 'application/json'}
    created = []

    def post():
        answer = session.post(f'{url}/imports', data=body, headers=headers, timeout=120)
        created.append(answer.json()['data']['import_id'])
        return answer
    rows = [('POST /imports', timed(post, repeat))]
    base = f'{url}/imports/{created[-1]}'
    rng = random.Random(citizens)

    def patch():
        citizen_id = rng.randint(1, citizens)
        relatives = rng.sample(range(1, citizens + 1), 3)
        return session.patch(f'{base}/citizens/{citizen_id}', timeout=60, json={
            'name': 'Новое Имя', 'relatives': [r for r in relatives if r != citizen_id]})
    rows += [
        ('GET citizens', timed(lambda: session.get(f'{base}/citizens', timeout=60), repeat)),
        ('PATCH citizen', timed(patch, repeat * 4)),
        ('GET birthdays', timed(lambda: session.get(f'{base}/citizens/birthdays', timeout=60),
                                repeat)),
        ('GET percentile/age', timed(
            lambda: session.get(f'{base}/towns/stat/percentile/age', timeout=60), repeat)),
        ('GET /imports', timed(lambda: session.get(f'{url}/imports', timeout=60), repeat)),
    ]
    citizens_bytes = len(session.get(f'{base}/citizens', timeout=60).content)
    print(f'\n{citizens:,} citizens, {relations:,} relations; body {len(body) / 2**20:.1f} MiB; '
          f'{repeat} runs each (PATCH {repeat * 4}); GET citizens answers {citizens_bytes:,} bytes')
    print(f'{"endpoint":22}{"median":>10}{"best":>10}{"worst":>10}{"goal":>10}')
    for name, times in rows:
        goal = GOALS.get(name) if citizens <= 10_000 else None
        verdict = f'{goal:.1f} s ' + ('ok' if statistics.median(times) <= goal else 'MISSED') \
            if goal else ''
        print(f'{name:22}{statistics.median(times):>9.3f}s{min(times):>9.3f}s'
              f'{max(times):>9.3f}s  {verdict}')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--citizens', type=int, nargs='+', default=[10_000, 100_000],
                        help='import sizes to time (default: 10000 100000)')
    parser.add_argument('--relations', type=float, default=0.1, metavar='RATIO',
                        help='relations per citizen (default: 0.1)')
    parser.add_argument('--repeat', type=int, default=5, help='runs per endpoint')
    parser.add_argument('--workers', type=int, default=2, help='gunicorn gevent workers')
    parser.add_argument('--database-url', help='an empty PostgreSQL database to use instead '
                        'of a throwaway one')
    options = parser.parse_args()
    postgres = None if options.database_url else PostgresServer()
    try:
        database_url = options.database_url or postgres.create_database('warble_bench')
        with tempfile.TemporaryDirectory(prefix='warble-bench-') as scratch:
            environ = {'WARBLE_DATABASE_URL': database_url, 'WARBLE_LOGGING_LEVEL': 'WARNING',
                       'WARBLE_PATHS_VAR': scratch}
            migrate(environ)
            server, url = start_gunicorn(environ, Path(scratch) / 'gunicorn.log',
                                         options.workers)
            try:
                print(f'Analyzer on PostgreSQL, gunicorn -k gevent -w {options.workers}, {url}')
                for citizens in options.citizens:
                    bench_size(url, citizens, int(citizens * options.relations), options.repeat)
            finally:
                stop(server)
    finally:
        if postgres:
            postgres.stop()


def migrate(environ: dict[str, str]) -> None:
    from controllers import boot
    from lib import config
    from models import db
    boot.configure(config.load(environ))
    db.migrations().up()
    db.database.close()


if __name__ == '__main__':
    main()
