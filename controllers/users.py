"""Accounts: creating users, checking their passwords, showing their public profiles.

Sign-up checks everything cheap (sizes, the address's sign-up budget, the username and its
look-alikes, how guessable the password is) before the costly argon2id hash."""
from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from controllers import limits, represent
from controllers.cache import FEED_SCOPE, PEOPLE_SCOPE, CacheController, user_scope
from controllers.credentials import password_problem, username_key
from controllers.errors import Conflict, Invalid, NotFound
from controllers.micropost_rules import EMAIL, EMAIL_MAX, USERNAME, is_username
from controllers.profiles import profile_changes
from lib.config import Section
from lib.utils.datekit import isoformat
from lib.utils.urlkit import Links
from models.db import Duplicate, transaction
from models.profiles import counts_of, set_profile
from models.users import (
    UserRecord,
    create_user,
    find_by_id,
    find_by_username,
    find_by_usernames,
    key_taken,
    roles_of,
    set_notify_mentions,
)

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

    def register(self, username: str, email: str, password: str, client: str) -> dict:
        """Sign up from the address `client` (within its sign-up budget); the public profile."""
        limits.take_signup(client)
        user = self._create(username, email, password)
        return represent.user(self.links, user.username, user.created)

    def profile(self, username: str, viewer: dict | None = None) -> dict:
        """The public profile with its counts (followers, following, posts: see
        `models.profiles.counts_of`); to the user themself (`viewer`), with their own settings
        too."""
        user = find_user(username)
        counts = counts_of(user.id)
        if viewer is not None and viewer['id'] == user.id:
            return {**own_profile(self.links, user), **counts}
        return represent.user(self.links, user.username, user.created, user.profile, **counts)

    def profiles(self, usernames: list[str]) -> dict[str, dict]:
        """The public profiles of these users in one query, keyed by lower-cased username;
        what cannot be a username, or names nobody, is left out."""
        named = [username for username in usernames if is_username(username)]
        found = find_by_usernames(named) if named else []
        return {user.username.lower(): represent.user(self.links, user.username, user.created,
                                                      user.profile)
                for user in found}

    def change(self, caller: dict, changes: dict) -> dict:
        """Change `caller`'s own settings (`notify_mentions`) and what they show of themself
        (`display_name`, `bio`: see `controllers.profiles`), all or nothing; their profile as
        they see it."""
        profile = profile_changes(changes)
        with transaction():
            if 'notify_mentions' in changes:
                set_notify_mentions(caller['id'], changes['notify_mentions'])
            if profile:
                set_profile(caller['id'], profile)
        if profile:  # shown on their pages, beside their posts, in lists of people
            CacheController().invalidate(user_scope(caller['username']), FEED_SCOPE,
                                         PEOPLE_SCOPE)
        return own_profile(self.links, find_by_id(caller['id']))

    def _create(self, username: str, email: str, password: str) -> UserRecord:
        fields = {}
        if not is_username(username):
            fields['username'] = USERNAME['description']
        if len(email or '') > EMAIL_MAX or not EMAIL.fullmatch(email or ''):
            fields['email'] = 'a valid e-mail address'
        problem = password_problem(password or '', username or '', email or '')
        if problem:
            fields['password'] = problem
        if fields:
            raise Invalid('The user is not valid.', fields)
        key = username_key(username)
        if key_taken(username, key):
            raise taken(username)
        password_hash = hasher.hash(password)
        try:
            with transaction():
                user = create_user(username, key, email, password_hash)
        except Duplicate:  # taken in the meantime
            raise taken(username) from None
        CacheController().invalidate(PEOPLE_SCOPE)  # found by people search from now on
        return user

    def authenticate(self, username: str, password: str) -> dict | None:
        """The user when the password matches, else None."""
        user = user_named(username)
        if user is None:
            hasher.hash(password)  # same work either way: timing does not reveal usernames
            return None
        try:
            hasher.verify(user.password_hash, password)
        except (VerificationError, InvalidHashError):
            return None
        return as_dict(user)


def user_named(username: str | None) -> UserRecord | None:
    """The user with this username (any case); None, without asking the store, for what
    cannot be a username."""
    return find_by_username(username) if is_username(username) else None


def find_user(username: str) -> UserRecord:
    """The user with this username (any case), or NotFound."""
    user = user_named(username)
    if user is None:
        raise NotFound(f'There is no user {username!r}.')
    return user


def taken(username: str) -> Conflict:
    return Conflict(f'The username {username!r} is taken, or looks like one that is.',
                    {'username': 'already taken'})


def own_profile(links: Links, user: UserRecord) -> dict:
    return represent.user(links, user.username, user.created, user.profile,
                          notify_mentions=user.notify_mentions, roles=roles_of(user.id))


def as_dict(user: UserRecord) -> dict:
    return {'id': user.id, 'username': user.username, 'email': user.email,
            'created': isoformat(user.created)}
