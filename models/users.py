"""Users of MicroPosts: unique usernames (case-insensitively), argon2id password hashes."""
from __future__ import annotations

import re

import peewee

from lib.utils.datekit import utcnow
from models.db import BaseModel

USERNAME = re.compile(r'^[A-Za-z0-9_]{3,30}$')


class User(BaseModel):
    username = peewee.CharField(max_length=30)
    email = peewee.CharField(max_length=254)
    password_hash = peewee.CharField(max_length=255)
    created = peewee.DateTimeField(default=utcnow, index=True)
    notify_mentions = peewee.BooleanField(default=True)  # e-mail them when a post names them

    class Meta:
        table_name = 'users'

    @classmethod
    def by_username(cls, username: str) -> User | None:
        """The user with this username, compared case-insensitively (uses the lower() index);
        None, without a query, for what cannot be a username."""
        if not USERNAME.fullmatch(username):
            return None
        return cls.get_or_none(peewee.fn.LOWER(cls.username) == username.lower())
