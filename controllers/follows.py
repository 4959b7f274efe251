"""Follows: who a user follows and who follows them; following and unfollowing."""
from __future__ import annotations

import peewee

from controllers import limits, represent
from controllers.cache import CacheController, user_scope
from controllers.errors import Invalid, NotFound
from controllers.paging import fetch_page
from controllers.users import find_user, user_named
from lib.utils.urlkit import Links
from models.db import database
from models.follows import Follow
from models.users import User


class FollowController:
    """Pages of following and followers (in the order the follows were made), follow, unfollow."""

    def __init__(self, links: Links):
        self.links = links

    def following(self, username: str, page: int, size: int, named: str | None = None) -> dict:
        """The users `username` follows; with `named`, only that one (whether it is followed)."""
        user = find_user(username)
        condition = Follow.follower == user.id
        if named is not None:
            condition &= peewee.fn.LOWER(User.username) == named.lower()
        return self._users(Follow.followed, condition, page, size)

    def followers(self, username: str, page: int, size: int) -> dict:
        user = find_user(username)
        return self._users(Follow.follower, Follow.followed == user.id, page, size)

    def _users(self, listed: peewee.Field, condition: peewee.Expression, page: int,
               size: int) -> dict:
        """A page of the `listed` side of the follows matching `condition`."""
        query = (User.select(User.username, User.created)
                 .join(Follow, on=(listed == User.id))
                 .where(condition)
                 .order_by(Follow.id))
        return fetch_page(query.dicts(), page, size, self._represent)

    def follow(self, follower: dict, username: str) -> tuple[dict, bool]:
        """Make `follower` follow `username`: (that user, whether the follow is new), within
        the follower's budget of follows."""
        followed = user_named(username)
        if followed is None:
            raise Invalid(f'There is no user {username!r} to follow.', {'username': 'no such user'})
        if followed.id == follower['id']:
            raise Invalid('Users cannot follow themselves.', {'username': 'yourself'})
        limits.take_follow(follower['id'])
        with database.atomic():
            created = (Follow.insert(follower=follower['id'], followed=followed.id)
                       .on_conflict_ignore().as_rowcount().execute()) > 0
        if created:
            self._changed(follower['username'], followed.username)
        return represent.user(self.links, followed.username, followed.created), created

    def unfollow(self, follower: dict, username: str) -> None:
        followed = user_named(username)
        deleted = 0
        if followed is not None:
            with database.atomic():
                deleted = (Follow.delete()
                           .where(Follow.follower == follower['id'],
                                  Follow.followed == followed.id)
                           .execute())
        if not deleted:
            raise NotFound(f'{follower["username"]} does not follow {username!r}.')
        self._changed(follower['username'], followed.username)

    def _changed(self, *usernames: str) -> None:
        CacheController().invalidate(*(user_scope(name) for name in usernames))

    def _represent(self, row: dict) -> dict:
        return represent.user(self.links, row['username'], row['created'])


