"""The PostgreSQL pool: a connection back from a request moments ago is handed to the next one
without a liveness round trip, so an uncached page costs the database one statement."""
import psycopg
import pytest

import api
from lib import config
from tests.harness.apiclient import CheckedApp, post, sign_up


@pytest.fixture
def pg_client(postgres_environ):
    """The app on the PostgreSQL that `postgres_environ` bound and migrated."""
    return CheckedApp(api.create_wsgi(config.load(postgres_environ)))


def test_an_uncached_page_over_a_warm_connection_is_one_statement(pg_client, monkeypatch):
    alice = sign_up(pg_client, 'alice')
    for number in range(25):
        post(pg_client, 'alice', alice, f'post {number}')
    pg_client.get('/api/v1/microposts?size=20', headers={'Authorization': 'uncached'})
    statements = []
    execute = psycopg.Cursor.execute

    def counted(cursor, query, *args, **kwargs):
        statements.append(query)
        return execute(cursor, query, *args, **kwargs)

    monkeypatch.setattr(psycopg.Cursor, 'execute', counted)
    page = pg_client.get('/api/v1/microposts?size=20', headers={'Authorization': 'uncached'})
    assert len(page.json['result']) == 20
    assert len(statements) == 1, statements
