"""How MicroPosts shows its resources: users and microposts as JSON-ready dicts with links."""
from __future__ import annotations

import datetime as dt

from controllers.profile_rules import AVATAR_SIZES
from lib.utils.datekit import isoformat
from lib.utils.urlkit import Links


def user(links: Links, username: str, created: dt.datetime, profile: dict | None = None,
         **own: object) -> dict:
    """A user with what they wrote about themself (`profile`: `display_name`, `bio`, `avatar`
    version; none for a new user); `own` holds what only some answers show: the settings shown
    to that user only (`notify_mentions`, `roles`), the counts of a single profile."""
    profile = profile or {}
    return {'username': username, 'href': links.user(username),
            'collection': links.collection(username), 'following': links.following(username),
            'followers': links.followers(username), 'timeline': links.timeline(username),
            'created': isoformat(created), 'display_name': profile.get('display_name'),
            'bio': profile.get('bio'), **avatars(links, username, profile.get('avatar')), **own}


def avatars(links: Links, username: str, version: str | None) -> dict:
    """`{"avatar", "avatar_small"}`: the URLs of a user's pictures, which never change (a new
    picture is a new version), or of the drawn default when they have none."""
    if not version:
        default = links.avatar(username, 'default.svg')
        return {'avatar': default, 'avatar_small': default}
    large, small = AVATAR_SIZES
    return {'avatar': links.avatar(username, f'{version}-{large}.webp'),
            'avatar_small': links.avatar(username, f'{version}-{small}.webp')}


def micropost(links: Links, row: dict) -> dict:
    """A row of `Micropost.listing()` as the API shows it; the id as a decimal string, as
    JavaScript's numbers are exact only to 2**53 and ids go beyond (`models/ids.py`); `edited`
    is null until the text or addressee is changed; the author's display name and small
    avatar come with it."""
    return {'id': str(row['id']), 'href': links.micropost(row['username'], row['id']),
            'user': links.user(row['username']), 'username': row['username'],
            'text': row['text'], 'timestamp': isoformat(row['created']),
            'edited': row['edited'] and isoformat(row['edited']),
            'referenced': row['referenced_username'], 'display_name': row['display_name'],
            'avatar': avatars(links, row['username'], row['avatar'])['avatar_small']}
