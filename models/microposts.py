"""Microposts: short texts by a user, optionally addressed to another user; their search index."""
from __future__ import annotations

import peewee
from playhouse.sqlite_ext import FTS5Model, SearchField

from lib.utils.datekit import utcnow
from models import ids
from models.db import BaseModel, database, is_postgres, window, window_bounds
from models.follows import Follow
from models.statements import Slot, Statement
from models.users import User

Author = User.alias('author')
Referenced = User.alias('referenced_user')


class Micropost(BaseModel):
    id = ids.primary_key()
    user = peewee.ForeignKeyField(User, backref='microposts', on_delete='CASCADE', index=False)
    text = peewee.TextField()  # sizes of input columns: see models/db.py
    referenced = peewee.ForeignKeyField(User, backref='mentions', null=True,
                                        on_delete='SET NULL')
    created = peewee.DateTimeField(default=utcnow)
    edited = peewee.DateTimeField(null=True)  # when text or addressee last changed (0028)
    fanned_out = peewee.BooleanField(default=False)  # in its followers' feeds (0029)

    class Meta:
        indexes = (
            (('user', 'id'), False),  # a user's posts in order: their collection
            (('id', 'user'), False),  # posts in order with their author: timelines (0006)
            (('created', 'user'), False),  # a day's posts and authors: statistics (0022)
        )

    @classmethod
    def listing(cls) -> peewee.ModelSelect:
        """Posts as dicts with their author's username, display name and avatar version and
        the referenced user's username, in one query."""
        return (cls.select(cls.id, cls.text, cls.created, cls.edited,
                           Author.username.alias('username'),
                           Author.display_name.alias('display_name'),
                           Author.avatar.alias('avatar'),
                           Referenced.username.alias('referenced_username'))
                .join(Author, on=(cls.user == Author.id))
                .switch(cls)
                .join(Referenced, peewee.JOIN.LEFT_OUTER, on=(cls.referenced == Referenced.id))
                .dicts())


class MicropostSearch(FTS5Model):
    """SQLite only: the FTS5 trigram index of micropost texts, kept in sync by triggers.

    PostgreSQL searches `micropost.text` itself through a pg_trgm GIN index instead."""

    text = SearchField()

    class Meta:
        database = database
        table_name = 'micropost_search'


def timeline_page(follower_id: int, page: int, size: int) -> list[dict]:
    """Posts of the users `follower_id` follows, oldest first, as `Micropost.listing()` rows: a
    page and one more row (see `window`)."""
    followed = Follow.select(Follow.followed).where(Follow.follower == follower_id)
    # The page of ids first, from the (id, user_id) index alone; then those posts in full.
    ids = window(Micropost.select(Micropost.id).where(Micropost.user.in_(followed))
                 .order_by(Micropost.id), page, size)
    return list(Micropost.listing().where(Micropost.id.in_(ids)).order_by(Micropost.id))


def search_page(text: str, username: str | None, page: int, size: int) -> list[dict]:
    """Posts whose text contains `text` (ignoring case), newest first, as `Micropost.listing()`
    rows; with `username`, only by authors whose username contains it. A page and one more row
    (see `window`). Both backends answer from a trigram index: pg_trgm (GIN) on PostgreSQL,
    FTS5 on SQLite."""
    matching = Micropost.select(Micropost.id).where(_text_contains(text))
    if username:
        matching = (matching.join(Author, on=(Micropost.user == Author.id))
                    .where(Author.username.contains(username)))
    # The page of ids first, then their authors: no join over every match.
    ids = window(matching.order_by(Micropost.id.desc()), page, size)
    return list(Micropost.listing().where(Micropost.id.in_(ids)).order_by(Micropost.id.desc()))


