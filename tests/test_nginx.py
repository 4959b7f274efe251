"""The nginx site that Puppet writes, run for real in front of `web.py`: it denies /metrics,
which Prometheus scrapes on gunicorn's loopback port instead, passes live streams on as they
come, and everything else as usual."""
import os
import re
import shutil
import subprocess

import pytest
import requests

from tests.harness.apiclient import sign_up_over_http
from tests.harness.servers import ROOT, free_port, missing, start_web, stop, wait_for
from tests.harness.sse import EventStream

TEMPLATE = ROOT / 'puppet/modules/warble/templates/nginx.conf.epp'
STREAM_LOCATION = '^/api/v1/(microposts|users/[^/]+/timeline)/stream$'


def site(upstream: int, listen: int, root: str) -> str:
    """The template rendered by Puppet, listening on a loopback port instead of port 80."""
    if shutil.which('puppet') is None:
        missing('puppet (Debian package puppet)')
    rendered = subprocess.run(
        ['puppet', 'epp', 'render', str(TEMPLATE), '--values',
         f"{{root => '{root}', port => {upstream}, server_name => '_', "
         "max_body_megabytes => 80}"], capture_output=True, text=True, check=True).stdout
    lines = [line for line in rendered.splitlines() if 'listen [::]:80' not in line]
    return '\n'.join(lines).replace('listen 80 default_server;', f'listen 127.0.0.1:{listen};')


@pytest.fixture
def proxied(postgres_environ, tmp_path):
    """`web.py` set up as the web role is (one trusted proxy, metrics not public) behind nginx;
    yields the URLs of nginx and of gunicorn."""
    nginx = shutil.which('nginx') or '/usr/sbin/nginx'
    if not os.path.exists(nginx):
        missing('nginx (Debian package nginx)')
    web, web_url = start_web(dict(postgres_environ, WARBLE_SERVER_PROXY_HOPS='1',
                                  WARBLE_METRICS_PUBLIC='false',
                                  WARBLE_STREAMS_HEARTBEAT_SECONDS='0.5'), tmp_path / 'web.log')
    prefix = tmp_path / 'nginx'
    prefix.mkdir(mode=0o777)
    os.chmod(prefix, 0o777)  # the workers run as nobody when nginx starts as root
    port = free_port()
    (prefix / 'warble.conf').write_text(site(int(web_url.rsplit(':', 1)[1]), port, str(ROOT)))
    (prefix / 'nginx.conf').write_text(
        f'pid {prefix}/nginx.pid;\nerror_log {prefix}/error.log;\nevents {{}}\n'
        f'http {{\n  access_log off;\n  client_body_temp_path {prefix}/body;\n'
        f'  proxy_temp_path {prefix}/proxy;\n  include {prefix}/warble.conf;\n}}\n')
    process = subprocess.Popen([nginx, '-p', str(prefix), '-c', str(prefix / 'nginx.conf'),
                                '-g', 'daemon off;'], start_new_session=True,
                               stderr=subprocess.DEVNULL)
    url = f'http://127.0.0.1:{port}'
    try:
        wait_for(lambda: requests.get(f'{url}/openapi.json', timeout=1).ok, what='nginx')
        yield url, web_url
    finally:
        stop(process)
        stop(web)


def test_metrics_are_denied_through_nginx_and_served_on_the_gunicorn_port(proxied):
    public, loopback = proxied
    assert requests.get(f'{public}/api/v1/microposts', timeout=10).status_code == 200
    for path in ('/metrics', '/metrics?format=text', '//metrics', '/%6detrics'):
        assert requests.get(f'{public}{path}', timeout=10).status_code == 403, path
    scraped = requests.get(f'{loopback}/metrics', timeout=10)
    assert scraped.status_code == 200
    assert 'route="/api/v1/microposts",status="200"' in scraped.text
    forwarded = requests.get(f'{loopback}/metrics', timeout=10,  # as if the rule were missing
                             headers={'X-Forwarded-For': '203.0.113.5'})
    assert forwarded.status_code == 404 and 'warble_' not in forwarded.text


def test_the_stream_locations_pass_events_on_unbuffered_and_uncompressed():
    rendered = site(8000, 8080, '/srv/warble')
    location = rendered.split(f'location ~ "{STREAM_LOCATION}"')[1]
    location = location.split('}')[0]
    for directive in ('proxy_buffering off;', 'gzip off;', 'proxy_http_version 1.1;',
                      'proxy_read_timeout 1h;'):
        assert directive in location, directive


def test_live_streams_pass_through_nginx_as_they_happen(proxied):
    public, _ = proxied
    token = sign_up_over_http(public, 'alice')
    created = requests.post(f'{public}/api/v1/users/alice/collection', json={'text': 'hi'},
                            headers=token, timeout=10).json()
    with EventStream(f'{public}/api/v1/microposts/stream',
                     {'Accept-Encoding': 'gzip'}) as stream:
        assert stream.status == 200
        assert 'Content-Encoding' not in stream.response.headers
        assert stream.first()['id']  # the first frame, before any event: nothing held it back
        edited = requests.patch(f'{public}/api/v1/users/alice/collection/{created["id"]}',
                                json={'text': 'edited'}, headers=token, timeout=10)
        assert edited.status_code == 200
        event = stream.next_event()
        assert (event['event'], event['data']['id']) == ('edit', created['id'])
        assert next(frame for frame in stream.frames() if 'comment' in frame)


def test_the_stream_location_takes_the_stream_paths_only():
    pattern = re.compile(STREAM_LOCATION)
    for path in ('/api/v1/microposts/stream', '/api/v1/users/bob/timeline/stream'):
        assert pattern.match(path), path
    for path in ('/api/v1/microposts', '/api/v1/users/bob/timeline',
                 '/api/v1/users/bob/collection/stream', '/api/v1/users/a/b/timeline/stream'):
        assert not pattern.match(path), path
