"""MicroPosts users: sign up, and public profiles."""
from __future__ import annotations

import bottle

from api.paging import CALLBACK_PARAMETER
from api.schemas import USER, USERNAME
from api.spec import operation
from api.web import links
from controllers.cache import USER_SCOPE
from controllers.users import UserController
from lib.decorators import cache, jsonp

app = bottle.Bottle()
PROFILE_SECONDS = 300

NEW_USER = {
    'type': 'object',
    'required': ['username', 'email', 'password'],
    'additionalProperties': False,
    'properties': {
        'username': USERNAME,
        'email': {'type': 'string', 'maxLength': 254, 'pattern': r'^[^@\s]+@[^@\s]+\.[^@\s]+$',
                  'description': 'a valid e-mail address'},
        'password': {'type': 'string', 'minLength': 8, 'maxLength': 1024,
                     'description': '8 to 1024 characters'},
    },
}
ANONYMOUS_QUERY = {'type': 'object', 'properties': CALLBACK_PARAMETER,
                   'additionalProperties': False}


@app.post('/api/v1/users')
@operation('Sign up', tags=('users',), body=NEW_USER,
           responses={201: USER, 400: None, 409: None})
def create_user(body: dict) -> dict:
    user = UserController(links()).register(body['username'], body['email'], body['password'])
    bottle.response.status = 201
    bottle.response.set_header('Location', user['href'])
    return user


@app.get('/api/v1/users/<username>')
@cache(PROFILE_SECONDS, USER_SCOPE)
@jsonp
@operation('A user', tags=('users',), query=ANONYMOUS_QUERY,
           responses={200: USER, 400: None, 404: None})
def get_user(username: str, query: dict) -> dict:
    return UserController(links()).profile(username)
