"""Users, unique by lower(username)."""
import datetime

import peewee


class User(peewee.Model):
    username = peewee.CharField(max_length=30)
    email = peewee.CharField(max_length=254)
    password_hash = peewee.CharField(max_length=255)
    created = peewee.DateTimeField(default=datetime.datetime.utcnow, index=True)

    class Meta:
        table_name = 'users'


def up(migrator, db):
    with User.bind_ctx(db):
        db.create_tables([User])
    db.execute_sql('CREATE UNIQUE INDEX users_username_lower ON users (LOWER(username))')


def down(migrator, db):
    with User.bind_ctx(db):
        db.drop_tables([User])
