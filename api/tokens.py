"""Bearer tokens: log in with a username and password, log out."""
from __future__ import annotations

import bottle

from api.decorators import auth
from api.spec import operation
from api.web import bearer_token, client_address, header
from controllers.errors import Invalid
from controllers.micropost_rules import TOKEN_REQUEST
from controllers.tokens import TokenController

app = bottle.Bottle()

TOKEN = {
    'type': 'object',
    'required': ['access_token', 'token_type', 'expires_in'],
    'additionalProperties': False,
    'properties': {'access_token': {'type': 'string'}, 'token_type': {'const': 'bearer'},
                   'expires_in': {'type': 'integer'}},
}


@app.post('/api/v1/token')
@operation('Log in: a bearer token for 24 hours', tags=('tokens',), body=TOKEN_REQUEST,
           responses={200: TOKEN, 400: None, 429: None})
def create_token(body: dict) -> dict:
    username = body.get('client_id', body.get('username'))
    password = body.get('client_secret', body.get('password'))
    token = TokenController().issue(username, password, client_address(),
                                  header('User-Agent') or None)
    bottle.response.set_header('Cache-Control', 'no-store')
    return token


@app.delete('/api/v1/token')
@auth('user')
@operation('Log out: revoke the bearer token of this request', tags=('tokens',),
           responses={204: None, 400: None, 401: None, 403: None}, security=True)
def delete_token(caller: dict) -> None:
    token = bearer_token()
    if token is None:  # authenticated by the session cookie
        raise Invalid('This revokes a bearer token, and the request has none; a browser '
                      'session ends with DELETE /api/v1/session.',
                      {'Authorization': 'a bearer token is required'}, code='no_bearer_token')
    TokenController().revoke(token)
    bottle.response.status = 204
