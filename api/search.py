"""Search: posts whose text contains a string, optionally by matching usernames."""
from __future__ import annotations

import bottle

from api.decorators import cache, jsonp
from api.paging import CALLBACK_PARAMETER, envelope, page_of, page_query, paging
from api.schemas import MICROPOST
from api.spec import operation
from api.web import links
from controllers.cache import FEED_SCOPE
from controllers.micropost_rules import SEARCH_TEXT, SEARCH_USERNAME
from controllers.search import SearchController

app = bottle.Bottle()

SEARCH_QUERY = page_query(text=SEARCH_TEXT, username=SEARCH_USERNAME, **CALLBACK_PARAMETER)
SEARCH_QUERY['required'] = ['text']


@app.get('/api/v1/search')
@jsonp
@cache(FEED_SCOPE)
@operation('Posts whose text contains a string, newest first', tags=('search',),
           query=SEARCH_QUERY, responses={200: page_of(MICROPOST), 400: None})
def search(query: dict) -> dict:
    found = SearchController(links()).search(query['text'], query.get('username'),
                                             *paging(query))
    return envelope(found, query)
