"""Timelines. By page number, as the API has always had them: the posts of the users someone
follows, oldest first, from the database. By post id, either way: the home feed, which adds the
user's own posts, as the browser shows it, from Redis."""
from __future__ import annotations

from controllers import represent
from controllers.cursors import cursor_of, cursor_page
from controllers.errors import Forbidden
from controllers.feeds import FeedController
from controllers.micropost_rules import SIZE_DEFAULT
from controllers.paging import page_of
from controllers.reads import replica_read
from controllers.users import find_user
from lib.utils.urlkit import Links
from models.microposts import timeline_page


class TimelineController:
    """Pages of a user's timeline, for that user only: NotFound for an unknown user, Forbidden
    for another one."""

    def __init__(self, links: Links):
        self.links = links

    def read(self, caller: dict, username: str, query: dict) -> dict:
        """The page a checked page query asks for: by number, or by post id (see
        `controllers.cursors`)."""
        by_id, size = cursor_of(query, 'oldest'), query.get('size', SIZE_DEFAULT)
        if by_id is None:
            return self.page_for(caller, username, query.get('page', 1), size)
        return self.by_id(caller, username, *by_id, query.get('order', 'oldest'), size)

    @replica_read
    def page_for(self, caller: dict, username: str, page: int, size: int) -> dict:
        """Page `page`, oldest first."""
        check_reader(caller, username)
        return page_of(timeline_page(caller['id'], page, size), size, self._represent)

    def by_id(self, caller: dict, username: str, cursor: int | None, newer: bool, order: str,
              size: int) -> dict:
        """The page past `cursor` (see `controllers.cursors`), from the home feed."""
        check_reader(caller, username)
        rows = FeedController().page(caller['id'], cursor, newer, size + 1)
        return cursor_page(rows, size, cursor, newer, order, self._represent)

    def _represent(self, row: dict) -> dict:
        return represent.micropost(self.links, row)


def check_reader(caller: dict, username: str) -> None:
    if username.lower() != caller['username'].lower():
        raise Forbidden(f'Only {find_user(username).username} may read this timeline.')
