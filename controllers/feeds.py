"""Home feeds: pages read from Redis (or the database when Redis cannot answer), and the work
that keeps them filled, each step idempotent so that a task run twice or a sweep after a lost
one does no harm.

A post is fanned out by a Celery task handed over after its commit: its id goes to the feeds of
its author and followers, batch by batch, then the post is marked done; one left undone is
handed on by the sweep. An author with more than `large_account` followers is not fanned out: the
feeds merge their posts on read. A follow back-fills the followed user's newest posts the same
way. Deletes and unfollows need no fan-out to be right (a page shows only what the database
still shows it), so their clean-up in Redis is done by a task once, or not at all.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from controllers import events
from lib import jobs
from lib.config import Section
from lib.utils.datekit import utcnow
from models import feedrows
from models.db import transaction
from models.timelines import Feeds, FeedsUnavailable

FAN_OUT_TASK = 'timelines.fan_out'
FEED_FOLLOW_TASK = 'timelines.feed_follow'
FORGET_TASK = 'timelines.forget'
SWEEP_BATCH = 500
SLACK = 5  # ids read past a page, for those a page no longer shows

log = logging.getLogger('warble.feeds')
_settings: Section | None = None
_feeds: Feeds | None = None


def configure(settings: Section) -> None:
    """Take the `timelines` settings."""
    global _settings, _feeds
    _settings, _feeds = settings, None


def feeds() -> Feeds:
    """The feeds store of this process (its scripts read and registered once)."""
    global _feeds
    if _feeds is None:
        _feeds = Feeds(_settings.length, _settings.idle_days * 86400)
    return _feeds


def large_account() -> int:
    """Followers past which an author's posts are merged on read, not fanned out."""
    return _settings.large_account


def offer(task: str, *args: object) -> None:
    """Hand work to Celery after a commit; what the broker cannot take, the sweep hands on."""
    if not jobs.offer(task, *args):
        log.info('%s%s left to the sweep: the broker did not answer', task, args)


