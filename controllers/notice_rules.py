"""MicroPosts' input rules for notifications and exports: JSON Schemas and named limits, beside
`controllers/micropost_rules.py` and built from its pieces."""
from __future__ import annotations

from controllers.micropost_rules import PAGE_PARAMETERS, SIZE_MAX

ID_MAX = 2 ** 63 - 1  # the largest id a database integer holds
NOTIFICATION_ID = {'type': 'string', 'pattern': r'^[0-9]{1,19}$',
                   'description': 'a notification id'}
NOTIFICATIONS_QUERY = {
    'type': 'object', 'additionalProperties': False,
    'properties': {
        'size': PAGE_PARAMETERS['size'],
        'order': {'enum': ['oldest', 'newest'], 'default': 'newest',
                  'description': 'newest (the default) or oldest first'},
        'before': {**NOTIFICATION_ID, 'description': 'only notifications older than this id'},
        'after': {**NOTIFICATION_ID, 'description': 'only notifications newer than this id'},
    },
}
MARK_READ = {
    'type': 'object', 'minProperties': 1, 'additionalProperties': False,
    'description': 'Mark read every notification up to an id (the newest one seen), or those '
                   'listed, or both.',
    'properties': {
        'up_to': {**NOTIFICATION_ID,
                  'description': 'a notification id: it and every older one are marked'},
        'ids': {'type': 'array', 'maxItems': SIZE_MAX, 'items': NOTIFICATION_ID,
                'description': f'these notifications (at most {SIZE_MAX})'},
    },
}

EXPORT_FORMATS = ('json', 'csv')
EXPORT_REQUEST = {
    'type': 'object', 'required': ['format'], 'additionalProperties': False,
    'properties': {'format': {'enum': list(EXPORT_FORMATS),
                              'description': 'json (one object with every post) or csv (a row '
                                             'per post, UTF-8)'}},
}
EXPORT_ATTEMPTS = 5  # runs of an export (a worker lost each time) before it is given up
