"""Home feeds filled by real Celery workers: a post and a follow reach the feeds without help,
and a worker killed in the middle of a fan-out leaves no feed without the post, or with it
twice, once the sweep has handed it on."""
import os
import signal
import time

import pytest

from controllers.feeds import FeedController, feeds
from controllers.seed import SeedController
from models import follows, redisdb
from models.microposts import Micropost
from models.timelines import feed_key, member
from models.users import User
from tests.harness.apiclient import post, sign_up
from tests.harness.servers import RedisServer, start_worker, stop, wait_for

FOLLOWERS = 3000


def timeline(client, token: dict, username: str) -> list[str]:
    return [each['text'] for each in client.get(
        f'/api/v1/users/{username}/timeline?order=newest', headers=token).json['result']]


def test_posts_and_follows_reach_the_feeds_through_the_workers(client, alice, bob,
                                                               celery_worker):
    assert timeline(client, bob, 'bob') == []  # bob's feed, built
    carol = sign_up(client, 'carol')
    post(client, 'carol', carol, 'before the follow')
    client.post_json('/api/v1/users/bob/following', {'username': 'carol'}, headers=bob)
    post(client, 'carol', carol, 'after the follow')
    bob_id = User.get(User.username == 'bob').id
    feed = redisdb.get_redis('timelines')
    wait_for(lambda: feed.zcard(feed_key(bob_id)) == 3, what='the back-fill and the fan-out')
    assert timeline(client, bob, 'bob') == ['after the follow', 'before the follow']
    wait_for(lambda: not Micropost.select().where(~Micropost.fanned_out).exists(),
             what='every post marked fanned out')


@pytest.fixture
def timelines_redis(tmp_path):
    (tmp_path / 'timelines').mkdir()
    server = RedisServer(tmp_path / 'timelines')
    yield server
    server.stop()


@pytest.fixture
def environ(environ, timelines_redis):
    """Feeds on a Redis of their own (which the test pauses), fan-out steps of one follower
    (3,000 round trips: a busy machine cannot finish them before the test pauses Redis), a
    short lease."""
    return {**environ, 'WARBLE_REDIS_TIMELINES_URL': timelines_redis.url,
            'WARBLE_TIMELINES_BATCH': '1', 'WARBLE_TIMELINES_LEASE_SECONDS': '1'}


def test_a_worker_killed_mid_fan_out_leaves_each_feed_with_the_post_once(
        environ, client, alice, celery_worker, tmp_path):
    seeder = SeedController(1)
    for _ in seeder.users(FOLLOWERS):
        pass
    alice_id = User.get(User.username == 'alice').id
    readers = [user_id for user_id, in User.select(User.id).where(User.id != alice_id).tuples()]
    follows.create_many([{'follower': reader, 'followed': alice_id} for reader in readers])
    with feeds().transact() as changes:  # every follower's feed built, empty
        for reader in readers:
            changes.fill(reader, [])
    redis = redisdb.get_redis('timelines')

    written = post(client, 'alice', alice, 'to three thousand')
    post_id = int(written['id'])

    def reached() -> int:
        with redis.pipeline(transaction=False) as pipe:
            for reader in readers:
                pipe.zscore(feed_key(reader), member(post_id))
            return sum(score is not None for score in pipe.execute())
    deadline = time.monotonic() + 30
    while not reached():  # no pause between looks: the fan-out takes well under a second
        assert time.monotonic() < deadline, 'the fan-out did not begin'
    redis.execute_command('CLIENT', 'PAUSE', 30_000, 'WRITE')  # the worker stops at its next step
    try:
        os.killpg(celery_worker.pid, signal.SIGKILL)
        celery_worker.wait(10)
    finally:
        redis.execute_command('CLIENT', 'UNPAUSE')
    partway = reached()
    assert 0 < partway < len(readers)
    assert not Micropost.get_by_id(post_id).fanned_out

    worker = start_worker(environ, tmp_path / 'second-worker.log')
    try:
        time.sleep(1.1)  # the lease runs out
        assert FeedController().sweep() == 1
        wait_for(lambda: Micropost.get_by_id(post_id).fanned_out, timeout=60,
                 what='the fan-out handed on')
    finally:
        stop(worker)
    assert reached() == len(readers)
    with redis.pipeline(transaction=False) as pipe:
        for reader in readers:
            pipe.zcard(feed_key(reader))
        assert set(pipe.execute()) == {2}  # the "built" mark and the post, once
