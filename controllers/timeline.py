"""Timelines: the posts of the users someone follows, oldest first."""
from __future__ import annotations

from controllers import represent
from controllers.errors import Forbidden
from controllers.paging import page_of, window
from controllers.users import find_user
from lib.utils.urlkit import Links
from models.follows import Follow
from models.microposts import Micropost


class TimelineController:
    """Pages of a user's timeline."""

    def __init__(self, links: Links):
        self.links = links

    def page_for(self, caller: dict, username: str, page: int, size: int) -> dict:
        """The timeline of `username`, for that user only: NotFound for an unknown user,
        Forbidden for another one."""
        if username.lower() != caller['username'].lower():
            raise Forbidden(f'Only {find_user(username).username} may read this timeline.')
        followed = Follow.select(Follow.followed).where(Follow.follower == caller['id'])
        # The page of ids first, from the (id, user_id) index alone; then those posts in full.
        ids = window(Micropost.select(Micropost.id).where(Micropost.user.in_(followed))
                     .order_by(Micropost.id), page, size)
        rows = Micropost.listing().where(Micropost.id.in_(ids)).order_by(Micropost.id)
        return page_of(rows, size, lambda row: represent.micropost(self.links, row))
