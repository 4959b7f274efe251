"""Abuse: each attack Warble is hardened against, sent to `web.py` as production runs it (gunicorn
with 2 gevent workers, PostgreSQL, Redis) while bystanders keep reading.

    python3 bench/abuse.py [--only NAME ...] [--list]

Per attack it prints the statuses the attack got, how long the slowest bystander request sent
while it ran waited, each worker's resident memory before and at its peak, and the used memory
of every Redis against its `maxmemory`. Goals: no bystander waits more than 0.5 s, no worker
grows by more than 100 MB, and each Redis stays under its bound.
"""
from __future__ import annotations

import argparse
import collections
import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from lib import bootstrap

if __name__ == '__main__':
    bootstrap.prepare(tests=True)

import psycopg
import redis
import requests

from lib import config
from tests.harness.servers import PYTHON, ROOT
from tests.harness.stack import PASSWORD, Stack, rss_kib

WAIT_GOAL = 0.5
GROWTH_GOAL_MIB = 100
CACHE_MAXMEMORY = '64mb'  # the page cache's Redis, as dev.py bounds it by default
JSON = {'Content-Type': 'application/json'}
Statuses = collections.Counter
Send = Callable[[], Statuses]  # an attack, its payload built, ready to be sent


class Target(Stack):
    """The stack under attack, with what the attacks send as: a user's token (`abuser`, who
    posts) and an API key allowed to import (`api_key`), made once the stack runs."""

    abuser_headers: dict[str, str]
    api_key: str


class Bystanders:
    """Threads that keep reading public pages; each request is kept with when it was sent and
    how long its answer took."""

    PATHS = ('/api/v1/microposts', '/api/v1/users/victim', '/api/v1/users/victim/collection')

    def __init__(self, url: str, threads: int = 4):
        self.url, self.threads = url, threads
        self.requests: list[tuple[float, float]] = []
        self.errors = 0
        self._stop = threading.Event()
        self._workers = [threading.Thread(target=self._read, args=(n,), daemon=True)
                         for n in range(threads)]

    def __enter__(self) -> Bystanders:
        for worker in self._workers:
            worker.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for worker in self._workers:
            worker.join()

    def _read(self, number: int) -> None:
        with requests.Session() as session:
            while not self._stop.is_set():
                path = self.PATHS[number % len(self.PATHS)]
                sent = time.monotonic()
                try:
                    session.get(self.url + path, timeout=60)
                except requests.RequestException:
                    self.errors += 1
                self.requests.append((sent, time.monotonic() - sent))
                self._stop.wait(0.02)

    def longest_wait(self, since: float, until: float) -> float:
        """The longest answer among the requests sent between `since` and `until`."""
        return max((took for sent, took in self.requests if since <= sent <= until), default=0)


class PeakMemory(threading.Thread):
    """The highest resident memory of each gunicorn worker, sampled every 20 ms."""

    def __init__(self, stack: Stack):
        super().__init__(daemon=True)
        self.stack = stack
        self.before = {pid: rss_kib(pid) for pid in stack.worker_pids()}
        self.peak = dict(self.before)
        self.finished = threading.Event()

    def run(self) -> None:
        while not self.finished.wait(0.02):
            for pid in self.stack.worker_pids():
                self.peak[pid] = max(self.peak.get(pid, 0), rss_kib(pid))


def redis_memory(stack: Stack) -> list[str]:
    """Used memory against `maxmemory` of every Redis server the stack configures."""
    figures, seen = [], set()
    for key, url in sorted(stack.environ.items()):
        if not (key.startswith('WARBLE_REDIS_') and key.endswith('URL')) or url in seen:
            continue
        seen.add(url)
        info = redis.Redis.from_url(url).info('memory')
        bound = f'{info["maxmemory"] / 2**20:.0f} MiB' if info.get('maxmemory') else 'no bound'
        figures.append(f'{key.removeprefix("WARBLE_REDIS_").lower()} '
                       f'{info["used_memory"] / 2**20:.1f} MiB of {bound}')
    return figures


def parallel(count: int, send: Callable[[int], requests.Response]) -> Statuses:
    """Send `count` requests at once; count their statuses (`reset` when the connection broke)."""
    def one(number: int) -> str:
        try:
            return str(send(number).status_code)
        except requests.RequestException:
            return 'reset'
    with ThreadPoolExecutor(min(count, 32)) as pool:
        return Statuses(pool.map(one, range(count)))


def post(stack: Stack, path: str, body: bytes | str, headers: dict | None = None,
         timeout: float = 120) -> requests.Response:
    return requests.post(stack.url + path, data=body, headers={**JSON, **(headers or {})},
                         timeout=timeout)