def _text_contains(text: str) -> peewee.Expression:
    """The condition `micropost.text` contains `text`, ignoring case, answered by the index."""
    if is_postgres():
        return Micropost.text.contains(text)  # ILIKE '%text%': pg_trgm's GIN index
    phrase = '"{}"'.format(text.replace('"', '""'))  # FTS5 trigram phrase: a substring
    return Micropost.id.in_(MicropostSearch.select(MicropostSearch.rowid)
                            .where(MicropostSearch.match(phrase)))


# Pages, single posts and writes of the MicroPosts controller, as dicts.

NEWEST = Statement(lambda: Micropost.listing().order_by(Micropost.id.desc())
                   .limit(Slot('limit')).offset(Slot('offset')))
NEWEST_BY = Statement(lambda: Micropost.listing().where(_named(Slot('author')))
                      .order_by(Micropost.id.desc()).limit(Slot('limit')).offset(Slot('offset')))
LISTED = Statement(lambda: Micropost.listing().where(Micropost.id == Slot('id'),
                                                     _named(Slot('author'))).limit(1))
INSERT = Statement(lambda: Micropost.insert(id=Slot('id'), user=Slot('user'),
                                            text=Slot('text'), referenced=Slot('referenced'),
                                            created=Slot('created'), fanned_out=False))


def newest(page: int, size: int, author: str | None = None) -> list[dict]:
    """`Micropost.listing` rows newest first, every post or only those of the user named
    `author` (any case): a page and one more row (see `window`)."""
    if author is None:
        return list(NEWEST.rows(**window_bounds(page, size)))
    return list(NEWEST_BY.rows(author=author.lower(), **window_bounds(page, size)))


def past(cursor: int | None, newer: bool, count: int, author: str | None = None) -> list[dict]:
    """Up to `count` `Micropost.listing` rows past the post `cursor` (from the newest without
    one): newer ones oldest first, or older ones newest first; every post, or only those of the
    user named `author` (any case)."""
    query = Micropost.listing()
    if author is not None:
        query = query.where(_named(author.lower()))
    if cursor is not None:
        query = query.where(Micropost.id > cursor if newer else Micropost.id < cursor)
    return list(query.order_by(Micropost.id.asc() if newer else Micropost.id.desc())
                .limit(count))


def listed_post(author: str, post_id: int) -> dict | None:
    """One post of the user named `author` (any case) as a `Micropost.listing` row, or None."""
    return LISTED.first(id=post_id, author=author.lower())


def _named(author: Slot) -> peewee.Expression:
    """The post's author is named `author` (lower-cased): the users' lower() index."""
    return peewee.fn.LOWER(Author.username) == author


def create_post(author_id: int, text: str, referenced: int | None) -> dict:
    """Write a post; `{"id", "text", "created", "edited"}` as stored."""
    post_id, created = ids.next_id(), utcnow()
    INSERT.insert(id=post_id, user=author_id, text=text, referenced=referenced, created=created)
    return {'id': post_id, 'text': text, 'created': created, 'edited': None}


def create_posts(rows: list[dict], fan_out: bool = True) -> None:
    """Write posts `{"user", "text", "referenced", "created"}` in one statement; without
    `fan_out`, marked as in their followers' feeds already."""
    Micropost.insert_many([dict(row, fanned_out=not fan_out) for row in rows]).execute()


def post_of(author_id: int, post_id: int) -> dict | None:
    """`{"id", "text", "referenced"}` of one post of `author_id`, or None."""
    return (Micropost.select(Micropost.id, Micropost.text, Micropost.referenced)
            .where(Micropost.id == post_id, Micropost.user == author_id).dicts().first())


def save_post(post_id: int, text: str, referenced: int | None) -> None:
    """Change a post's text and addressee, marking it edited now."""
    (Micropost.update(text=text, referenced=referenced, edited=utcnow())
     .where(Micropost.id == post_id).execute())


def delete_post(author_id: int, post_id: int) -> bool:
    """Delete one post of `author_id`; whether there was one."""
    return bool(Micropost.delete()
                .where(Micropost.id == post_id, Micropost.user == author_id).execute())
