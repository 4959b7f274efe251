"""Follows: a user follows another to read their posts in a timeline."""
from __future__ import annotations

import peewee

from lib.utils.datekit import utcnow
from models.db import BaseModel
from models.users import User


class Follow(BaseModel):
    follower = peewee.ForeignKeyField(User, backref='following', on_delete='CASCADE',
                                      index=False)
    followed = peewee.ForeignKeyField(User, backref='followers', on_delete='CASCADE',
                                      index=False)
    created = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = (
            (('follower', 'followed'), True),  # one follow per pair; whom a user follows
            (('followed', 'id'), False),       # a user's followers, in order
            (('created',), False),             # a day's follows: statistics (0022)
        )
