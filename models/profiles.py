"""The counts shown on one user's profile: followers, users followed, posts."""
from __future__ import annotations

import peewee

from models.follows import Follow
from models.microposts import Micropost
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
