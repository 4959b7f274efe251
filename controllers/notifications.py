"""Notifications: a user named by a post, or newly followed, is told in the app.

Each notification is written in the transaction of the post or follow it tells of, not through
the outbox: it is one more row in a commit already under way, so it exists exactly when the post
or follow does (nothing lost, nothing for a write rolled back) and needs no worker. Its foreign
keys go to the post, the follow and the user who acted, so deleting any of them (an unfollow,
an account) takes it along. Nothing of it lives outside the database."""
from __future__ import annotations

from controllers.cursors import cursor_page
from controllers.errors import Invalid
from controllers.micropost_rules import SIZE_DEFAULT
from controllers.notice_rules import ID_MAX
from lib.utils.datekit import isoformat
from lib.utils.urlkit import Links
from models import notifications as store
from models.db import transaction


def on_mention(post_id: int, author_id: int, names: list[str], referenced: int | None,
               edited: bool = False) -> None:
    """Notify the users a post names (lower-cased `names`, the `referenced` id), its author
    aside; after an edit, also forget those it no longer names. Call inside the post's
    transaction."""
    recipients = store.named_users(names, referenced, author_id)
    if edited:
        store.drop_mentions(post_id, recipients)
    store.add_mentions(post_id, author_id, recipients)


def on_follow(follow_id: int, follower_id: int, followed_id: int) -> None:
    """Notify a user newly followed. Call inside the follow's transaction."""
    store.add_follow(follow_id, follower_id, followed_id)


def clamped(notification_id: int) -> int:
    """An id from a request within the database's integers: past the largest, the same as
    the largest (no notification has an id beyond it)."""
    return min(notification_id, ID_MAX)


class NotificationController:
    """One's notifications, newest first and paged by id; the unread count; marking read."""

    def __init__(self, links: Links):
        self.links = links

    def page(self, caller: dict, query: dict) -> dict:
        """The page a checked query asks for (see `controllers.cursors`)."""
        before, after = query.get('before'), query.get('after')
        if before is not None and after is not None:
            raise Invalid('Give before or after, not both.', {'after': 'not with before'})
        order, size = query.get('order', 'newest'), query.get('size', SIZE_DEFAULT)
        cursor = after if after is not None else before
        newer = after is not None or (before is None and order == 'oldest')
        cursor = clamped(int(cursor)) if cursor is not None else None
        rows = store.past(caller['id'], cursor, newer, size + 1)
        return cursor_page(rows, size, cursor, newer, order, self._represent)

    def unread(self, caller: dict) -> dict:
        return {'unread': store.unread(caller['id'])}

    def mark_read(self, caller: dict, body: dict) -> dict:
        """Mark read those up to `up_to` and those in `ids`; the unread count after."""
        up_to = body.get('up_to')
        with transaction():
            store.mark_read(caller['id'], clamped(int(up_to)) if up_to is not None else None,
                            [int(each) for each in body.get('ids', []) if int(each) <= ID_MAX])
        return self.unread(caller)

    def _represent(self, row: dict) -> dict:
        post = None
        if row['post_id'] is not None:
            post = {'id': str(row['post_id']), 'username': row['post_author'],
                    'text': row['post_text'],
                    'href': self.links.micropost(row['post_author'], row['post_id'])}
        return {'id': str(row['id']), 'kind': row['kind'], 'created': isoformat(row['created']),
                'read': row['read'], 'actor': row['actor'],
                'actor_href': self.links.user(row['actor']), 'post': post}
