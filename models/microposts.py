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
