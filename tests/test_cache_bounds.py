"""The page cache names an answer by its route and validated parameters, never by raw text, and
lives in a Redis of its own that forgets at its memory bound: filling it cannot touch the
broker's queue or the rate limits."""
import pytest

import api
from controllers import boot
from controllers.cache import CacheController, user_scope
from lib import config, jobs
from models import redisdb
from models.microposts import Micropost
from tests.conftest import CACHE_MAXMEMORY
from tests.harness.apiclient import CheckedApp, post, sign_up

COLLECTION = '/api/v1/users/alice/collection'
FILL = 20_000
THROUGH_HTTP = 1_000
PAGE = 'x' * 2000  # about the size of a page of a few posts


def pages() -> list[bytes]:
    return list(redisdb.get_redis('cache').scan_iter('page:*', count=1000))


def change_behind_the_api(text: str) -> None:
    Micropost.update(text=text).execute()


@pytest.fixture
def with_base_url(settings, environ):
    """A client of the app with `app.base_url` set, as production runs."""
    configured = config.load(dict(environ, WARBLE_APP_BASE_URL='https://warble.example'))
    boot.configure(configured)
    yield CheckedApp(api.create_wsgi(configured))
    boot.configure(settings)


def test_host_and_raw_query_do_not_multiply_entries(with_base_url):
    client = with_base_url
    alice = sign_up(client, 'alice')
    post(client, 'alice', alice, 'hello')
    answers = [client.get(f'{COLLECTION}{query}', headers={'Host': host}).json
               for host in ('localhost', 'evil.example', 'x' * 200)
               for query in ('?size=2&page=1', '?page=1&size=2', '?size=02', '?page=01&size=2')]
    assert len(pages()) == 1
    assert all(answer == answers[0] for answer in answers)
    assert answers[0]['result'][0]['href'].startswith('https://warble.example/')


def test_without_a_base_url_no_host_poisons_the_links_of_another(client, alice):
    post(client, 'alice', alice, 'hello')
    poisoned = client.get(COLLECTION, headers={'Host': 'evil.example'}).json
    assert poisoned['result'][0]['href'].startswith('http://evil.example/')
    honest = client.get(COLLECTION).json
    assert honest['result'][0]['href'].startswith('http://localhost/')


def test_jsonp_callbacks_share_the_entry_of_the_json_answer(client, alice):
    post(client, 'alice', alice, 'hello')
    plain = client.get(COLLECTION).text
    for name in ('a', 'b', 'c.d', 'e_1'):
        script = client.get(f'{COLLECTION}?callback={name}').text
        assert script == f'/**/{name}({plain});'
    assert len(pages()) == 1
    change_behind_the_api('changed in the database')
    assert client.get(f'{COLLECTION}?callback=z').text == f'/**/z({plain});'  # from the cache


@pytest.mark.parametrize(('query', 'repeated'), [
    ('?size=2&size=1', 'size'), ('?size=1&size=2', 'size'), ('?page=1&page=1', 'page'),
    ('?callback=a&callback=b', 'callback'), ('?size=2&size=1&callback=a', 'size')])
def test_a_repeated_query_parameter_is_400_and_nothing_is_cached(client, alice, query,
                                                                 repeated):
    post(client, 'alice', alice, 'hello')
    answer = client.get(f'{COLLECTION}{query}', status=400)
    assert answer.json['error']['fields'] == {repeated: 'given more than once'}
    assert pages() == []


def test_next_links_come_from_the_validated_query(client, alice):
    for number in range(3):
        post(client, 'alice', alice, f'post {number}')
    script = client.get(f'{COLLECTION}?callback=x&size=01').text
    assert f'"next":"http://localhost{COLLECTION}?size=1&page=2"' in script
    assert client.get(f'{COLLECTION}?size=20').json['next'] is None  # 3 posts: one page


def test_20000_distinct_pages_stay_within_the_cache_bound_and_leave_broker_and_limits(
        client, alice, settings):
    cache, shared = redisdb.get_redis('cache'), redisdb.get_redis('broker')
    assert redisdb.get_redis('ratelimit').connection_pool.connection_kwargs == \
        shared.connection_pool.connection_kwargs  # the limits live beside the broker
    assert cache.config_get('maxmemory-policy')['maxmemory-policy'] == 'allkeys-lru'
    assert shared.config_get('maxmemory-policy')['maxmemory-policy'] == 'noeviction'
    bound = int(cache.config_get('maxmemory')['maxmemory'])
    assert bound == int(CACHE_MAXMEMORY.removesuffix('mb')) * 1024 * 1024
    for number in range(20):
        post(client, 'alice', alice, f'post {number}')
    for _ in range(3):  # failed logins: rate-limit keys
        client.post_json('/api/v1/token', {'grant_type': 'password', 'username': 'alice',
                                           'password': 'wrong'}, status=400)
    jobs.configure(settings)
    queued = shared.llen('celery')  # the posts' fan-outs, which no worker takes either
    for number in range(50):  # queued tasks no worker takes: the broker's queue
        jobs.send('tests.never_run', number)
    before = {key: shared.dump(key) for key in shared.scan_iter(count=1000)}
    assert any(key.startswith(b'ratelimit:login:') for key in before), before.keys()
    assert shared.llen('celery') == queued + 50

    for number in range(THROUGH_HTTP):  # distinct pages through HTTP: size × page
        size, page = number % 100 + 1, number // 100 + 1
        client.get(f'{COLLECTION}?size={size}&page={page}')
    pages_store = CacheController()
    version, _ = pages_store.lookup([user_scope('alice')], 'fill')
    for number in range(FILL - THROUGH_HTTP):
        pages_store.store(version, f'fill {number}', f'application/json\n{PAGE}{number}', 300)

    memory, stats = cache.info('memory'), cache.info('stats')
    # Redis evicts before each write, so the last write may leave it a page over the bound.
    assert memory['used_memory'] <= bound + 64 * 1024, memory['used_memory_human']
    assert stats['evicted_keys'] > 0
    assert len(pages()) < FILL
    after = {key: shared.dump(key) for key in shared.scan_iter(count=1000)}
    assert after.keys() == before.keys()
    assert [key for key in after if after[key] != before[key]] == []
    assert shared.llen('celery') == queued + 50
    assert client.get(COLLECTION).json['result'][0]['text'] == 'post 19'  # still serving
