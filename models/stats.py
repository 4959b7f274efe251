"""Daily statistics of MicroPosts: one row per UTC day, replaced when the day is computed again."""
from __future__ import annotations

import json

import peewee

from lib.utils.datekit import utcnow
from models.db import BaseModel


class JSONText(peewee.TextField):
    """A JSON value kept as text, the same on SQLite and PostgreSQL."""

    def db_value(self, value):
        return None if value is None else json.dumps(value)

    def python_value(self, value):
        return None if value is None else json.loads(value)


class DailyStats(BaseModel):
    day = peewee.DateField(primary_key=True)
    new_users = peewee.IntegerField()
    new_posts = peewee.IntegerField()
    active_authors = peewee.IntegerField()
    new_follows = peewee.IntegerField()
    top_referenced = JSONText()  # [{"username", "references"}], most referenced first
    computed = peewee.DateTimeField(default=utcnow)
