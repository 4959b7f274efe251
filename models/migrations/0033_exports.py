"""Exports of one's posts: a row per export asked for, with its progress; the file it writes
lives outside the database. At most one export per user is pending or running at a time (a
partial unique index), so a second request finds the first."""
import datetime

import peewee


class User(peewee.Model):
    class Meta:
        table_name = 'users'


class Export(peewee.Model):
    id = peewee.BigIntegerField(primary_key=True)
    user = peewee.ForeignKeyField(User, on_delete='CASCADE', index=False)
    format = peewee.CharField(max_length=4)
    state = peewee.CharField(max_length=10, default='pending')
    done = peewee.IntegerField(default=0)
    total = peewee.IntegerField(default=0)
    last_post = peewee.BigIntegerField(default=0)
    attempts = peewee.IntegerField(default=0)
    claim = peewee.CharField(max_length=32, null=True)
    due = peewee.DateTimeField()
    created = peewee.DateTimeField(default=datetime.datetime.utcnow)
    finished = peewee.DateTimeField(null=True)
    expires = peewee.DateTimeField()
    error = peewee.CharField(max_length=500, null=True)

    class Meta:
        table_name = 'export'
        indexes = ((('user', 'id'), False),    # one's exports, newest first
                   (('state', 'due'), False),  # the sweep: work whose lease ran out
                   (('expires',), False))      # the sweep: exports past their day


def up(migrator, db):
    with Export.bind_ctx(db):
        db.create_tables([Export])
    db.execute_sql("CREATE UNIQUE INDEX export_one_under_way ON export (user_id) "
                   "WHERE state IN ('pending', 'running')")


def down(migrator, db):
    db.execute_sql('DROP INDEX export_one_under_way')
    with Export.bind_ctx(db):
        db.drop_tables([Export])
