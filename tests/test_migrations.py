"""The migration stairway: every migration goes up, down and up again on both backends."""
from models import db


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


def test_rebuilding_the_posts_table_keeps_posts_their_e_mails_and_their_search(
        client, alice, bob):
    written = client.post_json('/api/v1/users/alice/collection',
                               {'text': 'a findable post', 'referenced': 'bob'},
                               headers=alice).json
    rebuild = '0026_micropost_ids_never_reused'
    runner = db.migrations()
    for step in (runner.down, runner.up):
        assert step(rebuild) == [rebuild]
        assert client.get(written['href'], headers=alice).json == written  # not from the cache
        assert db.database.execute_sql('SELECT count(*) FROM outbox_email').fetchone() == (1,)
        found = client.get('/api/v1/search', {'text': 'findable'}, headers=alice).json['result']
        assert [post['id'] for post in found] == [written['id']]
