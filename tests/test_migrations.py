"""The migration stairway: every migration goes up, down and up again on both backends."""
import pytest

from models import db
from tests.harness.apiclient import log_in


def table_names() -> set[str]:
    """Our tables: not the migration history, nor SQLite's own (`sqlite_stat1` of ANALYZE)."""
    return {name for name in db.database.get_tables()
            if name != 'schema_migration' and not name.startswith('sqlite_')}


def test_stairway_up_down_up(settings):
    runner = db.migrations()
    names = [migration.name for migration in runner.migrations()]
    assert names, 'there are migrations to walk'
    runner.down(names[0])
    assert table_names() == set(), 'every migration reverted leaves no table behind'
    for name in names:
        before = table_names()
        assert runner.up(name) == [name]
        after_up = table_names()
        assert runner.down(name) == [name]
        assert table_names() == before, f'{name} down restores the schema before it'
        assert runner.up(name) == [name]
        assert table_names() == after_up, f'{name} up again gives the same schema'
    assert all(migration.applied for migration in runner.status())


def test_migrate_twice_applies_nothing(settings):
    assert db.migrations().up() == []


def migrations_after(name: str) -> list[str]:
    return [migration.name for migration in db.migrations().migrations() if migration.name > name]


# 0026 rebuilds the table on SQLite only; PostgreSQL cannot walk back below the 64-bit ids of
# 0027 with such ids in place.
@pytest.mark.parametrize('backend', ['sqlite'], indirect=True)
def test_rebuilding_the_posts_table_keeps_posts_their_e_mails_and_their_search(
        backend, client, alice, bob):
    written = client.post_json('/api/v1/users/alice/collection',
                               {'text': 'a findable post', 'referenced': 'bob'},
                               headers=alice).json
    rebuild = '0026_micropost_ids_never_reused'
    runner = db.migrations()
    after_rebuild = [rebuild, *migrations_after(rebuild)]
    for step, walked in ((runner.down, after_rebuild[::-1]), (runner.up, after_rebuild)):
        assert step(rebuild if step == runner.down else None) == walked
        # Read in SQL: below later migrations (0028's `edited`), today's models do not fit.
        assert db.database.execute_sql('SELECT id, text FROM micropost').fetchall() == [
            (int(written['id']), 'a findable post')]
        assert db.database.execute_sql('SELECT count(*) FROM outbox_email').fetchone() == (1,)
        assert db.database.execute_sql(
            "SELECT rowid FROM micropost_search WHERE micropost_search MATCH '\"findable\"'"
        ).fetchall() == [(int(written['id']),)]
    assert client.get(written['href'], headers=alice).json == written  # not from the cache
    found = client.get('/api/v1/search', {'text': 'findable'}, headers=alice).json['result']
    assert [post['id'] for post in found] == [written['id']]


TIME_ORDERED_IDS = '0027_time_ordered_ids'
ID_TABLES = ('micropost', 'follow', 'outbox_email', 'token')


def rows_of(table: str) -> list[tuple]:
    return db.database.execute_sql(f'SELECT * FROM "{table}" ORDER BY id').fetchall()


def column_types() -> dict[tuple[str, str], tuple[str, str | None]]:
    """PostgreSQL: the type and default of every id column and of the post each e-mail names."""
    return {(table, column): (kind, default) for table, column, kind, default in
            db.database.execute_sql(
                'SELECT table_name, column_name, data_type, column_default '
                'FROM information_schema.columns WHERE table_schema = current_schema() '
                "AND (column_name = 'id' AND table_name = ANY(%s) OR column_name = 'micropost_id')",
                (list(ID_TABLES),))}


