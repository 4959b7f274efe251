"""Home feeds in Redis (purpose `timelines`): for each user, the ids of the newest posts of the
users they follow and their own, as a sorted set ordered by id, that is by time.

The database stays the truth. A feed is filled on write by the fan-out, built from the database
when first read (or read again after Redis lost it), and dropped after `idle_days` unread; every
id read from it is checked against the database before it is shown. Members are ids padded to 19
digits with score 0, so that lexical order is numeric order and a cursor is an exact bound. The
empty member marks a feed as built; `feed:{id}:building` says a build is reading the database,
so that the fan-out of a post committed meanwhile is kept. Accounts with very many followers are
not fanned out: their ids are in the set `feeds:merged`, and their posts are merged on read.
Every call raises FeedsUnavailable when Redis does not answer.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from redis import Redis
from redis.exceptions import RedisError

from models.redisdb import get_redis

MERGED = 'feeds:merged'
BUILD_SECONDS = 30  # longer than a build's read of the database
SCRIPTS = Path(__file__).parent


class FeedsUnavailable(Exception):
    """Redis did not answer the feeds."""


def feed_key(user_id: int) -> str:
    return f'feed:{{{user_id}}}'  # the hash tag keeps a user's keys in one cluster slot


def member(post_id: int) -> str:
    return f'{post_id:019d}'


@dataclass(frozen=True)
class FeedView:
    """A snapshot of part of a feed: post ids in the order asked, the accounts to merge in, and
    whether older posts than the feed holds may exist (it was cut to its length)."""

    ids: list[int]
    merged: set[int]
    cut: bool


class Feeds:
    """The feeds of every user, `length` posts each, kept `idle_seconds` after their last read."""

    def __init__(self, length: int, idle_seconds: int):
        self.length, self.idle_seconds = length, idle_seconds
        trim = (SCRIPTS / 'trim.lua').read_text()
        self._add, self._fill, self._page = (
            self.redis.register_script(trim + (SCRIPTS / f'{name}.lua').read_text())
            for name in ('add', 'fill', 'page'))

    @property
    def redis(self) -> Redis:
        return get_redis('timelines')

    def view(self, user_id: int, cursor: int | None, newer: bool, count: int) -> FeedView | None:
        """Up to `count` ids past `cursor` (from the newest without one): newer ones oldest
        first, or older ones newest first; None when the feed is cold."""
        with answering():
            found = self._page(keys=[feed_key(user_id), MERGED], args=[
                'after' if newer else 'before', '' if cursor is None else member(cursor),
                count, self.idle_seconds, self.length], client=self.redis)
        if found is None:
            return None
        ids, merged, cut = found
        return FeedView([int(each) for each in ids], {int(each) for each in merged}, bool(cut))

    def start_build(self, user_id: int) -> None:
        """Say a build of the feed began: from now on the fan-out adds to it."""
        with answering():
            self.redis.set(f'{feed_key(user_id)}:building', 1, ex=BUILD_SECONDS)

    @contextmanager
    def transact(self) -> Iterator[FeedChanges]:
        """Changes gathered in the block, sent in one round trip when it ends."""
        changes = FeedChanges(self)
        yield changes
        with answering():
            changes.pipeline.execute()

    def merged_accounts(self, author_id: int, merged: bool) -> None:
        """Whether the posts of `author_id` are merged on read rather than fanned out."""
        with answering():
            (self.redis.sadd if merged else self.redis.srem)(MERGED, author_id)

    def forget_account(self, user_id: int) -> None:
        """Drop the feed of a deleted account and its place in `feeds:merged`."""
        key = feed_key(user_id)
        with answering():
            with self.redis.pipeline(transaction=False) as pipe:
                pipe.unlink(key, f'{key}:building').srem(MERGED, user_id).execute()

    def forget_all(self) -> int:
        """Drop every feed (they are built again on read); how many."""
        dropped = 0
        with answering():
            for key in self.redis.scan_iter('feed:{*}', count=1000):
                dropped += self.redis.unlink(key)
        return dropped


class FeedChanges:
    """Changes to feeds, sent together (see `Feeds.transact`)."""

    def __init__(self, feeds: Feeds):
        self.feeds = feeds
        self.pipeline = feeds.redis.pipeline(transaction=False)

    def add(self, user_ids: list[int], post_id: int) -> None:
        """The post, to each of these users' feeds that is built or being built."""
        self.feeds._add(keys=[feed_key(each) for each in user_ids],
                        args=[member(post_id), self.feeds.length], client=self.pipeline)

    def fill(self, user_id: int, post_ids: list[int], built_only: bool = False) -> None:
        """These posts into the feed, marked built (with `built_only`: only if it is)."""
        self.feeds._fill(keys=[feed_key(user_id)], args=[
            self.feeds.length, self.feeds.idle_seconds, 'built' if built_only else 'build',
            *(member(each) for each in post_ids)], client=self.pipeline)

    def remove(self, user_ids: list[int], post_ids: list[int]) -> None:
        if not post_ids:  # ZREM wants at least one member
            return
        for user_id in user_ids:
            self.pipeline.zrem(feed_key(user_id), *(member(each) for each in post_ids))


@contextmanager
def answering() -> Iterator[None]:
    """Redis's failures, as FeedsUnavailable (shared by the stores of the `timelines` Redis)."""
    try:
        yield
    except RedisError as exc:
        raise FeedsUnavailable(str(exc)) from exc
