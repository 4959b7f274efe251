"""API keys of programs that call the Analyzer: a name, and the SHA-256 digest of the key."""
from __future__ import annotations

import peewee

from lib.utils.datekit import utcnow
from models.db import BaseModel, Duplicate


class ApiKey(BaseModel):
    name = peewee.CharField(max_length=64, unique=True)
    digest = peewee.CharField(max_length=64, unique=True)
    created = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = 'api_key'


def create_key(name: str, digest: str) -> None:
    """Keep a new key's digest under `name`; Duplicate when the name is taken."""
    try:
        ApiKey.create(name=name, digest=digest)
    except peewee.IntegrityError:
        raise Duplicate(name) from None


def all_keys() -> list[dict]:
    """`{"name", "created"}` of every key, oldest first."""
    return list(ApiKey.select(ApiKey.name, ApiKey.created).order_by(ApiKey.id).dicts())


def delete_key(name: str) -> bool:
    """Forget the key named `name`; whether there was one."""
    return ApiKey.delete().where(ApiKey.name == name).execute() > 0


def name_of(digest: str) -> str | None:
    """The name of the key with this digest, if there is one."""
    key = ApiKey.get_or_none(ApiKey.digest == digest)
    return None if key is None else key.name
