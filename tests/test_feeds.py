"""Home feeds in Redis, driven in this process: fan-out, cursors both ways, deletes, follows and
unfollows, accounts merged on read, a flushed or unreachable Redis. (tests/test_feed_workers.py
runs the fan-out through real Celery workers, one of them killed.)"""
import datetime as dt

import pytest

from controllers.feeds import FeedController
from lib import config
from models import feedrows, redisdb
from models.timelines import feed_key
from models.users import User
from tests.harness.apiclient import post, sign_up

FOLLOWING = '/api/v1/users/{}/following'
LATER = dt.datetime(2999, 1, 1)


def follow(client, who: str, token: dict, whom: str) -> None:
    client.post_json(FOLLOWING.format(who), {'username': whom}, headers=token, status=201)


def work_owed() -> None:
    """What the workers would do now: every fan-out and back-fill owed."""
    feeds = FeedController()
    for post_id in feedrows.posts_owed(LATER, 10_000):
        feeds.fan_out(post_id)
    for follow_id in feedrows.follows_owed(LATER, 10_000):
        feeds.feed_follow(follow_id)


def page(client, token: dict, **query: str) -> dict:
    return client.get('/api/v1/users/bob/timeline', {'order': 'newest', **query},
                      headers=token).json


def texts(answer: dict) -> list[str]:
    return [each['text'] for each in answer['result']]


def in_redis(username: str) -> list[int]:
    """The post ids the user's feed holds in Redis, newest first (without its mark)."""
    user_id = User.get(User.username == username).id
    members = redisdb.get_redis('timelines').zrange(feed_key(user_id), 0, -1, desc=True)
    return [int(each) for each in members if each]


@pytest.fixture
def bob_follows_alice(client, alice, bob):
    follow(client, 'bob', bob, 'alice')
    work_owed()
    return bob


def test_a_post_reaches_the_feeds_of_its_author_and_followers_newest_first(
        client, alice, bob_follows_alice):
    bob = bob_follows_alice
    assert page(client, bob)['result'] == []  # builds bob's feed
    written = [post(client, 'alice', alice, f'a{n}') for n in range(3)]
    mine = post(client, 'bob', bob, 'b0')
    work_owed()
    assert in_redis('bob') == [int(mine['id'])] + [int(each['id']) for each in written[::-1]]
    answer = page(client, bob)
    assert answer['result'] == [mine, *written[::-1]]
    assert answer['next'] is None and answer['previous'] is None
    by_number = client.get('/api/v1/users/bob/timeline', headers=bob).json
    assert by_number['result'] == written  # the book's timeline: followed users, oldest first


def test_cursors_page_both_ways_without_repeats_or_gaps(client, alice, bob_follows_alice):
    bob = bob_follows_alice
    written = [post(client, 'alice', alice, f'a{n}') for n in range(7)]
    work_owed()
    seen, link = [], '/api/v1/users/bob/timeline?order=newest&size=3'
    while link:
        answer = client.get(link, headers=bob).json
        seen += texts(answer)
        link = answer['next']
    assert seen == [f'a{n}' for n in range(6, -1, -1)]
    back = client.get(f'/api/v1/users/bob/timeline?order=newest&size=3&before={written[0]["id"]}',
                      headers=bob).json
    assert back['result'] == [] and back['next'] is None
    newer = page(client, bob, after=written[2]['id'], size='2')
    assert texts(newer) == ['a4', 'a3']  # the two just newer, newest first
    assert texts(client.get(newer['previous'], headers=bob).json) == ['a6', 'a5']
    assert texts(client.get(newer['next'], headers=bob).json) == ['a2', 'a1']
    oldest = client.get('/api/v1/users/bob/timeline',
                        {'order': 'oldest', 'after': written[4]['id']}, headers=bob).json
    assert texts(oldest) == ['a5', 'a6'] and oldest['next'] is None


def test_bad_cursors_are_400_with_the_field_named(client, bob):
    for query, field in (({'before': '1', 'after': '2'}, 'after'),
                         ({'before': 'x'}, 'before'), ({'after': '1' * 20}, 'after'),
                         ({'order': 'newest', 'page': '2'}, 'page'), ({'order': 'up'}, 'order')):
        answer = client.get('/api/v1/users/bob/timeline', query, headers=bob, status=400).json
        assert field in answer['error']['fields'], (query, answer)


def test_a_deleted_post_leaves_every_page_at_once_and_redis_on_the_next_read(
        client, alice, bob_follows_alice):
    bob = bob_follows_alice
    page(client, bob)
    kept, gone = post(client, 'alice', alice, 'kept'), post(client, 'alice', alice, 'gone')
    work_owed()
    client.delete(gone['href'], headers=alice, status=204)
    assert texts(page(client, bob)) == ['kept']
    assert in_redis('bob') == [int(kept['id'])]


