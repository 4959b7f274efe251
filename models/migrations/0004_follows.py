"""Follows between users: unique per pair, indexed both ways."""
import datetime

import peewee


class User(peewee.Model):
    class Meta:
        table_name = 'users'


class Follow(peewee.Model):
    follower = peewee.ForeignKeyField(User, on_delete='CASCADE', index=False)
    followed = peewee.ForeignKeyField(User, on_delete='CASCADE', index=False)
    created = peewee.DateTimeField(default=datetime.datetime.utcnow)

    class Meta:
        table_name = 'follow'
        indexes = ((('follower', 'followed'), True), (('followed', 'id'), False))


def up(migrator, db):
    with Follow.bind_ctx(db):
        db.create_tables([Follow])


def down(migrator, db):
    with Follow.bind_ctx(db):
        db.drop_tables([Follow])
