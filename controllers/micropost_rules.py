"""MicroPosts' input rules: JSON Schemas (the one source for validation, the OpenAPI document and
the limits the page shell gives the front end) and the named limits they are built from."""
from __future__ import annotations

import re

USERNAME_MIN = 3
USERNAME_MAX = 30
USERNAME_CHARACTERS = f'[A-Za-z0-9_]{{{USERNAME_MIN},{USERNAME_MAX}}}'  # also finds @mentions
USERNAME_RULE = re.compile(f'^{USERNAME_CHARACTERS}$')
PASSWORD_MIN = 8
PASSWORD_MAX = 1024  # bounds the work of hashing and of judging a password
CREDENTIAL_MAX = PASSWORD_MAX
# Dot-separated domain labels: unambiguous, so a failing match backtracks in linear time.
EMAIL = re.compile(r'^[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+$')
EMAIL_MAX = 254
TEXT_MAX = 255  # characters of a post
SEARCH_MIN = 3  # characters of a search text: the trigram indexes need one whole trigram
MAX_DAYS = 366  # days of statistics in one answer
PAGE_MAX = 2**31 - 1  # keeps the offset, (page - 1) * size, a number every database takes
SIZE_MAX = 100
SIZE_DEFAULT = 20

USERNAME = {'type': 'string', 'maxLength': USERNAME_MAX, 'pattern': USERNAME_RULE.pattern,
            'description': f'{USERNAME_MIN} to {USERNAME_MAX} letters, digits or underscores'}
TEXT = {'type': 'string', 'minLength': 1, 'maxLength': TEXT_MAX, 'pattern': r'\S',
        'description': f'1 to {TEXT_MAX} characters, not only spaces'}
REFERENCED = {'type': ['string', 'null'], 'maxLength': USERNAME_MAX,
              'description': 'username of the user the post is addressed to'}
EMAIL_ADDRESS = {'type': 'string', 'format': 'email', 'maxLength': EMAIL_MAX,
                 'pattern': EMAIL.pattern, 'description': 'a valid e-mail address'}
PASSWORD = {'type': 'string', 'minLength': PASSWORD_MIN, 'maxLength': PASSWORD_MAX,
            'description': f'{PASSWORD_MIN} to {PASSWORD_MAX} characters'}
CREDENTIAL = {'type': 'string', 'minLength': 1, 'maxLength': CREDENTIAL_MAX,
              'description': f'1 to {CREDENTIAL_MAX} characters'}
SEARCH_TEXT = {'type': 'string', 'minLength': SEARCH_MIN, 'maxLength': TEXT_MAX,
               'description': f'what the text contains, ignoring case: {SEARCH_MIN} to '
                              f'{TEXT_MAX} characters'}
SEARCH_USERNAME = {'type': 'string', 'minLength': 1, 'maxLength': USERNAME_MAX,
                   'description': "what the author's username contains, ignoring case"}
DAY = {'type': 'string', 'format': 'date', 'maxLength': 10,
       'pattern': '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', 'description': 'a UTC day, YYYY-MM-DD'}
PAGE_PARAMETERS = {
    'page': {'type': 'integer', 'minimum': 1, 'maximum': PAGE_MAX, 'default': 1,
             'description': 'page number, from 1; past the last page, an empty page'},
    'size': {'type': 'integer', 'minimum': 1, 'maximum': SIZE_MAX, 'default': SIZE_DEFAULT,
             'description': 'items per page'},
}

POST_CURSOR = {'type': 'string', 'pattern': r'^[0-9]{1,19}$', 'description': 'a post id'}
EVENT_ID_RULE = re.compile(r'^[0-9]{1,20}-[0-9]{1,20}$')
LAST_EVENT_ID = {'type': 'string', 'maxLength': 41, 'pattern': EVENT_ID_RULE.pattern,
                 'description': 'resume after this event id (as `Last-Event-ID`)'}
CURSOR_PARAMETERS = {
    'order': {'enum': ['oldest', 'newest'],
              'description': 'oldest or newest first (with `before` or `after`, or `newest`, '
                             'pages follow ids rather than numbers)'},
    'before': {**POST_CURSOR, 'description': 'only posts older than this post id'},
    'after': {**POST_CURSOR, 'description': 'only posts newer than this post id'},
}

NEW_USER = {'type': 'object', 'required': ['username', 'email', 'password'],
            'additionalProperties': False,
            'properties': {'username': USERNAME, 'email': EMAIL_ADDRESS, 'password': PASSWORD}}
USER_CHANGES = {'type': 'object', 'minProperties': 1, 'additionalProperties': False,
                'properties': {'notify_mentions': {
                    'type': 'boolean', 'description': 'e-mail me when a post names me'}}}
TOKEN_REQUEST = {
    'type': 'object',
    'description': 'Either grant_type "password" with username and password, or client_id '
                   '(the username) and client_secret (the password) with any grant_type.',
    'additionalProperties': False,
    'properties': {'grant_type': {'type': 'string', 'maxLength': 64},
                   'username': CREDENTIAL, 'password': CREDENTIAL,
                   'client_id': CREDENTIAL, 'client_secret': CREDENTIAL},
    'anyOf': [
        {'required': ['grant_type', 'username', 'password'],
         'properties': {'grant_type': {'const': 'password'}}},
        {'required': ['client_id', 'client_secret']},
    ],
}
LOG_IN = {'type': 'object', 'required': ['username', 'password'], 'additionalProperties': False,
          'properties': {'username': CREDENTIAL, 'password': CREDENTIAL}}
NEW_POST = {'type': 'object', 'required': ['text'], 'additionalProperties': False,
            'properties': {'text': TEXT, 'referenced': REFERENCED}}
POST_CHANGES = {'type': 'object', 'minProperties': 1, 'additionalProperties': False,
                'properties': {'text': TEXT, 'referenced': REFERENCED}}
FOLLOW = {'type': 'object', 'required': ['username'], 'additionalProperties': False,
          'properties': {'username': USERNAME}}


def is_username(text: str | None) -> bool:
    """Whether `text` fits the username rule: a store is asked only about names that can be."""
    return bool(text) and USERNAME_RULE.fullmatch(text) is not None

