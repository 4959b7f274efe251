"""The outbox: one row per mention e-mail owed, written with the post; the sweep reads it by
state and due time."""
import datetime

import peewee


class User(peewee.Model):
    class Meta:
        table_name = 'users'


class Micropost(peewee.Model):
    class Meta:
        table_name = 'micropost'


class OutboxEmail(peewee.Model):
    key = peewee.CharField(max_length=100, unique=True)
    micropost = peewee.ForeignKeyField(Micropost, on_delete='CASCADE')
    recipient = peewee.ForeignKeyField(User, on_delete='CASCADE')
    state = peewee.CharField(max_length=10, default='pending')
    attempts = peewee.IntegerField(default=0)
    claim = peewee.CharField(max_length=32, null=True)
    due = peewee.DateTimeField()
    created = peewee.DateTimeField(default=datetime.datetime.utcnow)
    sent = peewee.DateTimeField(null=True)
    delivered = peewee.DateTimeField(null=True)
    error = peewee.CharField(max_length=500, null=True)

    class Meta:
        table_name = 'outbox_email'
        indexes = ((('state', 'due'), False),)


def up(migrator, db):
    with OutboxEmail.bind_ctx(db):
        db.create_tables([OutboxEmail])


def down(migrator, db):
    with OutboxEmail.bind_ctx(db):
        db.drop_tables([OutboxEmail])
