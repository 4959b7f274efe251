"""Who may use what beyond their own account: roles an operator grants to users (`analyst`: may
use the Analyzer when it is protected), and API keys for programs that call the Analyzer.

An API key is 32 random bytes shown once when made; only its SHA-256 digest is stored, under a
name that says whose program it is, so it can be listed and revoked without being seen again.
"""
from __future__ import annotations

import hashlib
import secrets

from controllers.errors import Conflict, Invalid, NotFound
from controllers.users import find_user
from lib.utils.datekit import isoformat
from models import users as user_store
from models.apikeys import all_keys, create_key, delete_key, name_of
from models.db import Duplicate, transaction

ROLES = ('analyst',)
KEY_NAME_MAX = 64
KEY_PREFIX = 'wak_'  # tells a Warble API key apart from other secrets (in logs, scanners)


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class RoleController:
    """Grants, revokes and tells the roles of users."""

    def grant(self, username: str, role: str) -> bool:
        """Give `role` to the user; whether it is new. Invalid for a role Warble does not know."""
        user = find_user(username)
        check_role(role)
        with transaction():
            return user_store.grant_role(user.id, role)

    def revoke(self, username: str, role: str) -> bool:
        """Take `role` from the user; whether they had it."""
        user = find_user(username)
        check_role(role)
        with transaction():
            return user_store.revoke_role(user.id, role)

    def roles_of(self, user_id: int) -> list[str]:
        return user_store.roles_of(user_id)


def check_role(role: str) -> None:
    if role not in ROLES:
        raise Invalid(f'There is no role {role!r}; roles are: {", ".join(ROLES)}.',
                      {'role': f'one of {", ".join(ROLES)}'})


class ApiKeyController:
    """Makes, lists, revokes and resolves API keys."""

    def create(self, name: str) -> str:
        """A new key named `name`, returned this once (only its digest is kept)."""
        if not name or len(name) > KEY_NAME_MAX or not name.isprintable():
            raise Invalid('The key name is not valid.',
                          {'name': f'1 to {KEY_NAME_MAX} printable characters'})
        raw = KEY_PREFIX + secrets.token_urlsafe(32)
        try:
            with transaction():
                create_key(name, digest(raw))
        except Duplicate:
            raise Conflict(f'There is already a key named {name!r}.', {'name': 'taken'}) from None
        return raw

    def list(self) -> list[dict]:
        """`{"name", "created"}` of every key, oldest first."""
        return [{'name': key['name'], 'created': isoformat(key['created'])} for key in all_keys()]

    def revoke(self, name: str) -> None:
        with transaction():
            deleted = delete_key(name)
        if not deleted:
            raise NotFound(f'There is no key named {name!r}.')

    def resolve(self, raw: str) -> dict | None:
        """`{"api_key": name}` of a valid key, else None."""
        if not raw.startswith(KEY_PREFIX) or len(raw) > 100:
            return None
        name = name_of(digest(raw))
        return None if name is None else {'api_key': name}
