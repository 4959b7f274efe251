"""Microposts: a user's collection, single posts, and the public feed."""
from __future__ import annotations

import bottle

from api.decorators import auth, cache, jsonp
from api.paging import (
    CALLBACK_PARAMETER,
    envelope,
    page_of,
    page_query,
)
from api.schemas import MICROPOST
from api.spec import operation
from api.web import links
from controllers.cache import FEED_SCOPE, USER_SCOPE
from controllers.micropost_rules import CURSOR_PARAMETERS, NEW_POST, POST_CHANGES
from controllers.microposts import MicropostController

app = bottle.Bottle()

COLLECTION = '/api/v1/users/<username>/collection'
ITEM = '/api/v1/users/<username>/collection/<post_id:int>'
PAGE_QUERY = page_query(**CALLBACK_PARAMETER, **CURSOR_PARAMETERS)
ITEM_QUERY = {'type': 'object', 'properties': CALLBACK_PARAMETER, 'additionalProperties': False}
OWNER_ERRORS = {400: None, 401: None, 403: None, 404: None}


@app.get('/api/v1/microposts')
@jsonp
@cache(FEED_SCOPE)
@operation('The public feed: every post, newest first by page number, or by post id '
           '(`before`, `after`) in either `order`', tags=('microposts',),
           query=PAGE_QUERY, responses={200: page_of(MICROPOST), 400: None})
def list_microposts(query: dict) -> dict:
    return envelope(MicropostController(links()).read(query), query)


@app.get(COLLECTION)
@jsonp
@cache(USER_SCOPE)
@operation("A user's posts, newest first by page number, or by post id (`before`, `after`) in "
           'either `order`', tags=('microposts',), query=PAGE_QUERY,
           responses={200: page_of(MICROPOST), 400: None, 404: None})
def list_collection(username: str, query: dict) -> dict:
    return envelope(MicropostController(links()).read(query, username), query)


@app.post(COLLECTION)
@auth('owner')
@operation('Write a post', tags=('microposts',), body=NEW_POST,
           responses={201: MICROPOST, 400: None, 401: None, 403: None, 429: None},
           security=True)
def create_micropost(username: str, caller: dict, body: dict) -> dict:
    post = MicropostController(links()).create(caller, body['text'], body.get('referenced'))
    bottle.response.status = 201
    bottle.response.set_header('Location', post['href'])
    return post


@app.get(ITEM)
@jsonp
@cache(USER_SCOPE)
@operation('One post of a user', tags=('microposts',), query=ITEM_QUERY,
           responses={200: MICROPOST, 400: None, 404: None})
def get_micropost(username: str, post_id: int, query: dict) -> dict:
    return MicropostController(links()).get(username, post_id)


@app.put(ITEM)
@auth('owner')
@operation('Replace the text and reference of a post', tags=('microposts',), body=NEW_POST,
           responses={200: MICROPOST, **OWNER_ERRORS}, security=True)
def replace_micropost(username: str, post_id: int, caller: dict, body: dict) -> dict:
    changes = {'referenced': None, **body}
    return MicropostController(links()).edit(caller, post_id, changes)


@app.route(ITEM, method='PATCH')
@auth('owner')
@operation('Change the text or the reference of a post', tags=('microposts',),
           body=POST_CHANGES, responses={200: MICROPOST, **OWNER_ERRORS}, security=True)
def update_micropost(username: str, post_id: int, caller: dict, body: dict) -> dict:
    return MicropostController(links()).edit(caller, post_id, body)


@app.delete(ITEM)
@auth('owner')
@operation('Delete a post', tags=('microposts',),
           responses={204: None, 401: None, 403: None, 404: None}, security=True)
def delete_micropost(username: str, post_id: int, caller: dict) -> None:
    MicropostController(links()).delete(caller, post_id)
    bottle.response.status = 204
