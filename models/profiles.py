"""Profiles: the counts shown on one user's page (followers, users followed, posts), what users
write about themselves (display name, bio, avatar version), and finding people by name."""
from __future__ import annotations

import peewee

from models.db import is_postgres, window
from models.follows import Follow
from models.microposts import Micropost
from models.statements import Slot, Statement
from models.users import User


def counts_of(user_id: int) -> dict[str, int]:
    """`{"followers_count", "following_count", "posts_count"}` of one user, in one query.

    Counting on each read is fine here: each COUNT reads only this user's entries of an index
    (follow (followed_id, id), follow (follower_id, followed_id), micropost (user_id, id)), it
    runs for a single profile and never for lists of users, and the profile is kept in the page
    cache under the user's scope until a follow, unfollow, post or delete renews it. A counter
    column would pay off only once single users have millions of rows."""
    def count(model: type[peewee.Model], condition: peewee.Expression) -> peewee.Select:
        return model.select(peewee.fn.COUNT(peewee.SQL('*'))).where(condition)

    return (User.select(count(Follow, Follow.followed == user_id).alias('followers_count'),
                        count(Follow, Follow.follower == user_id).alias('following_count'),
                        count(Micropost, Micropost.user == user_id).alias('posts_count'))
            .where(User.id == user_id).dicts().get())


PROFILE_COLUMNS = (User.username, User.created, User.display_name, User.bio, User.avatar)


LOOK = Statement(lambda: User.select(User.display_name, User.avatar)
                 .where(User.id == Slot('id')).limit(1).dicts())


def look_of(user_id: int) -> dict:
    """`{"display_name", "avatar"}` of one user: what shows beside their posts."""
    return LOOK.first(id=user_id) or {'display_name': None, 'avatar': None}


def set_profile(user_id: int, changes: dict[str, str | None]) -> None:
    """Write `display_name` and/or `bio` (None clears)."""
    User.update({getattr(User, name): value for name, value in changes.items()}).where(
        User.id == user_id).execute()


def swap_avatar(user_id: int, version: str | None) -> str | None:
    """Make `version` the user's avatar (None: none); the version it replaces. Call it in a
    transaction: the user's row stays locked until the commit (SQLite writes one at a time),
    so that of two uploads at once each learns the version the other wrote and none is lost."""
    query = User.select(User.avatar).where(User.id == user_id)
    if is_postgres():
        query = query.for_update()
    row = query.tuples().first()
    User.update(avatar=version).where(User.id == user_id).execute()
    return row and row[0]


def people_named(name: str, substring: bool, page: int, size: int) -> list[dict]:
    """`{"username", "created", "display_name", "bio", "avatar"}` of users whose username or
    display name contains `name` (ignoring case; the start of a name or of a word of it only,
    unless `substring`): a page and one more row (see `window`), the username matched exactly
    first, then names that start with it, then the others, each by username."""
    if substring:
        found = User.username.contains(name) | User.display_name.contains(name)
    else:
        found = (User.username.startswith(name) | User.display_name.startswith(name)
                 | User.display_name.contains(' ' + name))
    lowered = peewee.fn.LOWER(User.username)
    rank = peewee.Case(None, (
        (lowered == name.lower(), 0),
        (User.username.startswith(name) | User.display_name.startswith(name), 1)), 2)
    query = (User.select(*PROFILE_COLUMNS).where(found)
             .order_by(rank, lowered, User.id).dicts())
    return list(window(query, page, size))
