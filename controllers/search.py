"""Search: posts whose text contains a string, case-insensitively, newest first."""
from __future__ import annotations

from controllers import represent
from controllers.errors import Invalid
from controllers.micropost_rules import SEARCH_MIN
from controllers.paging import page_of
from controllers.reads import replica_read
from lib.utils.urlkit import Links
from models.microposts import search_page


class SearchController:
    """Pages of posts matching a text, optionally by authors whose username contains a string."""

    def __init__(self, links: Links):
        self.links = links

    @replica_read
    def search(self, text: str, username: str | None, page: int, size: int) -> dict:
        if len(text) < SEARCH_MIN:
            raise Invalid('The search text is too short.',
                          {'text': f'at least {SEARCH_MIN} characters'})
        rows = search_page(text, username, page, size)
        return page_of(rows, size, lambda row: represent.micropost(self.links, row))
