"""`GET /metrics`: requests by route rule and status, the page cache, added up over every worker
process; served on the gunicorn port only, not through the proxy, when not public."""
import pytest
import requests

import api
from lib import config
from tests.harness.apiclient import post
from tests.harness.metrics import value
from tests.harness.servers import start_web, stop

PROFILE = '/api/v1/users/<username>'


def test_requests_are_counted_by_route_rule_method_and_status(app):
    for name in ('alice', 'bob', 'carol'):
        app.get(f'/api/v1/users/{name}', status=404)
    app.get('/openapi.json')
    page = app.get('/metrics')
    assert page.content_type == 'text/plain' and 'version=0.0.4' in page.headers['Content-Type']
    labels = {'method': 'GET', 'route': PROFILE, 'status': '404'}
    assert value(page.text, 'warble_http_requests_total', **labels) == 3
    assert value(page.text, 'warble_http_request_duration_seconds_count', **labels) == 3
    assert value(page.text, 'warble_http_requests_total', method='GET', route='/openapi.json',
                 status='200') == 1
    assert 'alice' not in page.text  # the rule, never the path


@pytest.mark.filterwarnings('ignore:Unknown REQUEST_METHOD')
def test_paths_that_match_no_route_share_one_label(app):
    for path in ('/api/v1/nothing', '/api/v1/nothing/else', '/favicon.ico'):
        app.get(path, status=404)
    app.request('/status', method='BREW', status=405)
    text = app.get('/metrics').text
    assert value(text, 'warble_http_requests_total', method='GET', route='unmatched',
                 status='404') == 3
    assert value(text, 'warble_http_requests_total', method='other', route='unmatched',
                 status='405') == 1
    assert 'nothing' not in text and 'BREW' not in text


def test_cache_hits_and_misses_are_counted(client, alice):
    post(client, 'alice', alice, 'hello')
    for _ in range(3):
        client.get('/api/v1/users/alice/collection')
    client.get('/api/v1/users/alice/collection', headers=alice)  # with credentials: no lookup
    text = client.get('/metrics').text
    assert value(text, 'warble_cache_lookups_total', result='miss') == 1
    assert value(text, 'warble_cache_lookups_total', result='hit') == 2
    assert value(text, 'warble_http_requests_total', method='GET',
                 route='/api/v1/users/<username>/collection', status='200') == 4


def test_through_the_proxy_metrics_are_not_found_unless_public(settings, environ):
    import webtest
    private = config.load(dict(environ, WARBLE_SERVER_PROXY_HOPS='1',
                               WARBLE_METRICS_PUBLIC='false'))
    app = webtest.TestApp(api.create_wsgi(private))
    answer = app.get('/metrics', headers={'X-Forwarded-For': '203.0.113.9'}, status=404)
    assert 'warble_' not in answer.text
    assert 'warble_http_requests_total' in app.get('/metrics').text  # straight to gunicorn
    public = config.load(dict(environ, WARBLE_SERVER_PROXY_HOPS='1'))
    webtest.TestApp(api.create_wsgi(public)).get(
        '/metrics', headers={'X-Forwarded-For': '203.0.113.9'}, status=200)


def test_metrics_switched_off_are_not_found_and_not_recorded(settings, environ, tmp_path):
    import webtest

    from controllers import boot
    off = config.load(dict(environ, WARBLE_METRICS_ENABLED='false'))
    boot.configure(off)
    app = webtest.TestApp(api.create_wsgi(off))
    app.get('/api/v1/microposts')
    app.get('/metrics', status=404)
    assert not list((tmp_path / 'var').glob('metrics/*.db'))


@pytest.fixture
def web(postgres_environ, tmp_path):
    """`web.py` with two workers on PostgreSQL; yields its base URL and its metrics directory,
    where a process of a previous run, now gone, had left a file."""
    metrics_dir = tmp_path / 'var' / 'metrics'
    metrics_dir.mkdir(parents=True, exist_ok=True)
    (metrics_dir / 'counter_999999999.db').write_bytes(b'')  # no such process
    process, url = start_web(postgres_environ, tmp_path / 'web.log')
    yield url, metrics_dir
    stop(process)


def worker_pids(metrics_dir) -> set[str]:
    return {path.stem.split('_')[-1] for path in metrics_dir.glob('counter_*.db')}


def test_every_worker_counts_into_one_page(web):
    url, metrics_dir = web
    assert not (metrics_dir / 'counter_999999999.db').exists()  # cleared at start
    sent = 0
    with requests.Session() as session:
        while len(worker_pids(metrics_dir)) < 2 or sent < 20:
            session.headers['Connection'] = 'close'  # a new connection: any worker may answer
            assert session.get(f'{url}/api/v1/microposts', timeout=10).ok
            sent += 1
            assert sent < 500, 'one worker answered everything'
    for _ in range(3):  # whichever worker answers the scrape adds up both
        text = requests.get(f'{url}/metrics', timeout=10).text
        assert value(text, 'warble_http_requests_total', method='GET',
                     route='/api/v1/microposts', status='200') == sent
