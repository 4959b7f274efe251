"""Microposts: short texts by a user, optionally addressed to another user; their search index."""
from __future__ import annotations

import peewee
from playhouse.sqlite_ext import FTS5Model, SearchField

from lib.utils.datekit import utcnow
from models.db import BaseModel, database
from models.users import User

Author = User.alias('author')
Referenced = User.alias('referenced_user')


class Micropost(BaseModel):
    user = peewee.ForeignKeyField(User, backref='microposts', on_delete='CASCADE', index=False)
    text = peewee.CharField(max_length=255)
    referenced = peewee.ForeignKeyField(User, backref='mentions', null=True,
                                        on_delete='SET NULL')
    created = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = (
            (('user', 'id'), False),  # a user's posts in order: their collection
            (('id', 'user'), False),  # posts in order with their author: timelines (0006)
            (('created', 'user'), False),  # a day's posts and authors: statistics (0022)
        )

    @classmethod
    def listing(cls) -> peewee.ModelSelect:
        """Posts as dicts with their author's and referenced user's usernames, in one query."""
        return (cls.select(cls.id, cls.text, cls.created, Author.username.alias('username'),
                           Referenced.username.alias('referenced_username'))
                .join(Author, on=(cls.user == Author.id))
                .switch(cls)
                .join(Referenced, peewee.JOIN.LEFT_OUTER, on=(cls.referenced == Referenced.id))
                .dicts())


class MicropostSearch(FTS5Model):
    """SQLite only: the FTS5 trigram index of micropost texts, kept in sync by triggers.

    PostgreSQL searches `micropost.text` itself through a pg_trgm GIN index instead."""

    text = SearchField()

    class Meta:
        database = database
        table_name = 'micropost_search'


# The posts and users the MicroPosts controller reads and writes, as dicts.

def newest(author_id: int | None = None) -> peewee.ModelSelect:
    """`Micropost.listing` rows newest first: every post, or only those of `author_id`."""
    query = Micropost.listing()
    if author_id is not None:
        query = query.where(Micropost.user == author_id)
    return query.order_by(Micropost.id.desc())


def listed_post(author_id: int, post_id: int) -> dict | None:
    """One post of `author_id` as a `Micropost.listing` row, or None."""
    return Micropost.listing().where(Micropost.id == post_id,
                                     Micropost.user == author_id).first()


def user_named(username: str) -> dict | None:
    """`{"id", "username"}` of the user with this username (any case), or None."""
    user = User.by_username(username)
    return None if user is None else {'id': user.id, 'username': user.username}


def usernames(user_ids: set[int]) -> list[str]:
    """The usernames of these users."""
    return [user.username for user in User.select(User.username).where(User.id.in_(user_ids))]


def create_post(author_id: int, text: str, referenced: int | None) -> dict:
    """Write a post; `{"id", "text", "created"}` as stored."""
    post = Micropost.create(user=author_id, text=text, referenced=referenced)
    return {'id': post.id, 'text': post.text, 'created': post.created}


def create_posts(rows: list[dict]) -> None:
    """Write posts `{"user", "text", "referenced", "created"}` in one statement."""
    Micropost.insert_many(rows).execute()


def post_of(author_id: int, post_id: int) -> dict | None:
    """`{"id", "text", "referenced"}` of one post of `author_id`, or None."""
    return (Micropost.select(Micropost.id, Micropost.text, Micropost.referenced)
            .where(Micropost.id == post_id, Micropost.user == author_id).dicts().first())


def save_post(post_id: int, text: str, referenced: int | None) -> None:
    Micropost.update(text=text, referenced=referenced).where(Micropost.id == post_id).execute()


def delete_post(author_id: int, post_id: int) -> bool:
    """Delete one post of `author_id`; whether there was one."""
    return bool(Micropost.delete()
                .where(Micropost.id == post_id, Micropost.user == author_id).execute())
