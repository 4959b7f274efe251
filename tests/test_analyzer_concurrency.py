"""Concurrent PATCHes under gunicorn + gevent on PostgreSQL never leave a one-way relation or
lose an update; an import that fails or crashes mid-way leaves nothing behind."""
import json
import random
import signal
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from controllers.imports import ImportController
from lib import bootstrap
from tests.harness.analyzer import assert_symmetric, relations, stored_rows
from tests.harness.citizens import make_import
from tests.harness.servers import PYTHON, start_gunicorn, stop

on_postgres = pytest.mark.parametrize('backend', ['postgres'], indirect=True)


@pytest.fixture
def server(settings, environ, tmp_path):
    """The base URL of gunicorn with gevent workers, on this run's database."""
    process, url = start_gunicorn(environ, tmp_path / 'gunicorn.log', workers=2)
    yield url
    stop(process)


def fire_together(url: str, patches: list[tuple[int, int, dict]]) -> list[requests.Response]:
    """Send every PATCH at once from its own thread."""
    start = threading.Barrier(len(patches))

    def send(patch: tuple[int, int, dict]) -> requests.Response:
        import_id, citizen_id, changes = patch
        start.wait()
        return requests.patch(f'{url}/imports/{import_id}/citizens/{citizen_id}', json=changes,
                              timeout=30)
    with ThreadPoolExecutor(len(patches)) as pool:
        return list(pool.map(send, patches))


def stored(url: str, import_id: int) -> list[dict]:
    return requests.get(f'{url}/imports/{import_id}/citizens', timeout=30).json()['data']


def create(url: str, citizens: list[dict]) -> int:
    answer = requests.post(f'{url}/imports', json={'citizens': citizens}, timeout=30)
    assert answer.status_code == 201, answer.text
    return answer.json()['data']['import_id']


@on_postgres
def test_racing_patches_of_related_citizens_leave_every_relation_two_way(server):
    rng = random.Random(21)
    import_id = create(server, make_import(12, 40, seed=21)['citizens'])
    for _ in range(4):
        patches = [(import_id, citizen_id, {'relatives': rng.sample(
            [other for other in range(1, 13) if other != citizen_id], rng.randint(0, 6))})
            for citizen_id in rng.choices(range(1, 13), k=24)]
        answers = fire_together(server, patches)
        assert [answer.status_code for answer in answers] == [200] * len(patches), \
            [answer.text for answer in answers if answer.status_code != 200]
        assert_symmetric(stored(server, import_id))


@on_postgres
def test_racing_patches_that_commute_lose_no_update(server):
    """Citizens 1-16 each change their relatives among 17-24 at once, keeping those among 1-16;
    any serial order gives the same result, so the outcome is known exactly."""
    rng = random.Random(22)
    citizens = make_import(24, 60, seed=22)['citizens']
    import_id = create(server, citizens)
    expected = relations(citizens)
    for _ in range(3):
        patches = []
        for citizen_id in range(1, 17):
            kept = {other for one, other in expected if one == citizen_id and other <= 16}
            leaves = set(rng.sample(range(17, 25), rng.randint(0, 5)))
            patches.append((import_id, citizen_id, {'relatives': sorted(kept | leaves)}))
            expected = {pair for pair in expected if citizen_id not in pair or
                        max(pair) <= 16} | {(citizen_id, leaf) for leaf in leaves} \
                | {(leaf, citizen_id) for leaf in leaves}
        answers = fire_together(server, patches)
        assert [answer.status_code for answer in answers] == [200] * len(patches)
        assert relations(stored(server, import_id)) == expected


@on_postgres
def test_many_citizens_joining_one_relative_at_once_all_count(server):
    import_id = create(server, make_import(41, 0, seed=23)['citizens'])
    answers = fire_together(server, [(import_id, citizen_id, {'relatives': [1]})
                                     for citizen_id in range(2, 42)])
    assert {answer.status_code for answer in answers} == {200}
    assert stored(server, import_id)[0]['relatives'] == list(range(2, 42))


def test_import_failing_mid_way_leaves_nothing_behind(settings):
    citizens = make_import(2500, 300, seed=24)['citizens']
    written = []

    def fail_after_first_chunk(count: int) -> None:
        written.append(count)
        raise RuntimeError('the disk is full')
    with pytest.raises(RuntimeError):
        ImportController().create(citizens, progress=fail_after_first_chunk)
    assert written == [1000]
    assert stored_rows() == (0, 0, 0)
    ImportController().create(citizens)
    assert stored_rows() == (1, 2500, 600)


def test_import_process_killed_mid_way_leaves_nothing_behind(settings, environ, tmp_path):
    source = tmp_path / 'citizens.json'
    source.write_text(json.dumps(make_import(100_000, 0, seed=25)))
    process = subprocess.Popen([PYTHON, 'manage.py', 'import-citizens', str(source)],
                               cwd=bootstrap.ROOT, env=bootstrap.child_environ(**environ),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               start_new_session=True)
    progress = b''
    while b'/100000' not in progress or progress.rsplit(b'\r', 1)[-1].startswith(b'  0%'):
        chunk = process.stderr.read1(4096)
        assert chunk, f'the import ended before any progress: {progress[-300:]!r}'
        progress += chunk
    process.send_signal(signal.SIGKILL)
    process.wait(10)
    assert process.stdout.read() == b'', 'killed before it could print an id'
    assert stored_rows() == (0, 0, 0)
