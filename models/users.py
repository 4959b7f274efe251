"""Users of MicroPosts: unique usernames (case-insensitively, and by the key shared by names that
look alike), argon2id password hashes, and the roles an operator gave them."""
from __future__ import annotations

import peewee

from lib.utils.datekit import utcnow
from models.db import BaseModel


class User(BaseModel):
    username = peewee.CharField(max_length=30)
    username_key = peewee.CharField(max_length=90, null=True)  # unique: lib.utils.confusables
    email = peewee.CharField(max_length=254)
    password_hash = peewee.CharField(max_length=255)
    created = peewee.DateTimeField(default=utcnow, index=True)
    notify_mentions = peewee.BooleanField(default=True)  # e-mail them when a post names them

    class Meta:
        table_name = 'users'

    @classmethod
    def by_username(cls, username: str) -> User | None:
        """The user with this username, compared case-insensitively (uses the lower() index)."""
        return cls.get_or_none(peewee.fn.LOWER(cls.username) == username.lower())

    @classmethod
    def key_taken(cls, username: str, key: str) -> bool:
        """Whether a user has this username (any case) or this username key."""
        return cls.select().where((peewee.fn.LOWER(cls.username) == username.lower())
                                  | (cls.username_key == key)).exists()


class UserRole(BaseModel):
    """A role given to a user (`analyst`)."""

    user = peewee.ForeignKeyField(User, backref='roles', on_delete='CASCADE')
    role = peewee.CharField(max_length=32)

    class Meta:
        table_name = 'user_role'
        indexes = ((('user', 'role'), True),)

    @classmethod
    def of(cls, user_id: int) -> list[str]:
        """The roles of a user, sorted."""
        return [row.role for row in cls.select(cls.role).where(cls.user == user_id)
                .order_by(cls.role)]

    @classmethod
    def grant(cls, user_id: int, role: str) -> bool:
        """Give a role; whether it is new."""
        return cls.insert(user=user_id, role=role).on_conflict_ignore().as_rowcount().execute() > 0

    @classmethod
    def revoke(cls, user_id: int, role: str) -> bool:
        """Take a role back; whether the user had it."""
        return cls.delete().where(cls.user == user_id, cls.role == role).execute() > 0
