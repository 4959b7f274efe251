"""Follows: a user follows another to read their posts in a timeline."""
from __future__ import annotations

import peewee

from lib.utils.datekit import utcnow
from models import ids
from models.db import BaseModel, window
from models.users import User


class Follow(BaseModel):
    id = ids.primary_key()
    follower = peewee.ForeignKeyField(User, backref='following', on_delete='CASCADE',
                                      index=False)
    followed = peewee.ForeignKeyField(User, backref='followers', on_delete='CASCADE',
                                      index=False)
    created = peewee.DateTimeField(default=utcnow)
    fed = peewee.BooleanField(default=False)  # the followed user's posts are in the feed (0029)

    class Meta:
        indexes = (
            (('follower', 'followed'), True),  # one follow per pair; whom a user follows
            (('followed', 'id'), False),       # a user's followers, in order
            (('created',), False),             # a day's follows: statistics (0022)
        )


def add_follow(follower_id: int, followed_id: int) -> int | None:
    """Make one user follow another; the id of the follow if it is new, else None."""
    follow_id = ids.next_id()
    created = (Follow.insert(id=follow_id, follower=follower_id, followed=followed_id)
               .on_conflict_ignore().as_rowcount().execute()) > 0
    return follow_id if created else None


def remove_follow(follower_id: int, followed_id: int) -> bool:
    """Undo a follow; whether there was one."""
    return (Follow.delete()
            .where(Follow.follower == follower_id, Follow.followed == followed_id)
            .execute()) > 0


def create_many(follows: list[dict]) -> None:
    """Insert follows `{"follower": id, "followed": id}`, leaving out those already made: demo
    data, whose feeds are built from the database rather than fed follow by follow."""
    rows = [dict(follow, fed=True) for follow in follows]
    Follow.insert_many(rows).on_conflict_ignore().execute()


def followed_by(user_id: int, page: int, size: int, named: str | None = None) -> list[dict]:
    """`{"username", "created", "display_name", "bio", "avatar"}` of the users `user_id`
    follows, a page and one more row (see `window`), in the order followed; with `named`, only
    that user (any case)."""
    condition = Follow.follower == user_id
    if named is not None:
        condition &= peewee.fn.LOWER(User.username) == named.lower()
    return _page(Follow.followed, condition, page, size)


def followers_of(user_id: int, page: int, size: int) -> list[dict]:
    """The users following `user_id`, as `followed_by`."""
    return _page(Follow.follower, Follow.followed == user_id, page, size)


def _page(listed: peewee.Field, condition: peewee.Expression, page: int,
          size: int) -> list[dict]:
    """A page of the `listed` side of the follows matching `condition`."""
    query = (User.select(User.username, User.created, User.display_name, User.bio, User.avatar)
             .join(Follow, on=(listed == User.id))
             .where(condition)
             .order_by(Follow.id))
    return list(window(query.dicts(), page, size))
