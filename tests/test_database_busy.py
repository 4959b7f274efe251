"""A write that waits past `database.busy_timeout` for a lock another transaction holds is a 503
`busy` with Retry-After, on both backends: the database is busy, not down."""
import sqlite3
from contextlib import contextmanager

import psycopg
import pytest

from models import db


@pytest.fixture
def environ(environ):
    return {**environ, 'WARBLE_DATABASE_BUSY_TIMEOUT': '0.3'}


@contextmanager
def posts_locked(settings):
    """Another connection holds the lock a new post needs, until the block ends."""
    if db.is_postgres():
        with psycopg.connect(settings.database.url) as other:
            other.execute('LOCK TABLE micropost IN EXCLUSIVE MODE')  # readers still pass
            yield
            other.rollback()
        return
    other = sqlite3.connect(db.database.obj.database, isolation_level=None)
    try:
        other.execute('BEGIN IMMEDIATE')  # the write lock of the whole database
        yield
        other.execute('ROLLBACK')
    finally:
        other.close()


def test_a_post_that_waits_out_a_lock_is_503_busy_with_retry_after(client, settings, alice):
    collection = '/api/v1/users/alice/collection'
    with posts_locked(settings):
        answer = client.post_json(collection, {'text': 'at a crowded moment'}, headers=alice,
                                  status=503)
    assert answer.json['error']['code'] == 'busy'
    assert answer.headers['Retry-After'] == '1'
    client.post_json(collection, {'text': 'once it is over'}, headers=alice, status=201)
    assert [post['text'] for post in client.get(collection).json['result']] == ['once it is over']


def test_lock_waits_are_told_from_other_database_errors(settings):
    with posts_locked(settings), pytest.raises(db.peewee.OperationalError) as waited:
        with db.database.atomic():
            db.database.execute_sql("INSERT INTO micropost (user_id, text, created) "
                                    "VALUES (1, 'x', CURRENT_TIMESTAMP)")
    assert db.is_lock_wait(waited.value)
    with pytest.raises(db.peewee.DatabaseError) as broken:
        db.database.execute_sql('SELECT * FROM no_such_table')
    assert not db.is_lock_wait(broken.value)
