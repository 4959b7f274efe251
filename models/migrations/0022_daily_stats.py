"""Daily statistics, one row per UTC day; posts and follows indexed by creation time so that a
day's figures read one range of each."""
import datetime

import peewee


class DailyStats(peewee.Model):
    day = peewee.DateField(primary_key=True)
    new_users = peewee.IntegerField()
    new_posts = peewee.IntegerField()
    active_authors = peewee.IntegerField()
    new_follows = peewee.IntegerField()
    top_referenced = peewee.TextField()
    computed = peewee.DateTimeField(default=datetime.datetime.utcnow)

    class Meta:
        table_name = 'daily_stats'


def up(migrator, db):
    with DailyStats.bind_ctx(db):
        db.create_tables([DailyStats])
    db.execute_sql('CREATE INDEX micropost_created_user_id ON micropost (created, user_id)')
    db.execute_sql('CREATE INDEX follow_created ON follow (created)')


def down(migrator, db):
    db.execute_sql('DROP INDEX follow_created')
    db.execute_sql('DROP INDEX micropost_created_user_id')
    with DailyStats.bind_ctx(db):
        db.drop_tables([DailyStats])
