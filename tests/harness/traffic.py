"""Clients for the fault scripts and tests: threads sending a mix of reads and writes, recording
what each request got in which phase of the run, and the posts acknowledged with a 201."""
from __future__ import annotations

import collections
import threading
import time
from dataclasses import dataclass

import requests


@dataclass(frozen=True)
class Outcome:
    """One request: the phase it was answered in, its kind, the status it got (with the error
    code of an error answer, or the name of the connection error instead), when it was answered
    and how long it took."""

    phase: str
    kind: str
    status: str
    at: float
    seconds: float
    post_id: int | None = None


class Traffic:
    """`clients` threads, each as one of `users` (username, headers), in turns: write a post
    naming the next user (who is owed an e-mail), read that user's posts (cached), read the
    public feed (cached), read the own timeline."""

    def __init__(self, url: str, users: list[tuple[str, dict]], clients: int):
        self.url, self.users, self.clients = url, users, clients
        self.phase = 'before'
        self.outcomes: list[Outcome] = []
        self.started = time.monotonic()
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._client, args=(number,), daemon=True)
                         for number in range(clients)]

    def __enter__(self) -> Traffic:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(30)

    def now(self) -> float:
        return time.monotonic() - self.started

    def statuses(self, phase: str, kind: str | None = None) -> collections.Counter:
        return collections.Counter(outcome.status for outcome in self.outcomes
                                   if outcome.phase == phase and kind in (None, outcome.kind))

    def sent_since(self, at: float) -> collections.Counter:
        """Statuses of the requests sent at `at` (seconds into the run) or later."""
        return collections.Counter(outcome.status for outcome in self.outcomes
                                   if outcome.at - outcome.seconds >= at)

    def acknowledged(self) -> list[int]:
        """Ids of the posts whose creation was answered 201."""
        return [outcome.post_id for outcome in self.outcomes if outcome.post_id is not None]

    def _requests(self, number: int):
        name, headers = self.users[number % len(self.users)]
        other = self.users[(number + 1) % len(self.users)][0]
        written = 0
        while True:
            written += 1
            yield 'write', 'POST', f'/api/v1/users/{name}/collection', headers, {
                'text': f'post {written} of {name} for @{other}'}
            yield 'read', 'GET', f'/api/v1/users/{other}/collection', {}, None
            yield 'read', 'GET', '/api/v1/microposts', {}, None
            yield 'read', 'GET', f'/api/v1/users/{name}/timeline', headers, None

    def _client(self, number: int) -> None:
        with requests.Session() as session:
            for kind, method, path, headers, body in self._requests(number):
                if self._stop.is_set():
                    return
                sent = time.monotonic()
                post_id = None
                try:
                    answer = session.request(method, self.url + path, json=body,
                                             headers=headers, timeout=30)
                    status = str(answer.status_code)
                    if kind == 'write' and answer.status_code == 201:
                        post_id = int(answer.json()['id'])  # a decimal string
                    elif answer.status_code >= 400:
                        status += ' ' + error_code(answer)
                except requests.RequestException as exc:
                    status = type(exc).__name__
                self.outcomes.append(Outcome(self.phase, kind, status, self.now(),
                                             time.monotonic() - sent, post_id))


def error_code(answer: requests.Response) -> str:
    """The `code` of a JSON error answer, else its content type."""
    try:
        return answer.json()['error']['code']
    except (ValueError, KeyError, TypeError):
        return answer.headers.get('Content-Type', 'no content type')
