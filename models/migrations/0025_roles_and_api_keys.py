"""Roles of users (`analyst`), granted and revoked by an operator; API keys for programs, stored
as SHA-256 digests."""
import datetime

import peewee


class User(peewee.Model):
    class Meta:
        table_name = 'users'


class UserRole(peewee.Model):
    user = peewee.ForeignKeyField(User, on_delete='CASCADE')
    role = peewee.CharField(max_length=32)

    class Meta:
        table_name = 'user_role'
        indexes = ((('user', 'role'), True),)


class ApiKey(peewee.Model):
    name = peewee.CharField(max_length=64, unique=True)
    digest = peewee.CharField(max_length=64, unique=True)
    created = peewee.DateTimeField(default=datetime.datetime.utcnow)

    class Meta:
        table_name = 'api_key'


def up(migrator, db):
    with db.bind_ctx([UserRole, ApiKey]):
        db.create_tables([UserRole, ApiKey])


def down(migrator, db):
    with db.bind_ctx([UserRole, ApiKey]):
        db.drop_tables([ApiKey, UserRole])
