"""How MicroPosts shows its resources: users and microposts as JSON-ready dicts with links."""
from __future__ import annotations

import datetime as dt

from lib.utils.datekit import isoformat
from lib.utils.urlkit import Links


def user(links: Links, username: str, created: dt.datetime, **own: object) -> dict:
    """A user; `own` holds what only some answers show: the settings shown to that user only
    (`notify_mentions`, `roles`), the counts of a single profile."""
    return {'username': username, 'href': links.user(username),
            'collection': links.collection(username), 'following': links.following(username),
            'followers': links.followers(username), 'timeline': links.timeline(username),
            'created': isoformat(created), **own}


def micropost(links: Links, row: dict) -> dict:
    """A row of `Micropost.listing()` as the API shows it; the id as a decimal string, as
    JavaScript's numbers are exact only to 2**53 and ids go beyond (`models/ids.py`); `edited`
    is null until the text or addressee is changed."""
    return {'id': str(row['id']), 'href': links.micropost(row['username'], row['id']),
            'user': links.user(row['username']), 'username': row['username'],
            'text': row['text'], 'timestamp': isoformat(row['created']),
            'edited': row['edited'] and isoformat(row['edited']),
            'referenced': row['referenced_username']}
