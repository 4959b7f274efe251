"""Pages that follow post ids instead of page numbers: stable while posts are written (no
OFFSET, no post seen twice or skipped), and cheap however deep a reader scrolls."""
from __future__ import annotations

from collections.abc import Callable

from controllers.errors import Invalid

ORDERS = ('oldest', 'newest')


def cursor_of(query: dict, numbered: str) -> tuple[int | None, bool] | None:
    """(cursor, newer) of a page query (`order`, `before`, `after`, `page`) that pages by id;
    None for one that pages by number, in the order `numbered` of those pages. Invalid for
    `before` with `after`, or a page number with paging by id."""
    before, after, order = query.get('before'), query.get('after'), query.get('order', numbered)
    if before is not None and after is not None:
        raise Invalid('Give before or after, not both.', {'after': 'not with before'})
    if before is None and after is None and order == numbered:
        return None
    if 'page' in query:
        raise Invalid(f'Page numbers count {numbered} first; before, after and '
                      f'order={order} page by post id.', {'page': 'not with paging by id'})
    if after is not None:
        return int(after), True
    if before is not None:
        return int(before), False
    return None, order == 'oldest'


def cursor_page(rows: list[dict], size: int, cursor: int | None, newer: bool, order: str,
                represent: Callable[[dict], dict]) -> dict:
    """`{"result", "more", "older", "newer", "order"}` from the rows fetched past `cursor` (a
    page and one more, newer ones oldest first or older ones newest first): the page in
    `order`, whether more follow in that order, and the ids to page on with, `before` one for
    older posts and `after` one for newer (None where nothing is known to be there)."""
    more, rows = len(rows) > size, rows[:size]
    ahead = rows[-1]['id'] if more else None  # past the page, the way it was fetched
    behind = rows[0]['id'] if rows and cursor is not None else None  # back past the cursor
    if (order == 'newest') == newer:
        rows = rows[::-1]
    older, newest = (behind, ahead) if newer else (ahead, behind)
    return {'result': [represent(row) for row in rows], 'more': (older if order == 'newest'
                                                               else newest) is not None,
            'older': older, 'newer': newest, 'order': order}