class FeedController:
    """Pages of a user's home feed, and the fan-out, back-fill and clean-up behind them."""

    def __init__(self):
        self.store = feeds()

    def page(self, user_id: int, cursor: int | None, newer: bool, count: int) -> list[dict]:
        """Up to `count` `Micropost.listing` rows of the feed of `user_id` past `cursor` (from
        the newest without one): newer ones oldest first, or older ones newest first."""
        try:
            return self._page_from_redis(user_id, cursor, newer, count)
        except FeedsUnavailable as exc:
            log.warning('feeds unavailable, page from the database: %s', exc)
            return self._rows(user_id, feedrows.feed_ids(user_id, cursor, newer, count), newer)

    def _page_from_redis(self, user_id: int, cursor: int | None, newer: bool,
                         count: int) -> list[dict]:
        rows: list[dict] = []
        while len(rows) < count:
            view = self.store.view(user_id, cursor, newer, count + SLACK)
            if view is None:
                self.build(user_id)
                view = self.store.view(user_id, cursor, newer, count + SLACK)
            if view is None:  # dropped as soon as built (Redis flushed): read the database
                return rows + self._rows(user_id, feedrows.feed_ids(
                    user_id, cursor, newer, count - len(rows)), newer)
            ids = view.ids
            if not newer and view.cut and len(ids) < count + SLACK:
                ids = feedrows.feed_ids(user_id, cursor, newer, count + SLACK)  # past the feed
            elif view.merged:
                ids = merged(ids, feedrows.feed_ids(user_id, cursor, newer, count + SLACK,
                                                    sorted(view.merged)), newer, count + SLACK)
            found = self._rows(user_id, ids, newer)
            self._forget_gone(user_id, set(ids) - {row['id'] for row in found})
            rows += found
            if len(ids) < count + SLACK:
                break
            cursor = ids[-1]
        return rows[:count]

    def build(self, user_id: int) -> None:
        """Fill the feed from the database (kept on what the fan-out adds meanwhile)."""
        self.store.start_build(user_id)
        ids = feedrows.feed_ids(user_id, None, False, self.store.length)
        with self.store.transact() as changes:
            changes.fill(user_id, ids)

    @staticmethod
    def _rows(user_id: int, ids: list[int], newer: bool) -> list[dict]:
        rows = feedrows.shown(user_id, ids)
        rows.sort(key=lambda row: row['id'], reverse=not newer)
        return rows

    def _forget_gone(self, user_id: int, gone: set[int]) -> None:
        """Drop ids the feed should no longer hold (a post deleted, an author unfollowed)."""
        if gone:
            with self.store.transact() as changes:
                changes.remove([user_id], sorted(gone))

    def fan_out(self, post_id: int) -> int:
        """Add the post to its author's feed and, unless the author's posts are merged on
        read, to each follower's; mark it done. How many feeds took it."""
        author = feedrows.post_author(post_id)
        added = 0
        if author is not None:
            large = feedrows.follower_count(author) > _settings.large_account
            self.store.merged_accounts(author, large)
            with self.store.transact() as changes:
                changes.add([author], post_id)
            if not large:
                added = self._to_followers(author, post_id)
        with transaction():
            told = feedrows.mark_fanned_out(post_id) and author is not None
        if told:  # once, by the run that marked it: open streams find it in the feeds now
            events.emit(events.POST, {'id': author, 'username': feedrows.username_of(author)},
                        id=post_id)
        return added

    def _to_followers(self, author: int, post_id: int) -> int:
        after, added = 0, 0
        while batch := feedrows.followers_after(author, after, _settings.batch):
            with self.store.transact() as changes:
                changes.add([follower for _, follower in batch], post_id)
            after, added = batch[-1][0], added + len(batch)
        return added

    def feed_follow(self, follow_id: int) -> None:
        """Back-fill a follow: the followed user's newest posts into the follower's feed, if
        it is built (else it is built whole when read); mark the follow done."""
        pair = feedrows.follow_of(follow_id)
        if pair is not None:
            follower, followed = pair
            with self.store.transact() as changes:
                changes.fill(follower, feedrows.newest_of(followed, self.store.length),
                             built_only=True)
        with transaction():
            feedrows.mark_fed(follow_id)

    def forget(self, user_id: int, author_id: int) -> None:
        """After an unfollow, drop the author's posts from the user's feed, unless the user
        follows them again by now."""
        if not feedrows.follows(user_id, author_id):
            with self.store.transact() as changes:
                changes.remove([user_id], feedrows.newest_of(author_id, self.store.length))

    def drop_posts(self, user_ids: list[int], post_ids: list[int]) -> None:
        """Take these posts out of these users' feeds (those of a deleted account)."""
        for start in range(0, len(user_ids), _settings.batch):
            with self.store.transact() as changes:
                changes.remove(user_ids[start:start + _settings.batch], post_ids)

    def forget_account(self, user_id: int) -> None:
        """Drop everything the feeds keep of a deleted account: its own feed, and its place
        among the accounts merged on read."""
        self.store.forget_account(user_id)

    def sweep(self, now: Callable[[], dt.datetime] = utcnow) -> int:
        """Hand on posts and follows whose feed work was not done within the lease; how
        many."""
        before = now() - dt.timedelta(seconds=_settings.lease_seconds)
        handed = 0
        for task, owed in ((FAN_OUT_TASK, feedrows.posts_owed(before, SWEEP_BATCH)),
                           (FEED_FOLLOW_TASK, feedrows.follows_owed(before, SWEEP_BATCH))):
            for row_id in owed:
                if not jobs.offer(task, row_id):
                    return handed
                handed += 1
        return handed


def merged(ids: list[int], others: list[int], newer: bool, count: int) -> list[int]:
    """The first `count` of both lists of ids, without repeats, in the order of a page."""
    return sorted(set(ids) | set(others), reverse=not newer)[:count]
