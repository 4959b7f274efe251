"""Search: posts whose text contains a string, case-insensitively, newest first.

Both backends answer from a trigram index: pg_trgm (GIN) on PostgreSQL, FTS5 on SQLite.
"""
from __future__ import annotations

from controllers import represent
from controllers.errors import Invalid
from controllers.micropost_rules import SEARCH_MIN
from controllers.paging import page_of, window
from lib.utils.urlkit import Links
from models.db import is_postgres
from models.microposts import Author, Micropost, MicropostSearch


class SearchController:
    """Pages of posts matching a text, optionally by authors whose username contains a string."""

    def __init__(self, links: Links):
        self.links = links

    def search(self, text: str, username: str | None, page: int, size: int) -> dict:
        if len(text) < SEARCH_MIN:
            raise Invalid('The search text is too short.',
                          {'text': f'at least {SEARCH_MIN} characters'})
        matching = Micropost.select(Micropost.id).where(text_contains(text))
        if username:
            matching = (matching.join(Author, on=(Micropost.user == Author.id))
                        .where(Author.username.contains(username)))
        # The page of ids first, then their authors: no join over every match.
        ids = window(matching.order_by(Micropost.id.desc()), page, size)
        rows = Micropost.listing().where(Micropost.id.in_(ids)).order_by(Micropost.id.desc())
        return page_of(rows, size, lambda row: represent.micropost(self.links, row))


def text_contains(text: str):
    """The condition `micropost.text` contains `text`, ignoring case, answered by the index."""
    if is_postgres():
        return Micropost.text.contains(text)  # ILIKE '%text%': pg_trgm's GIN index
    phrase = '"{}"'.format(text.replace('"', '""'))  # FTS5 trigram phrase: a substring
    return Micropost.id.in_(MicropostSearch.select(MicropostSearch.rowid)
                            .where(MicropostSearch.match(phrase)))
