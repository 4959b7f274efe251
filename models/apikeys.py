"""API keys of programs that call the Analyzer: a name, and the SHA-256 digest of the key."""
from __future__ import annotations

import peewee

from lib.utils.datekit import utcnow
from models.db import BaseModel


class ApiKey(BaseModel):
    name = peewee.CharField(max_length=64, unique=True)
    digest = peewee.CharField(max_length=64, unique=True)
    created = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = 'api_key'
