"""MicroPosts pages: the `page` and `size` query, the `{"next", "previous", "result"}` answer."""
from __future__ import annotations

from urllib.parse import urlencode

import bottle

from api.decorators import CALLBACK
from api.web import base_url
from controllers.micropost_rules import PAGE_PARAMETERS, SIZE_DEFAULT

CALLBACK_PARAMETER = {
    'callback': {'type': 'string', 'pattern': CALLBACK.pattern,
                 'description': 'JSONP: answer as JavaScript calling this function'},
}
LINK = {'type': ['string', 'null'], 'format': 'uri'}


def page_query(**parameters: dict) -> dict:
    """The query schema of a page: `page`, `size` and `parameters`; nothing else."""
    return {'type': 'object', 'properties': {**PAGE_PARAMETERS, **parameters},
            'additionalProperties': False}


def page_of(item: dict) -> dict:
    """The schema of a page of `item`s."""
    return {'type': 'object', 'required': ['next', 'previous', 'result'],
            'additionalProperties': False,
            'properties': {'next': LINK, 'previous': LINK,
                           'result': {'type': 'array', 'items': item}}}


def paging(query: dict) -> tuple[int, int]:
    """(page, size) from a validated page query."""
    return query.get('page', 1), query.get('size', SIZE_DEFAULT)


def envelope(found: dict, query: dict) -> dict:
    """A controller's `{"result", "more"}` as a page with links to its neighbours (one paged
    by post id: see `cursor_envelope`)."""
    if 'order' in found:
        return cursor_envelope(found, query)
    page, _size = paging(query)
    return {'next': page_link(query, page + 1) if found['more'] else None,
            'previous': page_link(query, page - 1) if page > 1 else None,
            'result': found['result']}


def cursor_envelope(found: dict, query: dict) -> dict:
    """A controller's `{"result", "older", "newer", "order"}` as a page with links to its
    neighbours: `next` goes on in its order, `previous` back."""
    older = {'before': str(found['older'])} if found['older'] is not None else None
    newer = {'after': str(found['newer'])} if found['newer'] is not None else None
    ahead, back = (older, newer) if found['order'] == 'newest' else (newer, older)
    return {'next': ahead and cursor_link(query, ahead),
            'previous': back and cursor_link(query, back), 'result': found['result']}


def cursor_link(query: dict, cursor: dict) -> str:
    """This request's URL past `cursor` (`before` or `after`), as `page_link` writes it."""
    kept = {name: value for name, value in query.items() if name not in ('before', 'after')}
    kept.update(cursor)
    return page_link(kept, None)


def page_link(query: dict, page: int | None) -> str:
    """This request's URL at `page`, from its validated query (so that the link is the same
    for every request the page cache answers alike): the other parameters by name, then `size`
    unless it is the default, then `page`; never the JSONP callback."""
    kept = sorted((name, value) for name, value in query.items()
                  if name not in ('page', 'size', 'callback'))
    size = query.get('size', SIZE_DEFAULT)
    if size != SIZE_DEFAULT:
        kept.append(('size', size))
    if page is not None:
        kept.append(('page', page))
    path = bottle.request.urlparts.path
    return f'{base_url()}{path}?{urlencode(kept)}'
