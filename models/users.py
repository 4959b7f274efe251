"""Users of MicroPosts: unique usernames (case-insensitively, and by the key shared by names that
look alike), argon2id password hashes, and the roles an operator gave them."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import peewee

from lib.utils.datekit import utcnow
from models.db import BaseModel, Duplicate


class User(BaseModel):
    username = peewee.TextField()  # sizes of input columns: see models/db.py
    username_key = peewee.CharField(max_length=90, null=True)  # unique: lib.utils.confusables
    email = peewee.TextField()
    password_hash = peewee.TextField()
    created = peewee.DateTimeField(default=utcnow, index=True)
    notify_mentions = peewee.BooleanField(default=True)  # e-mail them when a post names them
    display_name = peewee.TextField(null=True)  # profile (0031): written by the user
    bio = peewee.TextField(null=True)
    avatar = peewee.CharField(max_length=16, null=True)  # version of their pictures (0031)

    class Meta:
        table_name = 'users'

    @classmethod
    def by_username(cls, username: str) -> User | None:
        """The user with this username, compared case-insensitively (uses the lower() index)."""
        return cls.get_or_none(peewee.fn.LOWER(cls.username) == username.lower())


class UserRole(BaseModel):
    """A role given to a user (`analyst`)."""

    user = peewee.ForeignKeyField(User, backref='roles', on_delete='CASCADE')
    role = peewee.CharField(max_length=32)

    class Meta:
        table_name = 'user_role'
        indexes = ((('user', 'role'), True),)


@dataclass(frozen=True)
class UserRecord:
    """A user as the store hands it out; the password hash is there to check a password."""

    id: int
    username: str
    email: str
    created: dt.datetime
    notify_mentions: bool
    password_hash: str = field(repr=False)
    display_name: str | None = None
    bio: str | None = None
    avatar: str | None = None

    @property
    def profile(self) -> dict:
        """`{"display_name", "bio", "avatar"}`: what the user wrote about themself."""
        return {'display_name': self.display_name, 'bio': self.bio, 'avatar': self.avatar}


def _record(user: User) -> UserRecord:
    return UserRecord(id=user.id, username=user.username, email=user.email, created=user.created,
                      notify_mentions=user.notify_mentions, password_hash=user.password_hash,
                      display_name=user.display_name, bio=user.bio, avatar=user.avatar)


def find_by_username(username: str) -> UserRecord | None:
    """The user with this username, compared case-insensitively; None when there is none."""
    user = User.by_username(username)
    return None if user is None else _record(user)


def find_by_usernames(usernames: list[str]) -> list[UserRecord]:
    """The users with these usernames (any case), in one query; those missing are left out."""
    lowered = [username.lower() for username in usernames]
    found = User.select().where(peewee.fn.LOWER(User.username).in_(lowered))
    return [_record(user) for user in found]


def find_by_id(user_id: int) -> UserRecord:
    return _record(User.get_by_id(user_id))


def key_taken(username: str, key: str) -> bool:
    """Whether a user has this username (any case) or this username key."""
    return User.select().where((peewee.fn.LOWER(User.username) == username.lower())
                               | (User.username_key == key)).exists()


def create_user(username: str, key: str, email: str, password_hash: str) -> UserRecord:
    """A new user; Duplicate when the username or its key is taken."""
    try:
        user = User.create(username=username, username_key=key, email=email,
                           password_hash=password_hash)
    except peewee.IntegrityError:
        raise Duplicate(username) from None
    return _record(user)


def find_by_email(email: str) -> list[UserRecord]:
    """The users with this e-mail address, compared case-insensitively (the lower() index)."""
    return [_record(user) for user in
            User.select().where(peewee.fn.LOWER(User.email) == email.lower()).order_by(User.id)]


def email_taken(email: str, other_than: int) -> bool:
    """Whether a user other than `other_than` has this e-mail address (any case)."""
    return User.select().where(peewee.fn.LOWER(User.email) == email.lower(),
                               User.id != other_than).exists()


def set_email(user_id: int, email: str) -> None:
    User.update(email=email).where(User.id == user_id).execute()


def set_password_hash(user_id: int, password_hash: str) -> None:
    User.update(password_hash=password_hash).where(User.id == user_id).execute()


def delete_user(user_id: int) -> bool:
    """Delete a user; every row that belongs to them goes by its ON DELETE CASCADE. Whether
    there was one."""
    return User.delete().where(User.id == user_id).execute() == 1


def set_notify_mentions(user_id: int, notify: bool) -> None:
    User.update(notify_mentions=notify).where(User.id == user_id).execute()


def create_many(users: list[dict]) -> None:
    """Insert users `{"username", "username_key", "email", "password_hash"}`, leaving out any
    whose username or key is taken."""
    User.insert_many(users).on_conflict_ignore().execute()


def usernames_among(names: list[str]) -> list[str]:
    """Those of `names` that are usernames (exactly), in the order the users were made."""
    return [user.username for user in
            User.select(User.username).where(User.username.in_(names)).order_by(User.id)]


def ids_of(usernames: list[str]) -> list[int]:
    return [user.id for user in User.select(User.id).where(User.username.in_(usernames))]


def usernames_of(user_ids: set[int]) -> list[str]:
    return [user.username for user in User.select(User.username).where(User.id.in_(user_ids))]


def with_username_prefix(prefix: str) -> list[dict]:
    """`{"id", "username", "email"}` of the users whose username starts with `prefix`."""
    return list(User.select(User.id, User.username, User.email)
                .where(User.username.startswith(prefix)).dicts())


def roles_of(user_id: int) -> list[str]:
    """The roles of a user, sorted."""
    return [row.role for row in UserRole.select(UserRole.role).where(UserRole.user == user_id)
            .order_by(UserRole.role)]


def grant_role(user_id: int, role: str) -> bool:
    """Give a role; whether it is new."""
    return (UserRole.insert(user=user_id, role=role).on_conflict_ignore().as_rowcount()
            .execute()) > 0


def revoke_role(user_id: int, role: str) -> bool:
    """Take a role back; whether the user had it."""
    return UserRole.delete().where(UserRole.user == user_id, UserRole.role == role).execute() > 0
