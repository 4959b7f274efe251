"""Follows: who a user follows and who follows them; following and unfollowing."""
from __future__ import annotations

from controllers import events, feeds, limits, notifications, represent
from controllers.cache import CacheController, user_scope
from controllers.errors import Invalid, NotFound
from controllers.paging import page_of
from controllers.users import find_user, user_named
from lib.utils.urlkit import Links
from models.db import transaction
from models.follows import add_follow, followed_by, followers_of, remove_follow


class FollowController:
    """Pages of following and followers (in the order the follows were made), follow, unfollow."""

    def __init__(self, links: Links):
        self.links = links

    def following(self, username: str, page: int, size: int, named: str | None = None) -> dict:
        """The users `username` follows; with `named`, only that one (whether it is followed)."""
        user = find_user(username)
        return page_of(followed_by(user.id, page, size, named), size, self._represent)

    def followers(self, username: str, page: int, size: int) -> dict:
        user = find_user(username)
        return page_of(followers_of(user.id, page, size), size, self._represent)

    def follow(self, follower: dict, username: str) -> tuple[dict, bool]:
        """Make `follower` follow `username`: (that user, whether the follow is new), within
        the follower's budget of follows."""
        followed = user_named(username)
        if followed is None:
            raise Invalid(f'There is no user {username!r} to follow.', {'username': 'no such user'})
        if followed.id == follower['id']:
            raise Invalid('Users cannot follow themselves.', {'username': 'yourself'})
        limits.take_follow(follower['id'])
        with transaction():
            follow_id = add_follow(follower['id'], followed.id)
            if follow_id is not None:
                notifications.on_follow(follow_id, follower['id'], followed.id)
        if follow_id is not None:
            self._changed(follower['username'], followed.username)
            feeds.offer(feeds.FEED_FOLLOW_TASK, follow_id)
            events.emit(events.FOLLOW, follower, followed=followed.id,
                        followed_username=followed.username)
        return (represent.user(self.links, followed.username, followed.created,
                               followed.profile),
                follow_id is not None)

    def unfollow(self, follower: dict, username: str) -> None:
        followed = user_named(username)
        deleted = False
        if followed is not None:
            with transaction():
                deleted = remove_follow(follower['id'], followed.id)
        if not deleted:
            raise NotFound(f'{follower["username"]} does not follow {username!r}.')
        self._changed(follower['username'], followed.username)
        feeds.offer(feeds.FORGET_TASK, follower['id'], followed.id)
        events.emit(events.UNFOLLOW, follower, followed=followed.id,
                    followed_username=followed.username)

    def _changed(self, *usernames: str) -> None:
        CacheController().invalidate(*(user_scope(name) for name in usernames))

    def _represent(self, row: dict) -> dict:
        return represent.user(self.links, row['username'], row['created'], row)


