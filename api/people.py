"""People search: users found by (part of) their username or display name."""
from __future__ import annotations

import bottle

from api.decorators import cache, jsonp
from api.paging import CALLBACK_PARAMETER, envelope, page_of, page_query, paging
from api.schemas import USER
from api.spec import operation
from api.web import links
from controllers.cache import PEOPLE_SCOPE
from controllers.profile_rules import PEOPLE_NAME
from controllers.profiles import PeopleController

app = bottle.Bottle()

PEOPLE_QUERY = page_query(name=PEOPLE_NAME, **CALLBACK_PARAMETER)
PEOPLE_QUERY['required'] = ['name']


@app.get('/api/v1/users')
@jsonp
@cache(PEOPLE_SCOPE)
@operation('People whose username or display name contains a name: the username itself '
           'first, then names starting with it, then the others', tags=('users',),
           query=PEOPLE_QUERY, responses={200: page_of(USER), 400: None})
def search_people(query: dict) -> dict:
    return envelope(PeopleController(links()).search(query['name'], *paging(query)), query)
