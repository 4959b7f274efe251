"""Bearer tokens, stored as SHA-256 digests."""
import datetime

import peewee


class User(peewee.Model):
    class Meta:
        table_name = 'users'


class Token(peewee.Model):
    user = peewee.ForeignKeyField(User, on_delete='CASCADE')
    digest = peewee.CharField(max_length=64, unique=True)
    created = peewee.DateTimeField(default=datetime.datetime.utcnow)
    expires = peewee.DateTimeField()

    class Meta:
        table_name = 'token'


def up(migrator, db):
    with Token.bind_ctx(db):
        db.create_tables([Token])


def down(migrator, db):
    with Token.bind_ctx(db):
        db.drop_tables([Token])
