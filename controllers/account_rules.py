"""The input rules of managing one's account (part of MicroPosts' rule book, built from its
pieces in `controllers/micropost_rules.py`): JSON Schemas and the lives of the mailed links."""
from __future__ import annotations

from controllers.micropost_rules import CREDENTIAL, EMAIL_ADDRESS, PASSWORD

RESET_SECONDS = 3600        # a password reset link works for an hour
EMAIL_CHANGE_SECONDS = 86400  # a link confirming a new e-mail address, for a day
LINK_TOKEN_MAX = 64         # characters of a link's token (43 are made)

LINK_TOKEN = {'type': 'string', 'minLength': 1, 'maxLength': LINK_TOKEN_MAX,
              'description': 'the token of the link mailed'}
PASSWORD_CHANGE = {
    'type': 'object', 'required': ['current_password', 'new_password'],
    'additionalProperties': False,
    'properties': {'current_password': CREDENTIAL, 'new_password': PASSWORD}}
RESET_REQUEST = {'type': 'object', 'required': ['email'], 'additionalProperties': False,
                 'properties': {'email': EMAIL_ADDRESS}}
RESET_COMPLETION = {'type': 'object', 'required': ['token', 'password'],
                    'additionalProperties': False,
                    'properties': {'token': LINK_TOKEN, 'password': PASSWORD}}
EMAIL_CHANGE = {'type': 'object', 'required': ['email', 'password'],
                'additionalProperties': False,
                'properties': {'email': EMAIL_ADDRESS, 'password': CREDENTIAL}}
EMAIL_CONFIRMATION = {'type': 'object', 'required': ['token'], 'additionalProperties': False,
                      'properties': {'token': LINK_TOKEN}}
ACCOUNT_DELETION = {'type': 'object', 'required': ['password'], 'additionalProperties': False,
                    'properties': {'password': CREDENTIAL}}