def long_email(stack: Stack) -> Send:
    """Sign-ups with a 100 KB e-mail, quadratic for a backtracking pattern."""
    body = json.dumps({'username': 'mallory', 'password': 'a long passphrase here',
                       'email': 'a@' + '.' * 100_000 + '@'}).encode()
    return lambda: parallel(6, lambda _: post(stack, '/api/v1/users', body))


def empty_citizens(size: int, key: bool = True) -> Callable[[Stack], Send]:
    """An import of `size` bytes of empty citizens (nine problems per three bytes), sent with
    the API key of a program allowed to import, or with no credentials."""
    def attack(stack: Stack) -> Send:
        count = (size - len('{"citizens":[]}')) // 3
        body = b'{"citizens":[' + b','.join([b'{}'] * count) + b']}'
        headers = {'X-API-Key': stack.api_key} if key else {}
        return lambda: parallel(2, lambda _: post(stack, '/imports', body, headers))
    attack.__doc__ = (f'An import of {size / 2**10:,.0f} KiB of empty citizens'
                      f'{"" if key else ", with no credentials"}.')
    return attack


def oversized_import(stack: Stack) -> Send:
    """An import of 80 MiB, over its limit: 413 at once, and the connection ends."""
    body = b'{"citizens":[' + b' ' * 80 * 2**20 + b']}'
    headers = {'X-API-Key': stack.api_key}
    return lambda: parallel(2, lambda _: post(stack, '/imports', body, headers))


def repetitive_body(stack: Stack) -> Send:
    """A sign-up body of the largest size the API takes, one repeated character."""
    limit = int(stack.environ.get('WARBLE_SERVER_MAX_BODY_BYTES', 2**20))
    body = json.dumps({'username': 'u', 'email': 'x@example.com',
                       'password': 'p' * (limit - 100)}).encode()
    return lambda: parallel(2, lambda _: post(stack, '/api/v1/users', body))


def login_race(stack: Stack) -> Send:
    """30 logins for one user at once, 29 wrong and the last right.

    At most the limit may have their password checked; the rest are refused unchecked (429)."""
    def login(number: int) -> requests.Response:
        password = PASSWORD if number == 29 else f'wrong-{number}'
        return post(stack, '/api/v1/token', json.dumps(
            {'grant_type': 'password', 'username': 'victim', 'password': password}))
    return lambda: parallel(30, login)


def login_csrf(stack: Stack) -> Send:
    """A cross-site form (`enctype=text/plain`) that would log a browser in as the attacker."""
    body = '{"username": "victim", "password": "' + PASSWORD + '", "x": "="}'
    return lambda: parallel(1, lambda _: post(stack, '/api/v1/session', body, {
        'Content-Type': 'text/plain', 'Origin': 'https://evil.example',
        'Sec-Fetch-Site': 'cross-site'}))


def cache_flood(stack: Stack) -> Send:
    """20,000 distinct valid page requests, each a new page-cache entry."""
    def page(number: int) -> requests.Response:
        return requests.get(f'{stack.url}/api/v1/microposts?page={number % 9999 + 1}'
                            f'&size={number // 9999 + 1}', timeout=60)
    return lambda: parallel(20_000, page)


def junk_queries(stack: Stack) -> Send:
    """Pages asked with junk parameters, repeated ones and JSONP callbacks."""
    def page(number: int) -> requests.Response:
        query = [f'junk{number}=x', 'size=2&size=1', f'callback=cb{number}'][number % 3]
        return requests.get(f'{stack.url}/api/v1/microposts?{query}', timeout=60)
    return lambda: parallel(3_000, page)


def signup_flood(stack: Stack) -> Send:
    """40 sign-ups from one address."""
    def signup(number: int) -> requests.Response:
        return post(stack, '/api/v1/users', json.dumps({
            'username': f'flood{number}', 'email': f'flood{number}@example.com',
            'password': 'correct horse battery staple'}))
    return lambda: parallel(40, signup)


def post_flood(stack: Stack) -> Send:
    """200 posts by one user."""
    headers = stack.abuser_headers
    return lambda: parallel(200, lambda number: post(
        stack, '/api/v1/users/mallory0/collection', json.dumps({'text': f'flood {number}'}),
        headers))


def mention_bomb(stack: Stack) -> Send:
    """One post naming as many users as it can; counts the e-mails it owes."""
    return lambda: mention(stack, ' '.join(f'@user{number}' for number in range(50)))


def mention(stack: Stack, names: str) -> Statuses:
    answer = post(stack, '/api/v1/users/mallory0/collection', json.dumps({'text': names[:255]}),
                  stack.abuser_headers)
    statuses = Statuses([str(answer.status_code)])
    if answer.status_code == 201:
        with psycopg.connect(stack.database_url) as connection:
            owed = connection.execute('SELECT count(*) FROM outbox_email WHERE micropost_id = %s',
                                      [answer.json()['id']]).fetchone()[0]
        statuses[f'e-mails owed: {owed}'] = 1
    return statuses


