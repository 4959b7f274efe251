"""Timelines: the posts of the users someone follows, oldest first."""
from __future__ import annotations

from controllers import represent
from controllers.errors import Forbidden
from controllers.paging import page_of
from controllers.users import find_user
from lib.utils.urlkit import Links
from models.microposts import timeline_page


class TimelineController:
    """Pages of a user's timeline."""

    def __init__(self, links: Links):
        self.links = links

    def page_for(self, caller: dict, username: str, page: int, size: int) -> dict:
        """The timeline of `username`, for that user only: NotFound for an unknown user,
        Forbidden for another one."""
        if username.lower() != caller['username'].lower():
            raise Forbidden(f'Only {find_user(username).username} may read this timeline.')
        rows = timeline_page(caller['id'], page, size)
        return page_of(rows, size, lambda row: represent.micropost(self.links, row))
