"""What deleting an account must know before the rows go: whose pages and feeds show the user."""
from __future__ import annotations

from models.follows import Follow
from models.microposts import Micropost


def follower_ids(user_id: int, limit: int) -> list[int]:
    """Up to `limit` followers of the user (whose home feeds hold the user's posts)."""
    return [row.follower_id for row in Follow.select(Follow.follower)
            .where(Follow.followed == user_id).order_by(Follow.id).limit(limit)]


def related_users(user_id: int, limit: int) -> list[int]:
    """Up to `limit` ids of users whose pages show the user: those following or followed by
    them, and the authors of posts addressed to them."""
    followers = Follow.select(Follow.follower.alias('id')).where(Follow.followed == user_id)
    followed = Follow.select(Follow.followed.alias('id')).where(Follow.follower == user_id)
    addressing = (Micropost.select(Micropost.user.alias('id'))
                  .where(Micropost.referenced == user_id))
    union = (followers | followed | addressing).limit(limit)
    return [row[0] for row in union.tuples()]
