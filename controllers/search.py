"""Search: posts whose text contains a string, case-insensitively, newest first."""
from __future__ import annotations

from controllers import represent
from controllers.errors import Invalid
from controllers.paging import page_of
from lib.utils.urlkit import Links
from models.microposts import search_page

TEXT_MIN = 3


class SearchController:
    """Pages of posts matching a text, optionally by authors whose username contains a string."""

    def __init__(self, links: Links):
        self.links = links

    def search(self, text: str, username: str | None, page: int, size: int) -> dict:
        if len(text) < TEXT_MIN:
            raise Invalid('The search text is too short.',
                          {'text': f'at least {TEXT_MIN} characters'})
        rows = search_page(text, username, page, size)
        return page_of(rows, size, lambda row: represent.micropost(self.links, row))
