"""Notifications: who named or followed a user, written in the transaction of the post or the
follow; each row goes when what it tells of goes (ON DELETE CASCADE), so none points at nothing."""
from __future__ import annotations

import functools
import operator

import peewee

from lib.utils.datekit import utcnow
from models import ids
from models.db import BaseModel
from models.follows import Follow
from models.microposts import Micropost
from models.users import User

MENTION = 'mention'
FOLLOW = 'follow'

Actor = User.alias('actor')


class Notification(BaseModel):
    id = ids.primary_key()
    recipient = peewee.ForeignKeyField(User, on_delete='CASCADE', index=False)
    actor = peewee.ForeignKeyField(User, on_delete='CASCADE')
    kind = peewee.CharField(max_length=10)
    micropost = peewee.ForeignKeyField(Micropost, on_delete='CASCADE', null=True, index=False)
    follow = peewee.ForeignKeyField(Follow, on_delete='CASCADE', null=True, unique=True)
    created = peewee.DateTimeField(default=utcnow)
    read = peewee.BooleanField(default=False)

    class Meta:
        indexes = ((('recipient', 'id'), False),
                   (('recipient', 'read', 'id'), False),
                   (('micropost', 'recipient'), True))


def named_users(names: list[str], referenced: int | None, author_id: int) -> list[int]:
    """Ids of the existing users named (lower-cased `names`, or the `referenced` id), but not
    the author: unlike e-mails, the in-app notice ignores `notify_mentions`."""
    named = [peewee.fn.LOWER(User.username).in_(names)] if names else []
    if referenced is not None:
        named.append(User.id == referenced)
    if not named:
        return []
    return [row[0] for row in User.select(User.id)
            .where(functools.reduce(operator.or_, named), User.id != author_id).tuples()]


def add_mentions(post_id: int, author_id: int, recipients: list[int]) -> None:
    """One notification per recipient of a post; one already written stays as it is."""
    if not recipients:
        return
    created = utcnow()
    Notification.insert_many([
        {'id': ids.next_id(), 'recipient': recipient, 'actor': author_id, 'kind': MENTION,
         'micropost': post_id, 'created': created} for recipient in recipients
    ]).on_conflict_ignore().execute()


def drop_mentions(post_id: int, keep: list[int]) -> None:
    """Remove a post's notifications of users it no longer names (all but `keep`)."""
    (Notification.delete()
     .where(Notification.micropost == post_id, Notification.recipient.not_in(keep or [0]))
     .execute())


def add_follow(follow_id: int, follower_id: int, followed_id: int) -> None:
    Notification.insert(id=ids.next_id(), recipient=followed_id, actor=follower_id,
                        kind=FOLLOW, follow=follow_id).on_conflict_ignore().execute()


def past(recipient: int, cursor: int | None, newer: bool, count: int) -> list[dict]:
    """Up to `count` notifications of `recipient` past the notification `cursor` (from the
    newest without one), newer ones oldest first or older ones newest first, each with its
    actor's username and its post, in one query."""
    query = (Notification
             .select(Notification.id, Notification.kind, Notification.created,
                     Notification.read, Actor.username.alias('actor'),
                     Micropost.id.alias('post_id'), Micropost.text.alias('post_text'),
                     User.username.alias('post_author'))
             .join(Actor, on=(Notification.actor == Actor.id))
             .switch(Notification)
             .join(Micropost, peewee.JOIN.LEFT_OUTER, on=(Notification.micropost == Micropost.id))
             .join(User, peewee.JOIN.LEFT_OUTER, on=(Micropost.user == User.id))
             .where(Notification.recipient == recipient))
    if cursor is not None:
        query = query.where(Notification.id > cursor if newer else Notification.id < cursor)
    return list(query.order_by(Notification.id.asc() if newer else Notification.id.desc())
                .limit(count).dicts())


def unread(recipient: int) -> int:
    return (Notification.select()
            .where(Notification.recipient == recipient, ~Notification.read).count())


def mark_read(recipient: int, up_to: int | None = None, chosen: list[int] | None = None) -> int:
    """Mark read the unread notifications of `recipient` up to the id `up_to` and those among
    `chosen`; how many changed."""
    which = []
    if up_to is not None:
        which.append(Notification.id <= up_to)
    if chosen:
        which.append(Notification.id.in_(chosen))
    if not which:
        return 0
    return (Notification.update(read=True)
            .where(Notification.recipient == recipient, ~Notification.read,
                   functools.reduce(operator.or_, which))
            .execute())
