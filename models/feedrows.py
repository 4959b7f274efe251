"""The database side of home feeds: the posts a user's feed shows (those of the users they
follow and their own), and the rows whose feed work is still owed (see `models/timelines`)."""
from __future__ import annotations

import datetime as dt

import peewee
from peewee import fn

from models.follows import Follow
from models.microposts import Micropost
from models.statements import Slot, Statement
from models.users import User


def _shown_to(user_id: int, authors: list[int] | None = None) -> peewee.Expression:
    """Posts by `user_id` or a user they follow (only among `authors` when given)."""
    followed = Follow.select(Follow.followed).where(Follow.follower == user_id)
    if authors is not None:
        return Micropost.user.in_(followed.where(Follow.followed.in_(authors)))
    return Micropost.user.in_(followed | User.select(User.id).where(User.id == user_id))


def feed_ids(user_id: int, cursor: int | None, newer: bool, count: int,
             authors: list[int] | None = None) -> list[int]:
    """Up to `count` ids of posts shown in the feed of `user_id` past `cursor` (from the
    newest without one): newer ones oldest first, or older ones newest first; with `authors`,
    only theirs among the users followed."""
    query = Micropost.select(Micropost.id).where(_shown_to(user_id, authors))
    if cursor is not None:
        query = query.where(Micropost.id > cursor if newer else Micropost.id < cursor)
    order = Micropost.id.asc() if newer else Micropost.id.desc()
    return [row for row, in query.order_by(order).limit(count).tuples()]


def shown(user_id: int, post_ids: list[int]) -> list[dict]:
    """`Micropost.listing` rows of those of `post_ids` the feed of `user_id` may show: posts
    deleted since, or by a user unfollowed since, are left out."""
    if not post_ids:
        return []
    count = len(post_ids)
    if count not in _SHOWN:
        _SHOWN[count] = Statement(lambda: _shown_query(count))
    return list(_SHOWN[count].rows(user=user_id, **{f'id{n}': post_id
                                                     for n, post_id in enumerate(post_ids)}))


def _shown_query(count: int) -> peewee.Query:
    # Checked row by row through the unique (follower, followed) index: the plan stays the
    # lookup of these few ids whatever the planner thinks of the user's follows.
    followed = Follow.select(1).where(Follow.follower == Slot('user'),
                                      Follow.followed == Micropost.user)
    return Micropost.listing().where(Micropost.id.in_([Slot(f'id{n}') for n in range(count)]),
                                     (Micropost.user == Slot('user')) | fn.EXISTS(followed))


_SHOWN: dict[int, Statement] = {}  # by how many ids: a page asks for a few sizes only


def newest_of(author_id: int, count: int) -> list[int]:
    """Ids of the newest `count` posts of one user (a follow's back-fill)."""
    return [row for row, in Micropost.select(Micropost.id).where(Micropost.user == author_id)
            .order_by(Micropost.id.desc()).limit(count).tuples()]


def post_author(post_id: int) -> int | None:
    """The author of a post still there, else None."""
    row = Micropost.select(Micropost.user).where(Micropost.id == post_id).tuples().first()
    return row and row[0]


def username_of(user_id: int) -> str | None:
    row = User.select(User.username).where(User.id == user_id).tuples().first()
    return row and row[0]


def followed_ids(user_id: int) -> set[int]:
    """Ids of every user `user_id` follows: what a live timeline shows besides their own."""
    return {row for row, in Follow.select(Follow.followed)
            .where(Follow.follower == user_id).tuples()}


def followers_after(author_id: int, after: int, count: int) -> list[tuple[int, int]]:
    """(follow id, follower id) of up to `count` followers of `author_id` past the follow
    `after`, in the order of follows: one step of a fan-out."""
    return list(Follow.select(Follow.id, Follow.follower)
                .where(Follow.followed == author_id, Follow.id > after)
                .order_by(Follow.id).limit(count).tuples())


def follows(follower_id: int, followed_id: int) -> bool:
    return Follow.select().where(Follow.follower == follower_id,
                                 Follow.followed == followed_id).exists()


def follower_count(author_id: int) -> int:
    return Follow.select().where(Follow.followed == author_id).count()


def posts_owed(before: dt.datetime, count: int) -> list[int]:
    """Ids of up to `count` posts made before `before` and not fanned out yet."""
    return [row for row, in Micropost.select(Micropost.id)
            .where(~Micropost.fanned_out, Micropost.created < before)
            .order_by(Micropost.id).limit(count).tuples()]


def follows_owed(before: dt.datetime, count: int) -> list[int]:
    """Ids of up to `count` follows made before `before` whose posts are not fed yet."""
    return [row for row, in Follow.select(Follow.id)
            .where(~Follow.fed, Follow.created < before)
            .order_by(Follow.id).limit(count).tuples()]


def follow_of(follow_id: int) -> tuple[int, int] | None:
    """(follower, followed) of a follow still there, else None."""
    return (Follow.select(Follow.follower, Follow.followed).where(Follow.id == follow_id)
            .tuples().first())


def mark_fanned_out(post_id: int) -> bool:
    """Mark the post fanned out; whether this call did (not an earlier run of the task)."""
    return bool(Micropost.update(fanned_out=True)
                .where(Micropost.id == post_id, ~Micropost.fanned_out).execute())


def mark_fed(follow_id: int) -> None:
    Follow.update(fed=True).where(Follow.id == follow_id).execute()
