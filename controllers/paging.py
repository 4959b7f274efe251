"""Pages of a query: `size` rows from page `page` (from 1), and whether more follow."""
from __future__ import annotations

from collections.abc import Callable, Iterable

import peewee


def window(query: peewee.SelectBase, page: int, size: int) -> peewee.SelectBase:
    """The rows of the page, and one more: it tells whether another page follows."""
    return query.limit(size + 1).offset((page - 1) * size)


def page_of(rows: Iterable[dict], size: int, represent: Callable[[dict], dict]) -> dict:
    """`{"result": [...], "more": bool}` from the rows of `window`."""
    rows = list(rows)
    return {'result': [represent(row) for row in rows[:size]], 'more': len(rows) > size}


def fetch_page(query: peewee.SelectBase, page: int, size: int,
               represent: Callable[[dict], dict]) -> dict:
    return page_of(window(query, page, size), size, represent)
