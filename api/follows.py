"""Follows: whom a user follows, who follows them, following and unfollowing; the timeline."""
from __future__ import annotations

import bottle

from api.decorators import auth, cache, jsonp
from api.paging import (
    CALLBACK_PARAMETER,
    envelope,
    page_of,
    page_query,
    paging,
)
from api.schemas import MICROPOST, USER
from api.spec import operation
from api.web import links
from controllers.cache import PEOPLE_SCOPE, USER_SCOPE
from controllers.follows import FollowController
from controllers.micropost_rules import CURSOR_PARAMETERS, FOLLOW, USERNAME
from controllers.timeline import TimelineController

app = bottle.Bottle()

PAGE_QUERY = page_query(**CALLBACK_PARAMETER)
TIMELINE_QUERY = page_query(**CURSOR_PARAMETERS)
FOLLOWING_QUERY = page_query(**CALLBACK_PARAMETER, username={
    **USERNAME, 'description': 'only this user: answers whether they are followed'})


@app.get('/api/v1/users/<username>/following')
@jsonp
@cache(USER_SCOPE, PEOPLE_SCOPE)
@operation('The users a user follows', tags=('follows',), query=FOLLOWING_QUERY,
           responses={200: page_of(USER), 400: None, 404: None})
def list_following(username: str, query: dict) -> dict:
    found = FollowController(links()).following(username, *paging(query), query.get('username'))
    return envelope(found, query)


@app.post('/api/v1/users/<username>/following')
@auth('owner')
@operation('Follow a user', tags=('follows',), body=FOLLOW,
           responses={200: USER, 201: USER, 400: None, 401: None, 403: None, 429: None},
           security=True)
def follow(username: str, caller: dict, body: dict) -> dict:
    followed, created = FollowController(links()).follow(caller, body['username'])
    bottle.response.status = 201 if created else 200
    return followed


@app.delete('/api/v1/users/<username>/following/<other>')
@auth('owner')
@operation('Stop following a user', tags=('follows',),
           responses={204: None, 401: None, 403: None, 404: None}, security=True)
def unfollow(username: str, other: str, caller: dict) -> None:
    FollowController(links()).unfollow(caller, other)
    bottle.response.status = 204


@app.get('/api/v1/users/<username>/followers')
@jsonp
@cache(USER_SCOPE, PEOPLE_SCOPE)
@operation('The users who follow a user', tags=('follows',), query=PAGE_QUERY,
           responses={200: page_of(USER), 400: None, 404: None})
def list_followers(username: str, query: dict) -> dict:
    return envelope(FollowController(links()).followers(username, *paging(query)), query)


@app.get('/api/v1/users/<username>/timeline')
@auth('user')
@operation('By page number, the posts of the users a user follows, oldest first; by post id '
           '(`before`, `after`, `order=newest`), their home feed, which adds their own posts',
           tags=('follows',),
           query=TIMELINE_QUERY, security=True,
           responses={200: page_of(MICROPOST), 400: None, 401: None, 403: None, 404: None})
def timeline(username: str, caller: dict, query: dict) -> dict:
    return envelope(TimelineController(links()).read(caller, username, query), query)
