"""Browser sessions: log in into an HttpOnly cookie, ask who is logged in (with the CSRF token
the session's writes carry), log out."""
from __future__ import annotations

import bottle

from api.spec import operation
from api.web import (
    CSRF_HEADER,
    SESSION_COOKIE,
    base_url,
    client_address,
    header,
    same_site,
    session_token,
)
from controllers.micropost_rules import LOG_IN
from controllers.sessions import SessionController

app = bottle.Bottle()
TAGS = ('sessions',)
PATH = '/api/v1/session'

SESSION = {
    'type': 'object', 'required': ['username', 'csrf_token'], 'additionalProperties': False,
    'description': f'The user of this browser session and the token its writes carry in the '
                   f'{CSRF_HEADER} header; both null without a session.',
    'properties': {'username': {'type': ['string', 'null']},
                   'csrf_token': {'type': ['string', 'null']}},
}


def cookie_options() -> dict:
    """HttpOnly, SameSite=Lax, for the whole site; Secure when served over HTTPS."""
    return {'path': '/', 'httponly': True, 'samesite': 'lax',
            'secure': base_url().startswith('https:')}


@app.get(PATH)
@operation('Who is logged in with this browser, and the CSRF token of the session', tags=TAGS,
           responses={200: SESSION})
def current_session() -> dict:
    bottle.response.set_header('Cache-Control', 'no-store')
    return SessionController().describe(session_token())


@app.post(PATH)
@same_site
@operation('Log in: a session in an HttpOnly, SameSite=Lax cookie for 24 hours', tags=TAGS,
           body=LOG_IN, responses={200: SESSION, 400: None, 429: None})
def open_session(body: dict) -> dict:
    opened = SessionController().open(body['username'], body['password'], client_address(),
                                      header('User-Agent') or None)
    bottle.response.set_cookie(SESSION_COOKIE, opened['token'], max_age=opened['expires_in'],
                               **cookie_options())
    bottle.response.set_header('Cache-Control', 'no-store')
    return {'username': opened['username'], 'csrf_token': opened['csrf_token']}


@app.delete(PATH)
@operation('Log out: the session stops working at once, on every worker', tags=TAGS,
           responses={204: None, 403: None})
def close_session() -> None:
    token = session_token()
    if token is not None:
        SessionController().close(token, header(CSRF_HEADER))
    bottle.response.delete_cookie(SESSION_COOKIE, **cookie_options())
    bottle.response.status = 204
