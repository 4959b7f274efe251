"""Microposts, indexed by author then id for collections and timelines."""
import datetime

import peewee


class User(peewee.Model):
    class Meta:
        table_name = 'users'


class Micropost(peewee.Model):
    user = peewee.ForeignKeyField(User, on_delete='CASCADE', index=False)
    text = peewee.CharField(max_length=255)
    referenced = peewee.ForeignKeyField(User, null=True, on_delete='SET NULL')
    created = peewee.DateTimeField(default=datetime.datetime.utcnow)

    class Meta:
        table_name = 'micropost'
        indexes = ((('user', 'id'), False),)


def up(migrator, db):
    with Micropost.bind_ctx(db):
        db.create_tables([Micropost])


def down(migrator, db):
    with Micropost.bind_ctx(db):
        db.drop_tables([Micropost])
