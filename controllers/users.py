"""Accounts: creating users, checking their passwords, showing their public profiles."""
from __future__ import annotations

import re

import peewee
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from controllers import represent
from controllers.errors import Conflict, Invalid, NotFound
from lib.config import Section
from lib.utils.datekit import isoformat
from lib.utils.urlkit import Links
from models.db import database
from models.users import USERNAME, User

# Dot-separated domain labels: unambiguous, so a failing match backtracks in linear time.
EMAIL = re.compile(r'^[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+$')
EMAIL_MAX = 254
PASSWORD_MIN = 8
hasher = PasswordHasher()  # argon2id; its cost comes from the `passwords` settings


def configure(passwords: Section) -> None:
    """Hash new passwords with the argon2id cost of the settings (checks read it from the hash)."""
    global hasher
    hasher = PasswordHasher(time_cost=passwords.time_cost, memory_cost=passwords.memory_kib,
                            parallelism=passwords.parallelism)


class UserController:
    """Creates users, verifies credentials and shows public profiles (with `links`)."""

    def __init__(self, links: Links | None = None):
        self.links = links

    def create(self, username: str, email: str, password: str) -> dict:
        """Create a user; the account as a dict with its id and e-mail."""
        return as_dict(self._create(username, email, password))

    def register(self, username: str, email: str, password: str) -> dict:
        """Create a user; the public profile."""
        user = self._create(username, email, password)
        return represent.user(self.links, user.username, user.created)

    def profile(self, username: str, viewer: dict | None = None) -> dict:
        """The public profile; to the user themself (`viewer`), with their own settings too."""
        user = find_user(username)
        if viewer is not None and viewer['id'] == user.id:
            return own_profile(self.links, user)
        return represent.user(self.links, user.username, user.created)

    def change(self, caller: dict, changes: dict) -> dict:
        """Change `caller`'s own settings (`notify_mentions`); their profile as they see it."""
        with database.atomic():
            User.update(notify_mentions=changes['notify_mentions']).where(
                User.id == caller['id']).execute()
        return own_profile(self.links, User.get_by_id(caller['id']))

    def _create(self, username: str, email: str, password: str) -> User:
        fields = {}
        if not USERNAME.fullmatch(username or ''):
            fields['username'] = '3 to 30 letters, digits or underscores'
        if len(email or '') > EMAIL_MAX or not EMAIL.fullmatch(email or ''):
            fields['email'] = 'a valid e-mail address'
        if len(password or '') < PASSWORD_MIN:
            fields['password'] = f'at least {PASSWORD_MIN} characters'
        if fields:
            raise Invalid('The user is not valid.', fields)
        password_hash = hasher.hash(password)
        try:
            with database.atomic():
                if User.by_username(username):
                    raise peewee.IntegrityError('username taken')
                user = User.create(username=username, email=email, password_hash=password_hash)
        except peewee.IntegrityError:
            raise Conflict(f'The username {username!r} is taken.',
                           {'username': 'already taken'}) from None
        return user

    def authenticate(self, username: str, password: str) -> dict | None:
        """The user when the password matches, else None."""
        user = User.by_username(username)
        if user is None:
            hasher.hash(password)  # same work either way: timing does not reveal usernames
            return None
        try:
            hasher.verify(user.password_hash, password)
        except (VerificationError, InvalidHashError):
            return None
        return as_dict(user)


def find_user(username: str) -> User:
    """The user with this username (any case), or NotFound."""
    user = User.by_username(username)
    if user is None:
        raise NotFound(f'There is no user {username!r}.')
    return user


def own_profile(links: Links, user: User) -> dict:
    return represent.user(links, user.username, user.created,
                          notify_mentions=user.notify_mentions)


def as_dict(user: User) -> dict:
    return {'id': user.id, 'username': user.username, 'email': user.email,
            'created': isoformat(user.created)}
