"""Operators' view of requests and tasks: one JSON line per request, the request id carried into
the Celery tasks it causes, task metrics from the worker, and profiles of chosen requests."""
import json

import pytest
import requests

import api
from lib import config, jobs, logs
from tests.harness.apiclient import PASSWORD
from tests.harness.metrics import value
from tests.harness.servers import PYTHON, free_port, start_process, start_web, stop, wait_for

COLLECTION = '/api/v1/users/<username>/collection'


def json_lines(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.startswith('{')]


def test_each_request_is_one_json_line_with_its_id_route_status_duration_and_user(
        postgres_environ, tmp_path):
    log = tmp_path / 'web.log'
    process, url = start_web(dict(postgres_environ, WARBLE_LOGGING_FORMAT='json',
                                  WARBLE_LOGGING_LEVEL='INFO'), log, workers=1)
    try:
        requests.post(f'{url}/api/v1/users', timeout=10, json={
            'username': 'alice', 'email': 'alice@example.com', 'password': PASSWORD})
        token = requests.post(f'{url}/api/v1/token', timeout=10, json={
            'grant_type': 'password', 'username': 'alice', 'password': PASSWORD}).json()
        requests.post(f'{url}/api/v1/users/alice/collection', json={'text': 'hi'}, timeout=10,
                      headers={'Authorization': f'Bearer {token["access_token"]}',
                               'X-Request-ID': 'write-1'})
        requests.get(f'{url}/api/v1/users/alice/collection', timeout=10,
                     headers={'X-Request-ID': 'read-1'})
    finally:
        stop(process)
    lines = [line for line in json_lines(log) if line['logger'] == 'warble.access']
    ids = [line['request_id'] for line in lines]
    assert ids.count('write-1') == ids.count('read-1') == 1
    write, read = (lines[ids.index(rid)] for rid in ('write-1', 'read-1'))
    assert (write['method'], write['path'], write['route'], write['status'], write['user']) == (
        'POST', '/api/v1/users/alice/collection', COLLECTION, 201, 'alice')
    assert (read['method'], read['route'], read['status'], read['user']) == (
        'GET', COLLECTION, 200, None)
    assert write['duration_ms'] > 0 and read['duration_ms'] > 0


@pytest.fixture
def task_worker(postgres_environ, tmp_path):
    """A Celery worker that also runs the tasks of tests/harness/jobs.py, logging JSON; yields its
    log and the URL where it answers scrapes."""
    port = free_port()
    environ = dict(postgres_environ, WARBLE_LOGGING_FORMAT='json',
                   WARBLE_METRICS_WORKER_PORT=str(port))
    log = tmp_path / 'worker.log'
    process = start_process([PYTHON, 'tasks.py', 'worker', '-P', 'solo', '-I',
                             'tests.harness.jobs'], environ, log)
    jobs.configure(config.load(environ))
    wait_for(lambda: jobs.ping_workers(0.5) > 0, timeout=30, what='celery worker')
    yield log, f'http://127.0.0.1:{port}/metrics'
    stop(process)


def test_a_task_logs_under_the_id_of_the_request_that_sent_it(task_worker):
    log, _ = task_worker
    token = logs.request_id.set('request-7')
    try:
        jobs.send('tests.say', 'hello')
    finally:
        logs.request_id.reset(token)
    wait_for(lambda: any(line['message'] == 'said hello' for line in json_lines(log)),
             what='the task')
    said = next(line for line in json_lines(log) if line['message'] == 'said hello')
    assert said['request_id'] == 'request-7' and said['logger'] == 'tests.harness.jobs'


def test_tasks_are_counted_by_outcome_with_their_durations(task_worker):
    _, scrape = task_worker
    for text in ('one', 'two', 'fail'):
        jobs.send('tests.say', text)

    def counted() -> str:
        page = requests.get(scrape, timeout=5).text
        return page if value(page, 'warble_celery_task_duration_seconds_count',
                             task='tests.say') == 3 else ''
    wait_for(counted, what='three tasks counted')
    page = counted()
    assert value(page, 'warble_celery_tasks_total', task='tests.say', state='success') == 2
    assert value(page, 'warble_celery_tasks_total', task='tests.say', state='failure') == 1


def test_a_request_with_the_profiling_header_leaves_its_profile(settings, environ, tmp_path):
    import webtest

    from controllers.seed import SeedController
    seeder = SeedController()
    for step in (seeder.users(5), seeder.posts(300)):
        list(step)
    profiled = config.load(dict(environ, WARBLE_PROFILING_ENABLED='true'))
    app = webtest.TestApp(api.create_wsgi(profiled))
    plain = app.get('/api/v1/microposts?size=100')
    answer = app.get('/api/v1/microposts?size=100&page=2',
                     headers={'X-Warble-Profile': '1', 'X-Request-ID': 'slow-1'})
    assert len(answer.json['result']) == 100 and 'X-Warble-Profile' not in plain.headers
    name = answer.headers['X-Warble-Profile']
    assert name.endswith('-GET-api-v1-microposts-slow-1.html')
    profiles = list((tmp_path / 'var' / 'profiles').iterdir())
    assert [profile.name for profile in profiles] == [name]
    assert 'list_microposts' in profiles[0].read_text()  # the route's own frame


def test_without_profiling_enabled_the_header_does_nothing(app, tmp_path):
    answer = app.get('/api/v1/microposts', headers={'X-Warble-Profile': '1'})
    assert 'X-Warble-Profile' not in answer.headers
    assert not (tmp_path / 'var' / 'profiles').exists()
