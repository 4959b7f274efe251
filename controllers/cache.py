"""The shared page cache as the application uses it: a help when Redis answers, never a failure.

Pages are grouped in scopes: `user:<name>` (a user's profile, posts, following and followers) and
`feed` (pages across users: the public feed and search). A write renews the scopes it changes
before its answer is sent, so nobody reads a stale page after it, on any worker.
"""
from __future__ import annotations

import logging
import time

from redis import RedisError

from models.pagecache import PageStore

USER_SCOPE = 'user:{username}'
FEED_SCOPE = 'feed'
WARNING_INTERVAL = 10.0

log = logging.getLogger('warble.cache')
_last_warning = 0.0


def user_scope(username: str) -> str:
    return USER_SCOPE.format(username=username.lower())


class CacheController:
    """Looks pages up, stores them, and invalidates scopes; without Redis, nothing is cached."""

    def __init__(self):
        self.pages = PageStore()

    def lookup(self, scopes: list[str], url: str) -> tuple[str | None, str | None]:
        try:
            return self.pages.lookup(scopes, url)
        except RedisError as exc:
            _warn(exc)
            return None, None

    def store(self, version: str, url: str, answer: str, seconds: int) -> None:
        try:
            self.pages.store(version, url, answer, seconds)
        except RedisError as exc:
            _warn(exc)

    def invalidate(self, *scopes: str) -> None:
        """Renew `scopes`; if Redis is down, their pages expire by their TTL instead."""
        try:
            self.pages.renew(list(scopes))
        except RedisError as exc:
            _warn(exc)


def _warn(exc: RedisError) -> None:
    """Log Redis failures at most once per interval: an outage must not flood the log."""
    global _last_warning
    now = time.monotonic()
    if now - _last_warning >= WARNING_INTERVAL:
        _last_warning = now
        log.warning('page cache unavailable, serving uncached: %s', exc)
