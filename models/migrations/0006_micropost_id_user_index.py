"""Posts by id with their author, without reading the table: timelines scan this index in order
and keep the posts of the users followed (an index-only scan on PostgreSQL)."""


def up(migrator, db):
    db.execute_sql('CREATE INDEX micropost_id_user_id ON micropost (id, user_id)')


def down(migrator, db):
    db.execute_sql('DROP INDEX micropost_id_user_id')
