"""Search: posts whose text contains a string, optionally by matching usernames."""
from __future__ import annotations

import bottle

from api.decorators import cache, jsonp
from api.paging import CALLBACK_PARAMETER, envelope, page_of, page_query, paging
from api.schemas import MICROPOST
from api.spec import operation
from api.web import links
from controllers.cache import FEED_SCOPE
from controllers.search import SearchController

app = bottle.Bottle()

SEARCH_QUERY = page_query(
    text={'type': 'string', 'minLength': 3, 'maxLength': 255,
          'description': 'what the text contains, ignoring case: 3 to 255 characters'},
    username={'type': 'string', 'minLength': 1, 'maxLength': 30,
              'description': 'what the author\'s username contains, ignoring case'},
    **CALLBACK_PARAMETER)
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