ATTACKS: dict[str, Callable[[Stack], Send]] = {
    'long-email': long_email,
    'empty-citizens-90k': empty_citizens(90 * 2**10),
    'empty-citizens-180k': empty_citizens(180 * 2**10),
    'empty-citizens-64m': empty_citizens(64 * 2**20),
    'anonymous-import-64m': empty_citizens(64 * 2**20, key=False),
    'oversized-import': oversized_import,
    'repetitive-1m-body': repetitive_body,
    'login-csrf': login_csrf,
    'login-race': login_race,
    'junk-queries': junk_queries,
    'cache-flood': cache_flood,
    'mention-bomb': mention_bomb,
    'post-flood': post_flood,
    'signup-flood': signup_flood,
}


def run(stack: Target, name: str, attack: Callable[[Target], Send]) -> bool:
    """One attack with bystanders reading; print its figures; True when it met the goals."""
    send = attack(stack)
    memory = PeakMemory(stack)
    memory.start()
    with Bystanders(stack.url) as bystanders:
        time.sleep(0.5)
        started = time.monotonic()
        statuses = send()
        ended = time.monotonic()
        time.sleep(0.5)
    memory.finished.set()
    memory.join()
    waited = bystanders.longest_wait(started, ended)
    growth = max((memory.peak[pid] - before) / 1024 for pid, before in memory.before.items())
    redis_figures = redis_memory(stack)
    print(f'{name}: {attack.__doc__.splitlines()[0]}')
    print(f'  statuses {dict(sorted(statuses.items()))} in {ended - started:.1f} s')
    print(f'  longest bystander wait {waited * 1000:.0f} ms ({len(bystanders.requests)} requests,'
          f' {bystanders.errors} failed)')
    print('  worker RSS MiB (before -> peak): ' + ', '.join(
        f'{before / 1024:.0f} -> {memory.peak[pid] / 1024:.0f}'
        for pid, before in sorted(memory.before.items())))
    print('  redis ' + '; '.join(redis_figures))
    return waited <= WAIT_GOAL and growth <= GROWTH_GOAL_MIB and not bystanders.errors


def default_limits() -> dict[str, str]:
    """The configured rate limits, which the load benchmarks' stack turns off."""
    limits = config.load({}).limits
    return {f'WARBLE_LIMITS_{name.upper()}': str(getattr(limits, name))
            for name in ('signups_per_address', 'posts_per_user', 'follows_per_user')}


def sign_up(stack: Stack, name: str, number: int) -> dict:
    """Sign `name` up from an address of its own (the web role trusts one proxy's
    X-Forwarded-For), so that the sign-up limit is left whole for the attack; its token."""
    where = {'X-Forwarded-For': f'10.0.{number // 250}.{number % 250 + 1}'}
    requests.post(f'{stack.url}/api/v1/users', json={
        'username': name, 'email': f'{name}@example.com', 'password': PASSWORD},
        headers=where, timeout=30)
    token = requests.post(f'{stack.url}/api/v1/token', json={
        'grant_type': 'password', 'username': name, 'password': PASSWORD}, headers=where,
        timeout=30).json()['access_token']
    return {'Authorization': f'Bearer {token}'}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--only', nargs='*', choices=sorted(ATTACKS), help='attacks to run')
    parser.add_argument('--list', action='store_true', help='list the attacks and stop')
    args = parser.parse_args()
    if args.list:
        for name, attack in ATTACKS.items():
            print(f'{name:22} {attack.__doc__.splitlines()[0]}')
        return 0
    chosen = {name: ATTACKS[name] for name in args.only or ATTACKS}
    with Target(workers=2, cache_maxmemory=CACHE_MAXMEMORY, **default_limits()) as stack:
        for number in range(50):
            sign_up(stack, f'user{number}', number)
        sign_up(stack, 'victim', 50)
        stack.abuser_headers = sign_up(stack, 'mallory0', 51)
        stack.api_key = subprocess.run(
            [PYTHON, 'manage.py', 'apikey', 'create', 'abuse'], cwd=ROOT, check=True,
            env=bootstrap.child_environ(**stack.environ), capture_output=True,
            text=True).stdout.strip()
        failed = [name for name, attack in chosen.items() if not run(stack, name, attack)]
    print(f'goals (wait <= {WAIT_GOAL} s, growth <= {GROWTH_GOAL_MIB} MiB) missed by: '
          f'{", ".join(failed) or "none"}')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
