"""The shared page cache: anonymous GETs are served from Redis until a write changes them."""
import json
from collections.abc import Callable

import pytest
import webob

import api
from controllers import boot
from lib import config
from models import microposts as post_store
from models import redisdb
from models.microposts import Micropost
from models.users import User
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


@pytest.mark.parametrize('credentials', ['token', 'cookie'])
def test_requests_with_credentials_are_not_served_from_the_cache(client, alice, credentials):
    post(client, 'alice', alice, 'original')
    client.get(COLLECTION)
    change_behind_the_api('changed in the database')
    headers = alice if credentials == 'token' else {'Cookie': 'warble_session=not-a-session'}
    fresh = client.get(COLLECTION, headers=headers).json
    assert fresh['result'][0]['text'] == 'changed in the database'


def test_a_plain_hit_is_answered_in_front_of_bottle_as_bottle_answers_it(settings, client,
                                                                          alice):
    post(client, 'alice', alice, 'original')
    client.get(f'{COLLECTION}?size=2')
    change_behind_the_api('changed in the database')
    wsgi = api.create_wsgi(settings)
    answers = {}
    for query in ('size=2', 'size=%32'):  # one key; the escaped query goes through Bottle
        request = webob.Request.blank(f'{COLLECTION}?{query}')
        status, headers, body = request.call_application(wsgi)
        answers[query] = (status, sorted((name, value) for name, value in headers
                                         if name != 'X-Request-ID'), b''.join(body))
        assert ('bottle.app' in request.environ) == (query == 'size=%32')
    assert answers['size=2'] == answers['size=%32']
    assert json.loads(answers['size=2'][2])['result'][0]['text'] == 'original'


def test_follows_invalidate_both_users_lists(client, alice):
    sign_up(client, 'bob')
    assert client.get('/api/v1/users/alice/following').json['result'] == []
    assert client.get('/api/v1/users/bob/followers').json['result'] == []
    client.post_json('/api/v1/users/alice/following', {'username': 'bob'}, headers=alice)
    assert len(client.get('/api/v1/users/alice/following').json['result']) == 1
    assert len(client.get('/api/v1/users/bob/followers').json['result']) == 1
    client.delete('/api/v1/users/alice/following/bob', headers=alice, status=204)
    assert client.get('/api/v1/users/bob/followers').json['result'] == []


def commands_sent(request: Callable[[], object]) -> dict[str, int]:
    """The commands the page cache's Redis received while `request` ran, and how many."""
    cache = redisdb.get_redis('cache')
    cache.config_resetstat()
    request()
    return {name.removeprefix('cmdstat_'): stats['calls']
            for name, stats in cache.info('commandstats').items()
            if not name.startswith(('cmdstat_config', 'cmdstat_info', 'cmdstat_ping'))}


def counts_of(client, username: str) -> tuple[int, int, int]:
    """A profile's (posts, followers, following), as anonymous readers (the cache) see it."""
    profile = client.get(f'/api/v1/users/{username}').json
    return profile['posts_count'], profile['followers_count'], profile['following_count']


def test_posts_follows_and_deletes_renew_every_profile_whose_counts_they_change(client, alice,
                                                                               bob):
    for _ in range(2):  # the first read of a scope gives it a generation, the second is kept
        assert counts_of(client, 'alice') == counts_of(client, 'bob') == (0, 0, 0)
    post_store.create_post(User.by_username('alice').id, 'written behind the API', None)
    assert counts_of(client, 'alice') == (0, 0, 0), 'the profile is served from the cache'
    written = post(client, 'alice', alice, 'through the API')
    assert counts_of(client, 'alice') == (2, 0, 0)
    client.post_json('/api/v1/users/bob/following', {'username': 'alice'}, headers=bob)
    assert (counts_of(client, 'alice'), counts_of(client, 'bob')) == ((2, 1, 0), (0, 0, 1))
    client.delete('/api/v1/users/bob/following/alice', headers=bob, status=204)
    assert (counts_of(client, 'alice'), counts_of(client, 'bob')) == ((2, 0, 0), (0, 0, 0))
    client.delete(written['href'], headers=alice, status=204)
    assert counts_of(client, 'alice') == (1, 0, 0)


def test_a_cache_hit_is_one_mget_and_no_script(client, alice):
    post(client, 'alice', alice, 'original')
    client.get(COLLECTION)
    assert commands_sent(lambda: client.get(COLLECTION)) == {'mget': 1}
    assert client.get(COLLECTION).json['result'][0]['text'] == 'original'


def test_a_miss_is_looked_up_once_and_stored(client, alice):
    post(client, 'alice', alice, 'original')
    client.get(COLLECTION)
    post(client, 'alice', alice, 'newer')
    assert commands_sent(lambda: client.get(COLLECTION)) == {'mget': 1, 'set': 1}
    assert client.get(COLLECTION).json['result'][0]['text'] == 'newer'


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