def test_a_follow_back_fills_and_an_unfollow_takes_back(client, alice, bob_follows_alice):
    bob = bob_follows_alice
    carol = sign_up(client, 'carol')
    old = [post(client, 'carol', carol, f'c{n}') for n in range(3)]
    work_owed()
    page(client, bob)
    follow(client, 'bob', bob, 'carol')
    work_owed()
    assert in_redis('bob') == [int(each['id']) for each in old[::-1]]
    assert texts(page(client, bob)) == ['c2', 'c1', 'c0']
    client.delete(f'{FOLLOWING.format("bob")}/carol', headers=bob, status=204)
    assert page(client, bob)['result'] == []  # before any clean-up ran
    FeedController().forget(User.get(User.username == 'bob').id,
                            User.get(User.username == 'carol').id)
    assert in_redis('bob') == []
    sign_up(client, 'dave')  # who never wrote: nothing to take back, and no failure
    follow(client, 'bob', bob, 'dave')
    client.delete(f'{FOLLOWING.format("bob")}/dave', headers=bob, status=204)
    FeedController().forget(User.get(User.username == 'bob').id,
                            User.get(User.username == 'dave').id)


@pytest.fixture
def environ(environ):
    """Two followers make an account large here."""
    return {**environ, 'WARBLE_TIMELINES_LARGE_ACCOUNT': '1'}


def test_an_account_with_many_followers_is_merged_on_read_not_fanned_out(
        client, alice, bob_follows_alice):
    bob = bob_follows_alice
    carol = sign_up(client, 'carol')
    follow(client, 'carol', carol, 'alice')  # alice now has 2 followers: large
    before = post(client, 'bob', bob, 'from bob')
    work_owed()
    page(client, bob)
    for name, token in (('carol', carol), ('alice', alice)):  # their feeds built
        client.get(f'/api/v1/users/{name}/timeline?order=newest', headers=token)
    loud = post(client, 'alice', alice, 'to many')
    work_owed()
    assert int(loud['id']) not in in_redis('bob')
    assert int(loud['id']) in in_redis('alice')  # her own feed has it
    assert page(client, bob)['result'] == [loud, before]


def test_a_flushed_redis_is_rebuilt_from_the_database_page_for_page(
        client, alice, bob_follows_alice):
    bob = bob_follows_alice
    for n in range(9):
        post(client, 'alice' if n % 3 else 'bob', alice if n % 3 else bob, f'p{n}')
    work_owed()

    def every_page() -> list[dict]:
        pages, link = [], '/api/v1/users/bob/timeline?order=newest&size=4'
        while link:
            pages.append(client.get(link, headers=bob).json)
            link = pages[-1]['next']
        return pages
    built = every_page()
    redisdb.get_redis('timelines').flushall()
    assert every_page() == built
    assert len(in_redis('bob')) == 9


def test_pages_come_from_the_database_while_redis_is_down(environ, client, alice,
                                                           bob_follows_alice):
    bob = bob_follows_alice
    written = [post(client, 'alice', alice, f'a{n}') for n in range(3)]
    work_owed()
    expected = page(client, bob, size='2')
    down = config.load({**environ, 'WARBLE_REDIS_TIMELINES_URL': 'redis://127.0.0.1:1/0'})
    redisdb.configure(down.redis)
    assert page(client, bob, size='2') == expected
    assert texts(page(client, bob, before=written[1]['id'])) == ['a0']


@pytest.mark.parametrize('path', ['/api/v1/microposts', '/api/v1/users/alice/collection'])
def test_the_public_feed_and_a_collection_page_by_post_id_too(client, alice, bob, path):
    written = [post(client, 'alice', alice, f'a{n}') for n in range(5)]
    by_bob = post(client, 'bob', bob, 'in the feed, not in the collection')
    if path == '/api/v1/microposts':
        written.append(by_bob)
    first = client.get(path, {'order': 'newest', 'size': '2'}).json
    assert first['result'] == written[::-1][:2] and first['previous'] is None
    second = client.get(first['next']).json
    assert second['result'] == written[::-1][2:4]
    assert client.get(second['previous']).json['result'] == first['result']
    oldest = client.get(path, {'order': 'oldest', 'size': '2'}).json
    assert oldest['result'] == written[:2]
    assert client.get(oldest['next']).json['result'] == written[2:4]
    assert client.get(path, {'after': written[-1]['id']}).json['result'] == []
