"""Accounts: creating users and checking their passwords."""
from __future__ import annotations

import re

import peewee
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from controllers.errors import Conflict, Invalid
from lib.utils.datekit import isoformat
from models.db import database
from models.users import User

USERNAME = re.compile(r'^[A-Za-z0-9_]{3,30}$')
EMAIL = re.compile(r'^[^@\s]+@[^@\s]+\.[^@\s]+$')
PASSWORD_MIN = 8
hasher = PasswordHasher()  # argon2id with the library's recommended cost


class UserController:
    """Creates users and verifies credentials."""

    def create(self, username: str, email: str, password: str) -> dict:
        fields = {}
        if not USERNAME.match(username or ''):
            fields['username'] = '3 to 30 letters, digits or underscores'
        if not EMAIL.match(email or '') or len(email) > 254:
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
        return as_dict(user)

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


def as_dict(user: User) -> dict:
    return {'id': user.id, 'username': user.username, 'email': user.email,
            'created': isoformat(user.created)}
