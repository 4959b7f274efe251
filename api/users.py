"""MicroPosts users: sign up, public profiles, and a user's own settings."""
from __future__ import annotations

import bottle

from api.callers import current_caller
from api.decorators import auth, cache, jsonp
from api.paging import CALLBACK_PARAMETER
from api.schemas import PROFILE, USER
from api.spec import operation
from api.web import client_address, links, same_site
from controllers.cache import USER_SCOPE
from controllers.micropost_rules import NEW_USER
from controllers.profile_rules import USER_CHANGES
from controllers.users import UserController

app = bottle.Bottle()

ANONYMOUS_QUERY = {'type': 'object', 'properties': CALLBACK_PARAMETER,
                   'additionalProperties': False}


@app.post('/api/v1/users')
@same_site
@operation('Sign up (a password easy to guess, such as a common one, is refused: 400 says '
           'why)', tags=('users',), body=NEW_USER,
           responses={201: USER, 400: None, 409: None, 429: None})
def create_user(body: dict) -> dict:
    user = UserController(links()).register(body['username'], body['email'], body['password'],
                                            client_address())
    bottle.response.status = 201
    bottle.response.set_header('Location', user['href'])
    return user


@app.get('/api/v1/users/<username>')
@jsonp
@cache(USER_SCOPE)
@operation('A user with their counts (and their own settings, to themself)', tags=('users',),
           query=ANONYMOUS_QUERY, responses={200: PROFILE, 400: None, 404: None})
def get_user(username: str, query: dict) -> dict:
    return UserController(links()).profile(username, current_caller())


@app.route('/api/v1/users/<username>', method='PATCH')
@auth('owner')
@operation('Change your own settings and profile (display name, bio)', tags=('users',),
           body=USER_CHANGES,
           responses={200: USER, 400: None, 401: None, 403: None}, security=True)
def update_user(username: str, caller: dict, body: dict) -> dict:
    return UserController(links()).change(caller, body)
