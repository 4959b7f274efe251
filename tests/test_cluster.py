"""Warble on several hosts of this machine (network namespaces, tests/harness/cluster.py): two
web hosts behind an nginx balancer, a worker host, a PostgreSQL primary and its streaming replica,
Redis; the Warble hosts provisioned from Puppet's templates and deployed by `fab deploy` alone.
What two web hosts share stays right across them, and losing a whole web host in the middle of a
soak loses no acknowledged post, no e-mail and no live event. bench/cluster.py is the full run
(256 connections, a longer soak, its figures)."""
from __future__ import annotations

import os
import time

import pytest
import requests

from tests.harness.cluster import Cluster
from tests.harness.clusterload import (
    LagSampler,
    StreamFollower,
    first_post_id,
    newest_post_event,
    settled_emails,
    stored_posts,
)
from tests.harness.metrics import value
from tests.harness.netns import ip
from tests.harness.servers import wait_for
from tests.harness.soakmix import Soak
from tests.harness.stack import PASSWORD

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]
CONNECTIONS, SECONDS, KILL_AFTER = 64, 12, 5


@pytest.fixture(scope='module')
def cluster():
    with Cluster(web_workers=1) as cluster:
        yield cluster


@pytest.fixture
def both(cluster) -> Cluster:
    """Both web hosts up: web-1 deployed again if an earlier test lost it."""
    if not cluster.alive('web-1'):
        cluster.revive('web-1')
    return cluster


def call(method: str, url: str, headers: dict | None = None, **kwargs) -> requests.Response:
    return requests.request(method, url, headers=headers, timeout=30, **kwargs)


def test_every_host_runs_in_its_own_namespace_what_fab_deployed(both):
    addresses = {host.address for host in both.hosts.values()}
    assert len(addresses) == len(both.hosts) == 7
    for name in ('web-1', 'web-2', 'worker'):
        root = both.ssh[name].root
        assert os.readlink(root / 'current') == 'releases/cluster'
        env = root / 'shared' / 'warble.env'
        assert env.stat().st_mode & 0o777 == 0o600
        assert env.read_text().startswith('# Managed by Puppet (class warble)')
        assert both.hosts[name].pids(), name
    for name in both.web_hosts:
        status = call('GET', f'{both.web_url(name)}/status').json()
        assert (status['status'], status['version']) == ('ok', 'cluster')
    routes = ip('-n', both.hosts['web-1'].namespace, 'route')
    assert 'default' not in routes and str(both.network.subnet) in routes  # no way out
    assert call('GET', f'{both.url}/status').status_code == 200


def test_a_write_on_web_1_is_never_served_stale_from_web_2(both):
    (name, token), = both.sign_up(1, 'stale')
    web1, web2 = both.web_url('web-1'), both.web_url('web-2')
    page = f'{web2}/api/v1/users/{name}/collection'
    hits = lambda: value(call('GET', f'{web2}/metrics').text,  # noqa: E731
                         'warble_cache_lookups_total', result='hit')
    before = hits()
    for _ in range(3):  # a miss that makes the scope's generation, one that stores, a hit
        assert call('GET', page).json()['result'] == []
    assert hits() > before  # web-2 answers this page from the shared cache now
    written = call('POST', f'{web1}/api/v1/users/{name}/collection', token,
                   json={'text': 'written on web-1'})
    assert written.status_code == 201, written.text
    post_id = written.json()['id']
    assert [post['id'] for post in call('GET', page).json()['result']] == [post_id]
    edited = call('PATCH', f'{web1}/api/v1/users/{name}/collection/{post_id}', token,
                  json={'text': 'edited on web-1'})
    assert edited.status_code == 200, edited.text
    assert call('GET', page).json()['result'][0]['text'] == 'edited on web-1'


def test_a_login_limit_holds_across_web_hosts(both):
    (name, _), = both.sign_up(1, 'guessed')
    client = {'X-Forwarded-For': '198.51.100.7'}  # one address, as the balancer forwards it
    hosts = [both.web_url('web-1'), both.web_url('web-2')]
    for attempt in range(5):  # limits.login_per_address, spent on both hosts
        answer = call('POST', f'{hosts[attempt % 2]}/api/v1/token', client,
                      json={'grant_type': 'password', 'username': name, 'password': 'wrong'})
        assert answer.status_code == 400, answer.text
    for host in hosts:
        refused = call('POST', f'{host}/api/v1/token', client,
                       json={'grant_type': 'password', 'username': name, 'password': PASSWORD})
        assert refused.status_code == 429, refused.text
    elsewhere = call('POST', f'{hosts[1]}/api/v1/token', {'X-Forwarded-For': '198.51.100.8'},
                     json={'grant_type': 'password', 'username': name, 'password': PASSWORD})
    assert elsewhere.status_code == 200


def test_a_token_revoked_on_web_1_is_refused_by_web_2(both):
    (name, token), = both.sign_up(1, 'revoked')
    web1, web2 = both.web_url('web-1'), both.web_url('web-2')
    for host in (web1, web2):  # each web host has resolved, and remembers, the token
        assert call('GET', f'{host}/api/v1/users/{name}/timeline', token).status_code == 200
    assert call('DELETE', f'{web1}/api/v1/token', token).status_code == 204
    for host in (web2, web1, both.url):
        assert call('GET', f'{host}/api/v1/users/{name}/timeline', token).status_code == 401


