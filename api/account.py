"""One's own account: its e-mail address and password, its sessions and tokens, its deletion;
and the two links mailed to people (a password reset, a new address to confirm)."""
from __future__ import annotations

import bottle

from api.decorators import auth
from api.schemas import ID, TIMESTAMP, USERNAME
from api.sessions import cookie_options
from api.spec import operation
from api.web import SESSION_COOKIE, bearer_token, client_address, same_site, session_token
from controllers import account_rules as rules
from controllers.account import AccountController, confirm_email
from controllers.account_deletion import AccountDeletion
from controllers.password_reset import PasswordResetController

app = bottle.Bottle()
TAGS = ('account',)
OWN = '/api/v1/users/<username>'

EMAIL_OR_NULL = {'type': ['string', 'null']}
ACCOUNT = {
    'type': 'object', 'required': ['username', 'email', 'created', 'pending_email'],
    'additionalProperties': False,
    'properties': {'username': USERNAME, 'email': {'type': 'string'}, 'created': TIMESTAMP,
                   'pending_email': {**EMAIL_OR_NULL, 'description':
                                     'a new address waiting for its link to be opened'}}}
MESSAGE = {'type': 'object', 'required': ['message'], 'additionalProperties': False,
           'properties': {'message': {'type': 'string'}}}
EMAIL_CHANGE_STARTED = {
    'type': 'object', 'required': ['pending_email', 'message'], 'additionalProperties': False,
    'properties': {'pending_email': {'type': 'string'}, 'message': {'type': 'string'}}}
REVOKED = {'type': 'object', 'required': ['revoked'], 'additionalProperties': False,
           'properties': {'revoked': {'type': 'integer', 'minimum': 0, 'description':
                                      'other sessions and tokens ended'}}}
NAMED = {'type': 'object', 'required': ['username'], 'additionalProperties': False,
         'properties': {'username': USERNAME}}
CONFIRMED = {'type': 'object', 'required': ['username', 'email'], 'additionalProperties': False,
             'properties': {'username': USERNAME, 'email': {'type': 'string'}}}
SESSION_ROW = {
    'type': 'object',
    'required': ['id', 'kind', 'created', 'expires', 'last_used', 'user_agent', 'address',
                 'current'],
    'additionalProperties': False,
    'properties': {
        'id': ID, 'kind': {'enum': ['session', 'token'], 'description':
                           'a browser session (cookie) or a bearer token'},
        'created': TIMESTAMP, 'expires': TIMESTAMP,
        'last_used': {'type': ['string', 'null'], 'format': 'date-time',
                      'description': 'to within a minute or two; null if not used since'},
        'user_agent': {'type': ['string', 'null']}, 'address': {'type': ['string', 'null']},
        'current': {'type': 'boolean', 'description': 'the one this request carries'}}}
SESSIONS = {'type': 'object', 'required': ['result'], 'additionalProperties': False,
            'properties': {'result': {'type': 'array', 'items': SESSION_ROW}}}


def request_token() -> str | None:
    """The token this request authenticates with (bearer, else the session cookie)."""
    return bearer_token() or session_token()


def mine(caller: dict) -> AccountController:
    bottle.response.set_header('Cache-Control', 'no-store')
    return AccountController(caller, client_address())


@app.get(f'{OWN}/account')
@auth('owner')
@operation('Your account: e-mail address, and a new one waiting to be confirmed', tags=TAGS,
           responses={200: ACCOUNT, 401: None, 403: None}, security=True)
def get_account(username: str, caller: dict) -> dict:
    return mine(caller).show()


@app.put(f'{OWN}/password')
@auth('owner')
@operation('Change your password (the current one is required): every other session and '
           'token of yours ends; the one of this request stays', tags=TAGS,
           body=rules.PASSWORD_CHANGE,
           responses={200: REVOKED, 400: None, 401: None, 403: None, 429: None}, security=True)
def change_password(username: str, caller: dict, body: dict) -> dict:
    return mine(caller).change_password(body['current_password'], body['new_password'],
                                        request_token())


@app.post(f'{OWN}/email')
@auth('owner')
@operation('Change your e-mail address (the password is required): a link goes to the new '
           'address, which becomes yours when the link is opened; 409 when another account '
           'uses it', tags=TAGS, body=rules.EMAIL_CHANGE,
           responses={202: EMAIL_CHANGE_STARTED, 400: None, 401: None, 403: None, 409: None,
                      429: None}, security=True)
def change_email(username: str, caller: dict, body: dict) -> dict:
    started = mine(caller).request_email_change(body['email'], body['password'])
    bottle.response.status = 202
    return started


@app.post('/api/v1/email-confirmations')
@operation('Open the link mailed to a new address: it becomes the account\'s (the link works '
           'once, for a day)', tags=TAGS, body=rules.EMAIL_CONFIRMATION,
           responses={200: CONFIRMED, 400: None, 409: None})
def confirm_new_email(body: dict) -> dict:
    return confirm_email(body['token'])


@app.post('/api/v1/password-resets')
@same_site
@operation('Forgot your password: a link to choose a new one goes to the address, if an '
           'account uses it (the answer is the same either way)', tags=TAGS,
           body=rules.RESET_REQUEST, responses={202: MESSAGE, 400: None, 429: None})
def request_password_reset(body: dict) -> dict:
    answer = PasswordResetController().request(body['email'], client_address())
    bottle.response.status = 202
    return answer


@app.post('/api/v1/password-resets/completion')
@same_site
@operation('Choose a new password with the link of a reset e-mail (it works once, for an '
           'hour): every session and token of the account ends', tags=TAGS,
           body=rules.RESET_COMPLETION, responses={200: NAMED, 400: None})
def complete_password_reset(body: dict) -> dict:
    return PasswordResetController().complete(body['token'], body['password'])


@app.get(f'{OWN}/sessions')
@auth('owner')
@operation('Your live sessions and bearer tokens: when made and last used, and by what client',
           tags=TAGS, responses={200: SESSIONS, 401: None, 403: None}, security=True)
def list_sessions(username: str, caller: dict) -> dict:
    return {'result': mine(caller).sessions(request_token())}


@app.delete(f'{OWN}/sessions/<token_id:int>')
@auth('owner')
@operation('End one of your sessions or tokens, on every server at once', tags=TAGS,
           responses={204: None, 401: None, 403: None, 404: None}, security=True)
def revoke_session(username: str, token_id: int, caller: dict) -> None:
    mine(caller).revoke(token_id)
    bottle.response.status = 204


@app.delete(OWN)
@auth('owner')
@operation('Delete your account (the password is required): your posts, follows, sessions and '
           'e-mails owed go; posts of others that name you keep their text', tags=TAGS,
           body=rules.ACCOUNT_DELETION,
           responses={204: None, 400: None, 401: None, 403: None, 429: None}, security=True)
def delete_account(username: str, caller: dict, body: dict) -> None:
    AccountDeletion(caller, client_address()).delete(body['password'])
    if session_token() is not None:
        bottle.response.delete_cookie(SESSION_COOKIE, **cookie_options())
    bottle.response.status = 204