def test_time_ordered_ids_keep_the_rows_and_references_written_before_them(
        client, alice, bob):
    runner = db.migrations()
    later = migrations_after(TIME_ORDERED_IDS)  # walked down and up with it
    db.database.execute_sql('DELETE FROM token')  # of the sign-ups, beyond INTEGER
    assert runner.down(TIME_ORDERED_IDS) == [*later[::-1], TIME_ORDERED_IDS]
    (alice_id,), (bob_id,) = db.database.execute_sql(
        "SELECT id FROM users WHERE username IN ('alice', 'bob') ORDER BY username").fetchall()
    for sql, arguments in (
            ("INSERT INTO micropost (user_id, text, referenced_id, created) "
             "VALUES (?, 'from before, @bob', ?, CURRENT_TIMESTAMP)", (alice_id, bob_id)),
            ('INSERT INTO follow (follower_id, followed_id, created) '
             'VALUES (?, ?, CURRENT_TIMESTAMP)', (bob_id, alice_id)),
            ('INSERT INTO outbox_email (key, micropost_id, recipient_id, state, attempts, due, '
             "created) SELECT 'mention-old', id, ?, 'pending', 0, CURRENT_TIMESTAMP, "
             'CURRENT_TIMESTAMP FROM micropost', (bob_id,)),
            ('INSERT INTO token (user_id, digest, created, expires) '
             "VALUES (?, 'old', CURRENT_TIMESTAMP, '2999-01-01 00:00:00')", (alice_id,))):
        db.database.execute_sql(sql.replace('?', '%s') if db.is_postgres() else sql, arguments)
    before = {table: rows_of(table) for table in ID_TABLES}
    (old_id,), = db.database.execute_sql('SELECT id FROM micropost').fetchall()
    assert old_id < 2**31

    assert runner.up(TIME_ORDERED_IDS) == [TIME_ORDERED_IDS]
    assert {table: rows_of(table) for table in ID_TABLES} == before
    if db.is_postgres():
        assert set(column_types().values()) == {('bigint', None)}
    assert runner.up() == later
    old = client.get(f'/api/v1/users/alice/collection/{old_id}').json
    assert (old['id'], old['text']) == (str(old_id), 'from before, @bob')
    alice = log_in(client, 'alice')
    new = client.post_json('/api/v1/users/alice/collection', {'text': 'new, @bob'},
                           headers=alice).json
    assert int(new['id']) > 2**53 > old_id
    assert client.get(new['href']).json == new
    client.delete(new['href'], headers=alice)
    db.database.execute_sql('DELETE FROM token WHERE id > 2147483647')

    assert runner.down(TIME_ORDERED_IDS) == [*later[::-1], TIME_ORDERED_IDS]
    assert {table: rows_of(table) for table in ID_TABLES} == before
    if db.is_postgres():
        assert {kind for kind, _ in column_types().values()} == {'integer'}
        db.database.execute_sql('INSERT INTO follow (follower_id, followed_id, created) '
                                'VALUES (%s, %s, CURRENT_TIMESTAMP)', (alice_id, bob_id))
        assert rows_of('follow')[-1][0] == before['follow'][-1][0] + 1  # the sequence goes on
        db.database.execute_sql('DELETE FROM follow WHERE follower_id = %s', (alice_id,))
    assert runner.up(TIME_ORDERED_IDS) == [TIME_ORDERED_IDS]
    assert {table: rows_of(table) for table in ID_TABLES} == before
    assert runner.up() == later


EDITED = '0028_micropost_edited'


def test_the_edited_time_comes_and_goes_with_posts_in_place(client, alice):
    written = client.post_json('/api/v1/users/alice/collection', {'text': 'first'},
                               headers=alice).json
    changed = client.patch_json(written['href'], {'text': 'second'}, headers=alice).json
    assert changed['edited'] is not None
    runner = db.migrations()
    walked = [EDITED, *migrations_after(EDITED)]
    assert runner.down(EDITED) == walked[::-1]
    assert db.database.execute_sql('SELECT id, text FROM micropost').fetchall() == [
        (int(written['id']), 'second')]
    assert runner.up() == walked
    assert client.get(written['href'], headers=alice).json == dict(changed, edited=None)
