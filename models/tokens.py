"""Bearer tokens: only the SHA-256 digest of a token is stored, with the time it expires."""
from __future__ import annotations

import peewee

from lib.utils.datekit import utcnow
from models.db import BaseModel
from models.users import User


class Token(BaseModel):
    user = peewee.ForeignKeyField(User, backref='tokens', on_delete='CASCADE')
    digest = peewee.CharField(max_length=64, unique=True)
    created = peewee.DateTimeField(default=utcnow)
    expires = peewee.DateTimeField()
