"""`python3 dev.py` on SQLite under the load a browser and a test suite give it: concurrent
writers get the answers they get one at a time, and bursts of 64 connections are all answered.

Answers may take 10 s: the acceptance is about a second each (`bench/devserver.py` prints the
figures), and the margin keeps a loaded test machine from failing on speed; what these tests
catch is a reset, a stall (a burst of status checks used to hang for good), or a 503. Connecting
may take 0.9 s: the kernel completes a handshake at once while the listen backlog has room, and
a connection it had no room for is retried after a second.
"""
import os
import signal
import subprocess
from collections import Counter
from pathlib import Path

import pytest
import requests

from tests.harness.burst import fire_mix, fire_together, gets, writer_mix
from tests.harness.servers import ROOT, free_port, wait_for
from tests.test_dev import dev_environ, processes_mentioning

TIMEOUT = (0.9, 10.0)  # connect, answer
BURST = 64


@pytest.fixture(scope='module')
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp('dev')


@pytest.fixture(scope='module')
def dev(folder):
    """The base URL of a `dev.py` (web, Redis, Celery worker and beat, mail sink) on SQLite."""
    port = free_port()
    base = f'http://127.0.0.1:{port}'
    process = subprocess.Popen(['python3', 'dev.py', '--port', str(port)], cwd=ROOT,
                               env=dev_environ(folder),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_for(lambda: requests.get(f'{base}/status', timeout=5).status_code == 200,
                 timeout=90, what='dev.py')
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=30)[0]
        assert process.returncode == 0, output


def statuses(outcomes) -> list:
    return sorted((outcome.status for outcome in outcomes), key=str)


def test_fifty_concurrent_writers_get_the_answers_they_get_one_at_a_time(dev):
    mix = writer_mix(dev, 'writer', TIMEOUT)
    found = fire_mix(mix)
    assert {kind: statuses(outcomes) for kind, outcomes in found.items()} == \
        {kind: sorted(expected, key=str) for kind, expected in mix.expected.items()}, \
        {kind: [(o.status, o.body) for o in outcomes if o.status not in (200, 201, 204, 404)]
         for kind, outcomes in found.items()}
    texts = {post['text'] for post in requests.get(
        f'{dev}/api/v1/users/writer0/collection?size=50', timeout=TIMEOUT).json()['result']}
    assert {f'edited {number}' for number in range(8)} <= texts
    assert len(texts) == 8 + 2  # the 8 edited, `post 8` deleted, 2 burst posts of writer0


def test_a_burst_of_status_checks_is_answered_whole_and_shares_one_ping(dev):
    for _ in range(3):  # a stuck burst used to leave every later check stuck too
        outcomes = fire_together(gets(dev, ['/status'] * BURST, TIMEOUT))
        assert Counter(outcome.status for outcome in outcomes) == {200: BURST}, \
            [outcome.body for outcome in outcomes if outcome.status != 200][:3]
    report = requests.get(f'{dev}/status', timeout=TIMEOUT).json()
    assert report['checks']['celery']['ok'] is True


def test_a_burst_of_page_requests_is_answered_whole(dev):
    paths = ['/', '/api/v1/microposts'] * (BURST // 2)
    outcomes = fire_together(gets(dev, paths, TIMEOUT))
    assert Counter(outcome.status for outcome in outcomes) == {200: BURST}, \
        [(outcome.status, outcome.body) for outcome in outcomes if outcome.status != 200][:3]


def web_servers(folder: Path) -> set[int]:
    """Pids of this dev.py's `app.py` processes: the reloader and the server it runs."""
    found = set()
    for pid in processes_mentioning(str(folder)):
        try:
            if b'app.py' in Path(f'/proc/{pid}/cmdline').read_bytes():
                found.add(pid)
        except OSError:
            continue
    return found


def test_a_changed_module_reloads_the_server_which_then_answers(dev, folder):
    before = web_servers(folder)
    source = ROOT / 'api' / 'status.py'
    os.utime(source)  # as an edit would, without changing it
    wait_for(lambda: web_servers(folder) - before, timeout=30, what='a reloaded web server')
    wait_for(lambda: requests.get(f'{dev}/status', timeout=5).status_code == 200, timeout=30,
             what='the reloaded server')
    assert len(web_servers(folder)) == 2
