"""Pages of a query: `size` rows from page `page` (from 1), and whether more follow."""
from __future__ import annotations

from collections.abc import Callable, Iterable

import peewee


def fetch_page(query: peewee.SelectBase, page: int, size: int,
               represent: Callable[[dict], dict]) -> dict:
    """`{"result": [...], "more": bool}`, reading one row past the page instead of counting."""
    rows = list(query.limit(size + 1).offset((page - 1) * size))
    return page_of(rows, size, represent)


def page_of(rows: Iterable[dict], size: int, represent: Callable[[dict], dict]) -> dict:
    rows = list(rows)
    return {'result': [represent(row) for row in rows[:size]], 'more': len(rows) > size}
