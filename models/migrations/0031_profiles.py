"""Profiles: a display name and a bio that users write themselves (sized by
`controllers/profile_rules.py`), and the version of their avatar, whose pictures are files
(`models/avatars.py`): null while they have none. People are searched by username and display
name: on PostgreSQL through pg_trgm GIN indexes (substrings and prefixes, any case); SQLite reads
the users table, which is small beside the posts."""
import peewee

COLUMNS = (
    'ALTER TABLE users ADD COLUMN display_name VARCHAR(50)',
    'ALTER TABLE users ADD COLUMN bio VARCHAR(160)',
    'ALTER TABLE users ADD COLUMN avatar VARCHAR(16)',
)
POSTGRES_UP = (
    'CREATE EXTENSION IF NOT EXISTS pg_trgm',
    'CREATE INDEX users_username_trigram ON users USING gin (username gin_trgm_ops)',
    'CREATE INDEX users_display_name_trigram ON users USING gin (display_name gin_trgm_ops)',
)
POSTGRES_DOWN = ('DROP INDEX users_display_name_trigram', 'DROP INDEX users_username_trigram')


def up(migrator, db):
    for statement in COLUMNS:
        db.execute_sql(statement)
    if isinstance(db, peewee.PostgresqlDatabase):
        for statement in POSTGRES_UP:
            db.execute_sql(statement)


def down(migrator, db):
    if isinstance(db, peewee.PostgresqlDatabase):
        for statement in POSTGRES_DOWN:
            db.execute_sql(statement)
    for column in ('avatar', 'bio', 'display_name'):
        db.execute_sql(f'ALTER TABLE users DROP COLUMN {column}')  # SQLite 3.35+ can
