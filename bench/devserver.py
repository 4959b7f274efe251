"""The development server under bursts: `python3 dev.py` on SQLite, timed per request.

    python3 bench/devserver.py [--rounds 3] [--url http://127.0.0.1:8080]

Starts `dev.py` in a temporary directory (or uses a running one at `--url`), then, each round:
64 concurrent `GET /status`, 64 concurrent page requests (`/` and `/api/v1/microposts`), and 50
concurrent writers (tests/harness/burst.py: posts, edits, deletes of one post, follows,
Analyzer PATCHes).
Prints the answers by status and the max and median seconds of each burst. Goal: every request
answered, none reset, each within a second; the writers' answers those of one at a time.
"""
from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from lib import bootstrap

if __name__ == '__main__':
    bootstrap.prepare(tests=True)
bootstrap.use_vendor()

import requests

from tests.harness.burst import Outcome, fire_mix, fire_together, gets, writer_mix
from tests.harness.servers import ROOT, free_port, wait_for

BURST = 64
TIMEOUT = 30.0


def start_dev(folder: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    var = folder / 'var'
    environ = {**os.environ, 'WARBLE_PATHS_VAR': str(var),
               'WARBLE_DATABASE_URL': f'sqlite:///{var}/warble.db',
               'WARBLE_REDIS_URL': f'unix://{var}/redis.sock', 'WARBLE_MAIL_PORT': str(free_port())}
    process = subprocess.Popen(['python3', 'dev.py', '--port', str(port)], cwd=ROOT, env=environ,
                               stdout=open(folder / 'dev.log', 'w'), stderr=subprocess.STDOUT)
    base = f'http://127.0.0.1:{port}'
    wait_for(lambda: requests.get(f'{base}/status', timeout=5).status_code == 200, timeout=120,
             what='dev.py')
    return process, base


def line(label: str, outcomes: list[Outcome]) -> str:
    seconds = [outcome.seconds for outcome in outcomes]
    counted = dict(Counter(str(outcome.status) for outcome in outcomes))
    return (f'{label:<10} {counted}  max {max(seconds):.2f} s  '
            f'median {statistics.median(seconds):.2f} s')


def run_round(base: str, number: int) -> None:
    print(line('status', fire_together(gets(base, ['/status'] * BURST, TIMEOUT))))
    paths = ['/', '/api/v1/microposts'] * (BURST // 2)
    print(line('pages', fire_together(gets(base, paths, TIMEOUT))))
    mix = writer_mix(base, f'bench{number}x', TIMEOUT)
    found = fire_mix(mix)
    print(line('writers', [outcome for outcomes in found.values() for outcome in outcomes]))
    for kind, outcomes in found.items():
        wrong = sorted((outcome.status for outcome in outcomes), key=str) != \
            sorted(mix.expected[kind], key=str)
        print(f'  {line(kind, outcomes)}' + (f'  expected {mix.expected[kind]}' if wrong else ''))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--rounds', type=int, default=3)
    parser.add_argument('--url', help='a running dev.py instead of a fresh one')
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix='warble-devbench-') as folder:
        process, base = (None, args.url) if args.url else start_dev(Path(folder))
        try:
            for number in range(args.rounds):
                print(f'round {number + 1}')
                run_round(base, number)
        finally:
            if process is not None:
                process.send_signal(signal.SIGTERM)
                process.wait(30)


if __name__ == '__main__':
    main()
