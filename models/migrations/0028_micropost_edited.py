"""A post keeps the time its text or addressee was last changed (`edited`), null until then, so
readers can tell an edited post from one as first written."""
import peewee


def up(migrator, db):
    kind = 'TIMESTAMP' if isinstance(db, peewee.PostgresqlDatabase) else 'DATETIME'
    db.execute_sql(f'ALTER TABLE micropost ADD COLUMN edited {kind}')


def down(migrator, db):
    db.execute_sql('ALTER TABLE micropost DROP COLUMN edited')
