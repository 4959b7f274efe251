"""A post's id is never given again once the post is deleted, on SQLite too.

SQLite gives a new row the largest id + 1, so deleting the newest post handed its id, and its
URL, to the next post: a second DELETE of that URL then deleted someone's new post.
AUTOINCREMENT never reuses an id; SQLite cannot add it to a table, so the table is rebuilt
with its indexes and search triggers (foreign keys are off during migrations). PostgreSQL's
sequences never reuse ids: nothing to do there.
"""
import peewee

PRIMARY_KEY = '"id" INTEGER NOT NULL PRIMARY KEY'


def rebuild(db, primary_key: str) -> None:
    """Rebuild `micropost` with `primary_key` as its id column's definition."""
    table, = db.execute_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'micropost'").fetchone()
    kept = [sql for sql, in db.execute_sql(
        "SELECT sql FROM sqlite_master WHERE tbl_name = 'micropost' "
        "AND type IN ('index', 'trigger') AND sql IS NOT NULL")]
    column = next(definition for definition in (PRIMARY_KEY + ' AUTOINCREMENT', PRIMARY_KEY)
                  if definition in table)
    db.execute_sql(table.replace('"micropost"', '"micropost_rebuilt"', 1)
                   .replace(column, primary_key, 1))
    db.execute_sql('INSERT INTO micropost_rebuilt SELECT * FROM micropost')
    db.execute_sql('DROP TABLE micropost')
    db.execute_sql('ALTER TABLE micropost_rebuilt RENAME TO micropost')
    for sql in kept:
        db.execute_sql(sql)


def up(migrator, db):
    if isinstance(db, peewee.SqliteDatabase):
        rebuild(db, PRIMARY_KEY + ' AUTOINCREMENT')


def down(migrator, db):
    if isinstance(db, peewee.SqliteDatabase):
        rebuild(db, PRIMARY_KEY)
