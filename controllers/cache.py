"""The shared page cache as the application uses it: a help when Redis answers, never a failure.

Pages are grouped in scopes: `user:<name>` (a user's profile, posts, following and followers),
`feed` (pages across users: the public feed and search) and `people` (pages showing other users'
display names and avatars: people search, follow lists). A write renews the scopes it changes
before its answer is sent, so nobody reads a stale page after it, on any worker.
"""
from __future__ import annotations

import logging

from controllers import reads
from lib import metrics
from lib.logs import Throttle
from models.pagecache import CacheUnavailable, PageStore, changed_at

USER_SCOPE = 'user:{username}'
FEED_SCOPE = 'feed'
PEOPLE_SCOPE = 'people'

log = logging.getLogger('warble.cache')
throttle = Throttle()


def user_scope(username: str) -> str:
    return USER_SCOPE.format(username=username.lower())


class CacheController:
    """Looks pages up, stores them, and invalidates scopes; without Redis, nothing is cached."""

    def __init__(self):
        self.pages = PageStore()

    def lookup(self, scopes: list[str], key: str) -> tuple[str | None, str | None]:
        try:
            version, page = self.pages.lookup(scopes, key)
        except CacheUnavailable as exc:
            _warn(exc)
            metrics.cache_lookup('error')
            return None, None
        metrics.cache_lookup('miss' if page is None else 'hit')
        return version, page

    def store(self, version: str, key: str, answer: str, seconds: int) -> None:
        """Keep `answer` under `version`; not one read from a replica older than a write to
        one of its scopes (it would be served stale after the write's page was renewed)."""
        as_of = reads.replica_as_of()
        if as_of is not None and changed_at(version) > as_of:
            return
        try:
            self.pages.store(version, key, answer, seconds)
        except CacheUnavailable as exc:
            _warn(exc)

    def invalidate(self, *scopes: str) -> None:
        """Renew `scopes`; if Redis is down, their pages expire by their TTL instead."""
        try:
            self.pages.renew(list(scopes))
        except CacheUnavailable as exc:
            _warn(exc)


def _warn(exc: CacheUnavailable) -> None:
    """Count Redis failures; log them at most once per interval."""
    metrics.redis_error('cache')
    if throttle.ready():
        log.warning('page cache unavailable, serving uncached: %s', exc)
