"""Pages of rows: `size` rows from page `page` (from 1), and whether more follow."""
from __future__ import annotations

from collections.abc import Callable, Iterable


def page_of(rows: Iterable[dict], size: int, represent: Callable[[dict], dict]) -> dict:
    """`{"result": [...], "more": bool}` from the rows of a page and one more, as the stores
    read them (`models.db.window`)."""
    rows = list(rows)
    return {'result': [represent(row) for row in rows[:size]], 'more': len(rows) > size}