def test_losing_web_1_mid_soak_loses_no_post_no_e_mail_and_no_live_event(both):
    cluster, users = both, both.sign_up(32, 'soak')
    since = first_post_id(cluster)
    follower = StreamFollower(cluster.web_url('web-1'), cluster.url)
    follower.start()
    assert follower.connected.wait(30)
    lag = LagSampler(cluster)
    lag.start()
    with Soak(cluster.url, users, SECONDS, CONNECTIONS, mentions=True) as soak:
        time.sleep(KILL_AFTER)
        killed = cluster.kill('web-1')
        result = soak.result()
    lag.stop()
    assert killed >= 4 and not cluster.alive('web-1')  # sshd, gunicorn's two, rpc.py
    assert result.statuses.get('201', 0) > 0 and result.statuses.get('200', 0) > 0
    assert set(result.statuses) <= {'200', '201', '502', '503'}, result.statuses  # 503: shed
    connect, read, write, _ = result.socket_errors
    assert connect == write == 0
    # Only what web-1 held when it died fails: posts sent to it (never sent twice), answers it
    # had begun.
    assert result.statuses.get('502', 0) + read <= CONNECTIONS, cluster.balancer.errors()
    assert stored_posts(cluster, result.acknowledged) == set(result.acknowledged)
    for _ in range(4):  # the balancer routes everything to web-2 now
        assert call('GET', f'{cluster.url}/status').status_code == 200
    emails = settled_emails(cluster, since)
    assert emails['owed'] > 0 and emails['missing'] == [] and emails['doubled'] == []
    assert emails['sent'] == emails['owed']
    follower.wait_for_entry(newest_post_event(cluster))
    follower.stop()
    assert follower.opened[0] == cluster.web_url('web-1') and len(follower.opened) >= 2
    assert set(follower.opened[1:]) == {cluster.url}
    held, seen = follower.gaps(cluster)
    assert follower.resets == 0 and len(seen) > 0 and seen == held
    assert lag.summary()['streaming'] > 0


def test_reads_fall_back_to_the_primary_while_the_replica_is_stopped(cluster):
    (name, token), = cluster.sign_up(1, 'reader')
    env = (cluster.ssh['web-2'].root / 'shared' / 'warble.env').read_text()
    assert f"WARBLE_DATABASE_REPLICA_URLS='{cluster.replica.url()}'" in env
    reads = iter(range(1, 1000))  # each read a page of its own: none from the page cache

    def read_all(text: str) -> None:
        for _ in range(10):
            size = next(reads) % 50 + 1
            feed = call('GET', f'{cluster.url}/api/v1/microposts?size={size}')
            assert feed.status_code == 200, feed.text
            found = call('GET', f'{cluster.url}/api/v1/search?text={text}&size={size}')
            assert found.status_code == 200, found.text
        mine = call('GET', f'{cluster.url}/api/v1/users/{name}/collection', token)
        assert mine.status_code == 200, mine.text
        assert text in [each['text'] for each in mine.json()['result']]  # read-your-writes

    def post(text: str) -> None:
        assert call('POST', f'{cluster.url}/api/v1/users/{name}/collection', token,
                    json={'text': text}).status_code == 201

    def reading_replica() -> bool:
        """Whether a web host holds a connection to the replica, after one more read."""
        call('GET', f'{cluster.url}/api/v1/microposts?size={next(reads) % 50 + 1}')
        with cluster.replica.admin('warble') as replica:
            clients = {row[0] for row in replica.execute(
                "SELECT host(client_addr) FROM pg_stat_activity WHERE datname = 'warble'")}
        return bool(clients & {cluster.hosts[web].address for web in cluster.web_hosts})

    post('before')
    read_all('before')
    assert reading_replica()
    cluster.replica.halt()
    post('stopped')
    read_all('stopped')  # the replica is down: every read is answered, by the primary
    assert cluster.replication() == (None, None) and not cluster.replica.running()
    cluster.replica.start()
    wait_for(lambda: cluster.replication()[1] is not None, what='the replica streaming again')
    post('again')
    read_all('again')
    wait_for(reading_replica, what='a web host reading the replica again')


def test_a_lost_web_host_comes_back_by_fab_deploy_and_takes_requests_again(cluster):
    if cluster.alive('web-1'):
        cluster.kill('web-1')
    cluster.revive('web-1')  # its sshd, then `fab deploy` as before
    log = (cluster.work / 'web-1' / 'deploy.log').read_text().split('deploying cluster')[-1]
    assert 'already there' in log and 'reusing envs/' in log  # its disk outlived its processes
    web1 = cluster.web_url('web-1')
    assert call('GET', f'{web1}/status').json()['status'] == 'ok'
    answered = lambda: value(call('GET', f'{web1}/metrics').text,  # noqa: E731
                             'warble_http_requests_total', method='GET', route='/openapi.json',
                             status='200')
    before = answered()
    wait_for(lambda: call('GET', f'{cluster.url}/openapi.json').ok and answered() > before,
             timeout=60, what='the balancer sending requests to web-1 again')
