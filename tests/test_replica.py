"""Reads from a streaming replica (`database.replica_urls`): anonymous and signed-in reads go to
it, a user who just wrote reads the primary on every web instance, and a replica that lags past
the bound or is stopped is skipped without an error. A real replica (`pg_basebackup -R`) whose
replay is paused shows which database answered: a read that misses a write came from it."""
from __future__ import annotations

import itertools

import gevent
import peewee
import pytest
import requests

from controllers import boot
from controllers.follows import FollowController
from controllers.users import user_named
from lib import config
from lib.utils.urlkit import Links
from models import db
from tests.harness.apiclient import sign_up_over_http
from tests.harness.servers import PostgresReplica, start_gunicorn, stop, wait_for

pytestmark = pytest.mark.slow


@pytest.fixture(scope='module')
def replica(postgres_server):
    server = PostgresReplica(postgres_server)
    yield server
    server.stop()


@pytest.fixture
def web(replica, postgres_environ, tmp_path):
    """Start gunicorn instances on the primary with the replica (each its own process, sharing
    Redis); returns their base URLs. The replica is left caught up and replaying."""
    processes = []

    def start(max_lag: float) -> str:
        environ = dict(postgres_environ,
                       WARBLE_DATABASE_REPLICA_URLS=replica.url('warble_test'),
                       WARBLE_DATABASE_REPLICA_MAX_LAG_SECONDS=str(max_lag),
                       WARBLE_DATABASE_REPLICA_CHECK_SECONDS='0.2',
                       WARBLE_DATABASE_PIN_SECONDS='300')
        process, url = start_gunicorn(environ, tmp_path / f'web-{len(processes)}.log', workers=1)
        processes.append(process)
        return url

    yield start
    replica.resume()
    for process in processes:
        stop(process)
    wait_for(replica.caught_up, what='replica replay')


def get(url: str, path: str, headers: dict | None = None) -> list[str]:
    """The texts of the posts on a page, which must answer 200."""
    answer = requests.get(f'{url}{path}', headers=headers, timeout=10)
    assert answer.status_code == 200, answer.text
    return [post['text'] for post in answer.json()['result']]


def write(url: str, path: str, headers: dict, body: dict) -> None:
    answer = requests.post(f'{url}{path}', json=body, headers=headers, timeout=10)
    assert answer.status_code in (200, 201), answer.text


def post(url: str, username: str, headers: dict, text: str) -> None:
    write(url, f'/api/v1/users/{username}/collection', headers, {'text': text})


def test_reads_come_from_the_replica_but_a_writer_reads_their_own_writes_anywhere(web, replica):
    one, two = web(max_lag=3600), web(max_lag=3600)
    ann, bob, carol, dave = (sign_up_over_http(one, name) for name in ('ann', 'bob', 'carol',
                                                                        'dave'))
    post(one, 'dave', dave, 'dave was here')
    # Carol follows bob, set up here rather than by a request of hers: she has written nothing.
    FollowController(Links(one)).follow({'id': user_named('carol').id, 'username': 'carol'},
                                        'bob')
    wait_for(replica.caught_up, what='replica replay')
    replica.pause()
    post(one, 'bob', bob, 'while paused')
    write(one, '/api/v1/users/ann/following', ann, {'username': 'dave'})

    # Anonymous, and carol, who has not written: the replica, without bob's post.
    assert 'while paused' not in get(two, '/api/v1/users/bob/collection')
    assert get(two, '/api/v1/users/carol/timeline', carol) == []
    # Ann followed dave through the other instance: pinned in Redis, she reads the primary.
    assert get(two, '/api/v1/users/ann/timeline', ann) == ['dave was here']
    # Bob's own page with his credentials: the primary too.
    assert 'while paused' in get(two, '/api/v1/users/bob/collection', bob)
    # A user the replica does not know yet: not found there, found on the primary.
    sign_up_over_http(one, 'erin')
    assert get(two, '/api/v1/users/erin/collection') == []

    replica.resume()
    wait_for(replica.caught_up, what='replica replay')
    # The stale anonymous page was not kept in the shared cache: once replayed, it shows.
    wait_for(lambda: 'while paused' in get(two, '/api/v1/users/bob/collection'),
             what='the post on the replica')
    assert get(two, '/api/v1/users/carol/timeline', carol) == ['while paused']


def test_a_replica_lagging_past_the_bound_is_skipped(web, replica):
    url = web(max_lag=0.5)
    bob = sign_up_over_http(url, 'bob')
    wait_for(replica.caught_up, what='replica replay')
    replica.pause()
    post(url, 'bob', bob, 'while lagging')
    # Once the replica is more than half a second behind, reads go to the primary.
    wait_for(lambda: 'while lagging' in get(url, '/api/v1/users/bob/collection'),
             what='a read from the primary')
    assert replica.sql("SELECT count(*) FROM micropost WHERE text = 'while lagging'",
                       'warble_test') == 0


def test_a_stopped_replica_falls_back_to_the_primary_and_is_used_again(web, replica):
    url = web(max_lag=3600)
    bob = sign_up_over_http(url, 'bob')
    sizes = itertools.count(2)  # a page size of its own per read: not a page the cache kept
    replica.halt()
    try:
        for number in range(3):
            post(url, 'bob', bob, f'while stopped {number}')
            assert f'while stopped {number}' in get(
                url, f'/api/v1/users/bob/collection?size={next(sizes)}')
    finally:
        replica.start()
    wait_for(replica.caught_up, what='replica replay')
    replica.pause()
    post(url, 'bob', bob, 'after the restart')
    wait_for(lambda: 'after the restart' not in get(
        url, f'/api/v1/users/bob/collection?size={next(sizes)}'), what='a read from the replica')


@pytest.fixture
def binding():
    """The database the models are bound to, bound again as it was after the test."""
    previous = db.database.primary
    yield
    db.database.initialize(previous)


def test_a_route_to_a_replica_holds_for_its_own_greenlet_only(binding):
    primary, replica = peewee.SqliteDatabase(':memory:'), peewee.SqliteDatabase(':memory:')
    db.database.initialize(primary)
    seen = {}

    def reading() -> None:
        with db.routed_to(replica):
            gevent.sleep(0.01)  # the other greenlet runs meanwhile
            seen['reading'] = db.database.obj

    def writing() -> None:
        gevent.sleep(0)
        seen['writing'] = db.database.obj

    gevent.joinall([gevent.spawn(reading), gevent.spawn(writing)])
    assert seen == {'reading': replica, 'writing': primary}
    assert db.database.obj is primary


@pytest.mark.parametrize('primary, replica_url', [
    ('sqlite:///:memory:', 'postgresql://127.0.0.1:1/warble'),
    ('postgresql://127.0.0.1:1/warble', 'sqlite:///:memory:')])
def test_replicas_are_refused_unless_both_are_postgresql(primary, replica_url, binding,
                                                        tmp_path):
    settings = config.load({'WARBLE_ROLE': 'test', 'WARBLE_DATABASE_URL': primary,
                            'WARBLE_DATABASE_REPLICA_URLS': replica_url,
                            'WARBLE_PATHS_VAR': str(tmp_path)})
    with pytest.raises(boot.StartupError, match='replica'):
        boot.configure(settings, check_database=False)
