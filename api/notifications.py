"""Notifications: one's own list (newest first, paged by id), the unread count, marking read."""
from __future__ import annotations

import bottle

from api.decorators import auth
from api.paging import envelope, page_of
from api.schemas import ID, TIMESTAMP, URL
from api.spec import operation
from api.web import links
from controllers.micropost_rules import TEXT_MAX, USERNAME
from controllers.notice_rules import MARK_READ, NOTIFICATIONS_QUERY
from controllers.notifications import NotificationController

app = bottle.Bottle()

LIST = '/api/v1/users/<username>/notifications'
NOTIFICATION = {
    'type': 'object',
    'required': ['id', 'kind', 'created', 'read', 'actor', 'actor_href', 'post'],
    'additionalProperties': False,
    'properties': {
        'id': ID, 'kind': {'enum': ['mention', 'follow'],
                           'description': 'a post named the user, or someone followed them'},
        'created': TIMESTAMP, 'read': {'type': 'boolean'},
        'actor': {**USERNAME, 'description': 'who wrote the post or followed'},
        'actor_href': URL,
        'post': {'type': ['object', 'null'], 'description': 'the post that named the user',
                 'required': ['id', 'username', 'text', 'href'], 'additionalProperties': False,
                 'properties': {'id': ID, 'username': USERNAME, 'href': URL,
                                'text': {'type': 'string', 'maxLength': TEXT_MAX}}},
    },
}
UNREAD = {'type': 'object', 'required': ['unread'], 'additionalProperties': False,
          'properties': {'unread': {'type': 'integer', 'minimum': 0}}}
OWNER = {401: None, 403: None}


@app.get(LIST)
@auth('owner')
@operation('My notifications: posts naming me and new followers, newest first, paged by id '
           '(`before`, `after`)', tags=('notifications',), query=NOTIFICATIONS_QUERY,
           security=True, responses={200: page_of(NOTIFICATION), 400: None, **OWNER})
def list_notifications(username: str, caller: dict, query: dict) -> dict:
    return envelope(NotificationController(links()).page(caller, query), query)


@app.get(f'{LIST}/unread')
@auth('owner')
@operation('How many of my notifications are unread', tags=('notifications',),
           security=True, responses={200: UNREAD, **OWNER})
def unread_notifications(username: str, caller: dict) -> dict:
    bottle.response.set_header('Cache-Control', 'no-store')
    return NotificationController(links()).unread(caller)


@app.post(f'{LIST}/read')
@auth('owner')
@operation('Mark notifications read: up to an id, or those listed', tags=('notifications',),
           body=MARK_READ, security=True, responses={200: UNREAD, 400: None, **OWNER})
def mark_read(username: str, caller: dict, body: dict) -> dict:
    return NotificationController(links()).mark_read(caller, body)
