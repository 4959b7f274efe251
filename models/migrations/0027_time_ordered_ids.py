"""Posts, follows, owed e-mails and tokens take 64-bit time-ordered ids made by the process that
writes them (`models/ids.py`), no longer a serial counter of the database.

PostgreSQL: their ids and every column that refers to one (`outbox_email.micropost_id`) become
BIGINT, and the serial defaults and their sequences go; rows and references stay as they are.
Down gives back INTEGER columns with sequences that go on after the largest id; it fails, and
changes nothing, once an id beyond INTEGER is stored.

SQLite: an INTEGER PRIMARY KEY already holds any 64-bit integer (it is the rowid, which the
search index of posts follows), and a row given its id keeps it: nothing to change.
"""
import peewee

TABLES = ('micropost', 'follow', 'outbox_email', 'token')
REFERENCES = (('outbox_email', 'micropost_id'),)  # columns naming a row of TABLES


def is_postgres(db) -> bool:
    return isinstance(db, peewee.PostgresqlDatabase)


def up(migrator, db):
    if not is_postgres(db):
        return
    for table in TABLES:
        db.execute_sql(f'ALTER TABLE "{table}" ALTER COLUMN id DROP DEFAULT')
        db.execute_sql(f'DROP SEQUENCE "{table}_id_seq"')
        db.execute_sql(f'ALTER TABLE "{table}" ALTER COLUMN id TYPE BIGINT')
    for table, column in REFERENCES:
        db.execute_sql(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" TYPE BIGINT')


def down(migrator, db):
    if not is_postgres(db):
        return
    for table, column in REFERENCES:
        db.execute_sql(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" TYPE INTEGER')
    for table in TABLES:
        sequence = f'{table}_id_seq'
        db.execute_sql(f'ALTER TABLE "{table}" ALTER COLUMN id TYPE INTEGER')
        db.execute_sql(f'CREATE SEQUENCE "{sequence}" OWNED BY "{table}".id')
        db.execute_sql(f"SELECT setval('\"{sequence}\"', COALESCE(MAX(id), 0) + 1, false) "
                       f'FROM "{table}"')
        db.execute_sql(f'ALTER TABLE "{table}" ALTER COLUMN id '
                       f"SET DEFAULT nextval('\"{sequence}\"')")
