"""Daily statistics of MicroPosts: one row per UTC day, replaced when the day is computed again."""
from __future__ import annotations

import datetime as dt
import json

import peewee

from lib.utils.datekit import utcnow
from models.db import BaseModel
from models.follows import Follow
from models.microposts import Micropost
from models.users import User


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


def counts(start: dt.datetime, end: dt.datetime, top: int) -> dict:
    """What happened from `start` to `end`: new users, posts, authors of posts and follows,
    and the `top` users most posts referenced (`{"username", "references"}`, most first, ties
    by name)."""
    posts = Micropost.select().where(Micropost.created >= start, Micropost.created < end)
    return {
        'new_users': User.select().where(User.created >= start, User.created < end).count(),
        'new_posts': posts.count(),
        'active_authors': posts.select(peewee.fn.COUNT(Micropost.user.distinct())).scalar(),
        'new_follows': Follow.select().where(Follow.created >= start,
                                             Follow.created < end).count(),
        'top_referenced': most_referenced(start, end, top),
    }


def most_referenced(start: dt.datetime, end: dt.datetime, top: int) -> list[dict]:
    """The `top` users most posts of the period reference, most first (ties by name)."""
    references = peewee.fn.COUNT(Micropost.id)
    query = (User.select(User.username, references.alias('references'))
             .join(Micropost, on=(Micropost.referenced == User.id))
             .where(Micropost.created >= start, Micropost.created < end)
             .group_by(User.id, User.username)
             .order_by(references.desc(), peewee.fn.LOWER(User.username))
             .limit(top))
    return list(query.dicts())


def store_day(row: dict) -> None:
    """Store the statistics of `row["day"]`, replacing what was stored for it."""
    (DailyStats.insert(row)
     .on_conflict(conflict_target=[DailyStats.day],
                  update={field: row[name] for name, field in
                          DailyStats._meta.fields.items() if name != 'day'})
     .execute())


def days(first: dt.date, last: dt.date) -> list[dict]:
    """The stored days from `first` to `last`, in order."""
    return list(DailyStats.select()
                .where(DailyStats.day >= first, DailyStats.day <= last)
                .order_by(DailyStats.day).dicts())
