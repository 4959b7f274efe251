"""Feed events told to live streams after a commit: a post once its feeds took it, an edit, a
delete, a follow, an unfollow (see `models.feedevents`).

Best effort: the database is the truth and a page read shows it, so when Redis does not answer
the event is logged and left; an open stream then misses it until its client reloads.
"""
from __future__ import annotations

import logging

from lib.config import Section
from models.feedevents import FeedEvents
from models.timelines import FeedsUnavailable

POST, EDIT, DELETE, FOLLOW, UNFOLLOW = 'post', 'edit', 'delete', 'follow', 'unfollow'
POST_EVENTS = (POST, EDIT, DELETE)

log = logging.getLogger('warble.events')
_settings: Section | None = None


def configure(settings: Section) -> None:
    """Take the `streams` settings."""
    global _settings
    _settings = settings


def settings() -> Section:
    return _settings


def store() -> FeedEvents:
    return FeedEvents(_settings.maxlen)


def emit(kind: str, author: dict, **fields: object) -> None:
    """Tell open streams of `kind` by `author` (`{"id", "username"}`): `id` the post, or
    `followed` and `followed_username` the user (un)followed."""
    try:
        store().emit({'type': kind, 'author': author['id'], 'username': author['username'],
                      **fields})
    except FeedsUnavailable as exc:
        log.warning('%s event by %s not told to live streams: %s', kind, author['username'], exc)
