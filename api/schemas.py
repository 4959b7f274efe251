"""JSON schemas of the MicroPosts resources, shared by the routes that answer with them."""
from __future__ import annotations

USERNAME = {'type': 'string', 'pattern': '^[A-Za-z0-9_]{3,30}$',
            'description': '3 to 30 letters, digits or underscores'}
URL = {'type': 'string', 'format': 'uri'}
TIMESTAMP = {'type': 'string', 'format': 'date-time'}
TEXT = {'type': 'string', 'minLength': 1, 'maxLength': 255, 'pattern': r'\S',
        'description': '1 to 255 characters, not only spaces'}
REFERENCED = {'type': ['string', 'null'], 'maxLength': 30,
              'description': 'username of the user the post is addressed to'}

USER = {
    'type': 'object',
    'required': ['username', 'href', 'collection', 'following', 'followers', 'timeline',
                 'created'],
    'additionalProperties': False,
    'properties': {'username': USERNAME, 'href': URL, 'collection': URL, 'following': URL,
                   'followers': URL, 'timeline': URL, 'created': TIMESTAMP,
                   'notify_mentions': {'type': 'boolean', 'description':
                                       'whether posts naming the user e-mail them; shown to '
                                       'that user only'},
                   'roles': {'type': 'array', 'items': {'type': 'string'}, 'description':
                             'roles an operator gave the user (analyst: may use the '
                             'Analyzer); shown to that user only'}},
}
MICROPOST = {
    'type': 'object',
    'required': ['id', 'href', 'user', 'username', 'text', 'timestamp', 'referenced'],
    'additionalProperties': False,
    'properties': {'id': {'type': 'integer'}, 'href': URL, 'user': URL, 'username': USERNAME,
                   'text': {'type': 'string', 'maxLength': 255}, 'timestamp': TIMESTAMP,
                   'referenced': {'type': ['string', 'null']}},
}
