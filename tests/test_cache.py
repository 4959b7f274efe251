"""The shared page cache: anonymous GETs are served from Redis until a write changes them."""
import pytest

import api
from controllers import boot
from lib import config
from models import redisdb
from models.microposts import Micropost
from tests.harness.apiclient import CheckedApp, post, sign_up

COLLECTION = '/api/v1/users/alice/collection'


def change_behind_the_api(text: str) -> None:
    """Change every post in the database directly: only an uncached read can see it."""
    Micropost.update(text=text).execute()


def test_a_cached_page_is_served_until_a_write_through_the_api(client, alice):
    created = post(client, 'alice', alice, 'original')
    assert client.get(COLLECTION).json['result'][0]['text'] == 'original'
    change_behind_the_api('changed in the database')
    assert client.get(COLLECTION).json['result'][0]['text'] == 'original'
    client.patch_json(created['href'], {'text': 'edited'}, headers=alice)
    assert client.get(COLLECTION).json['result'][0]['text'] == 'edited'


@pytest.mark.parametrize('path', [COLLECTION, '/api/v1/microposts', '/api/v1/search?text=ori'])
def test_writes_invalidate_the_users_pages_the_feed_and_search(client, alice, path):
    post(client, 'alice', alice, 'original')
    before = client.get(path).json['result']
    newer = post(client, 'alice', alice, 'original, the sequel')
    assert client.get(path).json['result'] == [newer, *before]
    client.delete(newer['href'], headers=alice, status=204)
    assert client.get(path).json['result'] == before


def test_each_query_is_cached_apart(client, alice):
    for number in range(3):
        post(client, 'alice', alice, f'post {number}')
    assert len(client.get(f'{COLLECTION}?size=1').json['result']) == 1
    assert len(client.get(f'{COLLECTION}?size=2').json['result']) == 2
    assert client.get(f'{COLLECTION}?page=2&size=1').json['result'][0]['text'] == 'post 1'


def test_requests_with_credentials_are_not_served_from_the_cache(client, alice):
    post(client, 'alice', alice, 'original')
    client.get(COLLECTION)
    change_behind_the_api('changed in the database')
    fresh = client.get(COLLECTION, headers=alice).json
    assert fresh['result'][0]['text'] == 'changed in the database'


def test_follows_invalidate_both_users_lists(client, alice):
    sign_up(client, 'bob')
    assert client.get('/api/v1/users/alice/following').json['result'] == []
    assert client.get('/api/v1/users/bob/followers').json['result'] == []
    client.post_json('/api/v1/users/alice/following', {'username': 'bob'}, headers=alice)
    assert len(client.get('/api/v1/users/alice/following').json['result']) == 1
    assert len(client.get('/api/v1/users/bob/followers').json['result']) == 1
    client.delete('/api/v1/users/alice/following/bob', headers=alice, status=204)
    assert client.get('/api/v1/users/bob/followers').json['result'] == []


def test_a_cache_hit_is_one_mget_and_no_script(client, alice):
    post(client, 'alice', alice, 'original')
    client.get(COLLECTION)
    cache = redisdb.get_redis('cache')
    cache.config_resetstat()
    assert client.get(COLLECTION).json['result'][0]['text'] == 'original'
    sent = {name.removeprefix('cmdstat_'): stats['calls']
            for name, stats in cache.info('commandstats').items()
            if not name.startswith(('cmdstat_config', 'cmdstat_info', 'cmdstat_ping'))}
    assert sent == {'mget': 1}


def test_errors_are_not_cached(client):
    client.get('/api/v1/users/carol', status=404)
    sign_up(client, 'carol')
    assert client.get('/api/v1/users/carol').json['username'] == 'carol'


def test_without_redis_reads_and_writes_still_succeed(settings, environ, tmp_path):
    nowhere = f'unix://{tmp_path}/no-redis.sock'
    down = config.load(dict(environ, WARBLE_REDIS_URL=nowhere, WARBLE_REDIS_CACHE_URL=nowhere))
    boot.configure(down)
    try:
        client = CheckedApp(api.create_wsgi(down))
        alice = sign_up(client, 'alice')
        created = post(client, 'alice', alice, 'no cache today')
        assert client.get(COLLECTION).json['result'] == [created]
        client.patch_json(created['href'], {'text': 'still no cache'}, headers=alice)
        assert client.get(created['href']).json['text'] == 'still no cache'
        assert client.get(f'{COLLECTION}?callback=show').text.startswith('/**/show(')
    finally:
        boot.configure(settings)
