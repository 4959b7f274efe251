"""JSON schemas of the MicroPosts resources, shared by the routes that answer with them; their
input fields are the rule book's."""
from __future__ import annotations

from controllers.micropost_rules import TEXT_MAX, USERNAME
from controllers.profile_rules import BIO_MAX, DISPLAY_NAME_MAX

URL = {'type': 'string', 'format': 'uri'}
AVATAR = {**URL, 'description': "the user's picture, 256 px square (WebP), or the drawn default "
                                '(SVG): a URL that never shows anything else, cached for good'}
DISPLAY_NAME = {'type': ['string', 'null'], 'maxLength': DISPLAY_NAME_MAX,
                'description': 'the name the user shows beside their username, or null'}
TIMESTAMP = {'type': 'string', 'format': 'date-time'}
ID = {'type': 'string', 'pattern': '^[1-9][0-9]{0,18}$',
      'description': 'a 64-bit time-ordered id in decimal: a string, as JavaScript numbers are '
                     'exact only to 2^53'}

USER = {
    'type': 'object',
    'required': ['username', 'href', 'collection', 'following', 'followers', 'timeline',
                 'created', 'display_name', 'bio', 'avatar', 'avatar_small'],
    'additionalProperties': False,
    'properties': {'username': USERNAME, 'href': URL, 'collection': URL, 'following': URL,
                   'followers': URL, 'timeline': URL, 'created': TIMESTAMP,
                   'display_name': DISPLAY_NAME,
                   'bio': {'type': ['string', 'null'], 'maxLength': BIO_MAX,
                           'description': 'what the user says about themself, or null'},
                   'avatar': AVATAR, 'avatar_small': {**AVATAR, 'description': 'the same, 64 px'},
                   'notify_mentions': {'type': 'boolean', 'description':
                                       'whether posts naming the user e-mail them; shown to '
                                       'that user only'},
                   'roles': {'type': 'array', 'items': {'type': 'string'}, 'description':
                             'roles an operator gave the user (analyst: may use the '
                             'Analyzer); shown to that user only'}},
}
COUNT = {'type': 'integer', 'minimum': 0}
PROFILE = {
    **USER,
    'required': [*USER['required'], 'followers_count', 'following_count', 'posts_count'],
    'properties': {**USER['properties'],
                   'followers_count': {**COUNT, 'description': 'users who follow this user'},
                   'following_count': {**COUNT, 'description': 'users this user follows'},
                   'posts_count': {**COUNT, 'description': "the user's posts"}},
    'description': 'a user as one profile shows it: with counts, which lists of users leave out',
}
MICROPOST = {
    'type': 'object',
    'required': ['id', 'href', 'user', 'username', 'text', 'timestamp', 'edited', 'referenced',
                 'display_name', 'avatar'],
    'additionalProperties': False,
    'properties': {'id': ID, 'href': URL, 'user': URL, 'username': USERNAME,
                   'text': {'type': 'string', 'maxLength': TEXT_MAX}, 'timestamp': TIMESTAMP,
                   'edited': {'type': ['string', 'null'], 'format': 'date-time',
                              'description': 'when the text or addressee was last changed; '
                                             'null if never'},
                   'referenced': {'type': ['string', 'null']},
                   'display_name': {**DISPLAY_NAME, 'description': "the author's display name"},
                   'avatar': {**AVATAR, 'description': "the author's picture, 64 px"}},
}
