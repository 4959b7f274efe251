"""Requests fired at once at a running Warble, and a mix of concurrent writers whose answers are
known: the tests of the development server and `bench/devserver.py` share them."""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import requests

from tests.harness.apiclient import PASSWORD
from tests.harness.citizens import make_import


@dataclass
class Outcome:
    """What one request of a burst got: its status (or the exception's name) and how long."""

    status: int | str
    seconds: float
    body: str


def fire_together(calls: list[Callable[[], requests.Response]]) -> list[Outcome]:
    """Run every call at once, each from its own thread released by one barrier."""
    start = threading.Barrier(len(calls))

    def run(call: Callable[[], requests.Response]) -> Outcome:
        start.wait()
        started = time.perf_counter()
        try:
            answer = call()
        except requests.RequestException as exc:
            return Outcome(type(exc).__name__, time.perf_counter() - started, str(exc))
        return Outcome(answer.status_code, time.perf_counter() - started, answer.text[:300])
    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


Timeout = float | tuple[float, float]  # requests' (connect, read) seconds


def gets(base: str, paths: list[str],
         timeout: Timeout) -> list[Callable[[], requests.Response]]:
    return [lambda path=path: requests.get(base + path, timeout=timeout) for path in paths]


def sign_up(base: str, username: str) -> dict:
    """Create `username` and log in: the headers that authenticate as them."""
    requests.post(f'{base}/api/v1/users', json={
        'username': username, 'email': f'{username}@example.com', 'password': PASSWORD},
        timeout=30).raise_for_status()
    token = requests.post(f'{base}/api/v1/token', json={
        'grant_type': 'password', 'username': username, 'password': PASSWORD}, timeout=30)
    token.raise_for_status()
    return {'Authorization': f'Bearer {token.json()["access_token"]}'}


@dataclass
class WriterMix:
    """Concurrent writes and the statuses the same requests get one at a time, by kind."""

    calls: dict[str, list[Callable[[], requests.Response]]]
    expected: dict[str, list[int]]


def writer_mix(base: str, prefix: str, timeout: Timeout) -> WriterMix:
    """50 writes on fresh users `<prefix>0..5` and a fresh import: 12 posts (half mentioning
    someone, so owing an e-mail), 8 edits, 8 deletes of one post, 10 distinct follows and 12
    Analyzer PATCHes. Alone, a delete of a post already deleted is 404: of the 8, one is 204."""
    names = [f'{prefix}{number}' for number in range(6)]
    heads = {name: sign_up(base, name) for name in names}
    author = names[0]
    collection = f'{base}/api/v1/users/{author}/collection'
    posts = [requests.post(collection, json={'text': f'post {number}'}, headers=heads[author],
                           timeout=30).json()['id'] for number in range(9)]
    created = requests.post(f'{base}/imports', json=make_import(12, 20, seed=15), timeout=30)
    created.raise_for_status()
    import_id = created.json()['data']['import_id']
    pairs = [(one, other) for one in names[1:] for other in names if other != one][:10]

    def post(number: int):
        name = names[number % 6]
        mention = f' @{names[(number + 1) % 6]}' if number % 2 else ''
        return requests.post(f'{base}/api/v1/users/{name}/collection', headers=heads[name],
                             json={'text': f'burst {number}{mention}'}, timeout=timeout)

    def edit(number: int):
        return requests.patch(f'{collection}/{posts[number]}', json={'text': f'edited {number}'},
                              headers=heads[author], timeout=timeout)

    def delete():
        return requests.delete(f'{collection}/{posts[8]}', headers=heads[author], timeout=timeout)

    def follow(one: str, other: str):
        return requests.post(f'{base}/api/v1/users/{one}/following', json={'username': other},
                             headers=heads[one], timeout=timeout)

    def patch(citizen_id: int):
        return requests.patch(f'{base}/imports/{import_id}/citizens/{citizen_id}',
                              json={'name': f'Renamed {citizen_id}'}, timeout=timeout)

    return WriterMix(
        calls={'posts': [lambda n=n: post(n) for n in range(12)],
               'edits': [lambda n=n: edit(n) for n in range(8)],
               'deletes': [delete] * 8,
               'follows': [lambda pair=pair: follow(*pair) for pair in pairs],
               'patches': [lambda c=c: patch(c) for c in range(1, 13)]},
        expected={'posts': [201] * 12, 'edits': [200] * 8, 'deletes': [204] + [404] * 7,
                  'follows': [201] * 10, 'patches': [200] * 12})


def fire_mix(mix: WriterMix) -> dict[str, list[Outcome]]:
    """Fire every write of the mix at once; the outcomes by kind, in the order of the calls."""
    kinds = [(kind, call) for kind, calls in mix.calls.items() for call in calls]
    outcomes = fire_together([call for _, call in kinds])
    found: dict[str, list[Outcome]] = {kind: [] for kind in mix.calls}
    for (kind, _), outcome in zip(kinds, outcomes, strict=True):
        found[kind].append(outcome)
    return found
