"""Trigram search of micropost texts: pg_trgm GIN on PostgreSQL, FTS5 trigram on SQLite.

Both answer case-insensitive substring queries of three characters or more from the index.
On SQLite the FTS5 table reads its text from `micropost` and triggers keep it in sync.
"""
import peewee

SQLITE_UP = (
    "CREATE VIRTUAL TABLE micropost_search USING fts5("
    "text, content='micropost', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER micropost_search_insert AFTER INSERT ON micropost BEGIN "
    "INSERT INTO micropost_search(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER micropost_search_delete AFTER DELETE ON micropost BEGIN "
    "INSERT INTO micropost_search(micropost_search, rowid, text) "
    "VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER micropost_search_update AFTER UPDATE OF text ON micropost BEGIN "
    "INSERT INTO micropost_search(micropost_search, rowid, text) "
    "VALUES ('delete', old.id, old.text); "
    "INSERT INTO micropost_search(rowid, text) VALUES (new.id, new.text); END",
    "INSERT INTO micropost_search(micropost_search) VALUES ('rebuild')",
)
SQLITE_DOWN = (
    'DROP TRIGGER micropost_search_insert',
    'DROP TRIGGER micropost_search_delete',
    'DROP TRIGGER micropost_search_update',
    'DROP TABLE micropost_search',
)
POSTGRES_UP = (
    'CREATE EXTENSION IF NOT EXISTS pg_trgm',
    'CREATE INDEX micropost_text_trigram ON micropost USING gin (text gin_trgm_ops)',
)
POSTGRES_DOWN = ('DROP INDEX micropost_text_trigram',)


def run(db, statements):
    for statement in statements:
        db.execute_sql(statement)


def up(migrator, db):
    run(db, POSTGRES_UP if isinstance(db, peewee.PostgresqlDatabase) else SQLITE_UP)


def down(migrator, db):
    run(db, POSTGRES_DOWN if isinstance(db, peewee.PostgresqlDatabase) else SQLITE_DOWN)
