"""Notifications: a row per user named by a post or newly followed, written in the transaction of
the post or the follow; each goes with what it tells of (the post, the follow, the user who did
it), so a deleted post, an unfollow or a deleted account takes its notifications along."""
import datetime

import peewee


class User(peewee.Model):
    class Meta:
        table_name = 'users'


class Micropost(peewee.Model):
    id = peewee.BigIntegerField(primary_key=True)

    class Meta:
        table_name = 'micropost'


class Follow(peewee.Model):
    id = peewee.BigIntegerField(primary_key=True)

    class Meta:
        table_name = 'follow'


class Notification(peewee.Model):
    id = peewee.BigIntegerField(primary_key=True)
    recipient = peewee.ForeignKeyField(User, on_delete='CASCADE', index=False)
    actor = peewee.ForeignKeyField(User, on_delete='CASCADE')
    kind = peewee.CharField(max_length=10)
    micropost = peewee.ForeignKeyField(Micropost, on_delete='CASCADE', null=True, index=False)
    follow = peewee.ForeignKeyField(Follow, on_delete='CASCADE', null=True, unique=True)
    created = peewee.DateTimeField(default=datetime.datetime.utcnow)
    read = peewee.BooleanField(default=False)

    class Meta:
        table_name = 'notification'
        indexes = ((('recipient', 'id'), False),          # one's notifications, newest first
                   (('recipient', 'read', 'id'), False),  # the unread count; marking read
                   (('micropost', 'recipient'), True))    # one per post and user named


def up(migrator, db):
    with Notification.bind_ctx(db):
        db.create_tables([Notification])


def down(migrator, db):
    with Notification.bind_ctx(db):
        db.drop_tables([Notification])
