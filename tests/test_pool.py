"""What a request costs PostgreSQL: a connection back from a request moments ago is handed to
the next one without a liveness round trip, a remembered token is not looked up, so an uncached
page or post is one statement, and so is a new post that names nobody (its INSERT)."""
from collections.abc import Callable

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
    page, sent = statements_of(monkeypatch, lambda: pg_client.get(
        '/api/v1/microposts?size=20', headers={'Authorization': 'uncached'}).json)
    assert len(page['result']) == 20 and len(sent) == 1, sent



def statements_of(monkeypatch, request: Callable[[], object]) -> tuple[object, list[str]]:
    """What `request()` answers, and the statements it sends to PostgreSQL."""
    statements = []
    execute = psycopg.Cursor.execute

    def counted(cursor, query, *args, **kwargs):
        statements.append(query)
        return execute(cursor, query, *args, **kwargs)

    with monkeypatch.context() as patched:
        patched.setattr(psycopg.Cursor, 'execute', counted)
        return request(), statements


def test_one_post_and_a_collection_page_are_one_statement_each(pg_client, monkeypatch):
    alice = sign_up(pg_client, 'alice')
    created = [post(pg_client, 'alice', alice, f'post {number}') for number in range(25)]
    uncached = {'Authorization': 'uncached'}
    pg_client.get(created[3]['href'], headers=uncached)
    one, sent = statements_of(monkeypatch, lambda: pg_client.get(created[3]['href'],
                                                                 headers=uncached).json)
    assert one['text'] == 'post 3' and len(sent) == 1, sent
    page, sent = statements_of(monkeypatch, lambda: pg_client.get(
        '/api/v1/users/Alice/collection?size=20', headers=uncached).json)
    assert len(page['result']) == 20 and len(sent) == 1, sent


def test_a_post_that_names_nobody_is_one_statement(pg_client, monkeypatch):
    alice = sign_up(pg_client, 'alice')
    post(pg_client, 'alice', alice, 'the token is resolved once')
    _, sent = statements_of(monkeypatch, lambda: post(pg_client, 'alice', alice, 'hello'))
    # The post, then its author's display name and picture for the answer.
    assert [query.split()[0].upper() for query in sent] == ['INSERT', 'SELECT'], sent
    assert 'display_name' in sent[1] and 'avatar' in sent[1]


def test_a_post_that_names_someone_is_one_transaction_with_what_it_owes(pg_client,
                                                                       monkeypatch):
    alice = sign_up(pg_client, 'alice')
    sign_up(pg_client, 'bob')
    post(pg_client, 'alice', alice, 'the token is resolved once')
    _, sent = statements_of(monkeypatch, lambda: post(pg_client, 'alice', alice, 'hi @bob'))
    verbs = [query.split()[0].upper() for query in sent]
    # The post and what it owes (an e-mail, a notification) in one transaction; then its
    # author's display name and picture for the answer.
    assert verbs[0] == 'BEGIN' and verbs[-2:] == ['COMMIT', 'SELECT'], sent
    assert verbs.count('INSERT') == 3, sent


def test_an_uncached_profile_is_the_user_and_one_statement_of_counts(pg_client, monkeypatch):
    alice, bob = sign_up(pg_client, 'alice'), sign_up(pg_client, 'bob')
    post(pg_client, 'alice', alice, 'hello')
    pg_client.post_json('/api/v1/users/bob/following', {'username': 'alice'}, headers=bob)
    uncached = {'Authorization': 'uncached'}
    profile, sent = statements_of(monkeypatch, lambda: pg_client.get(
        '/api/v1/users/alice', headers=uncached).json)
    assert (profile['posts_count'], profile['followers_count']) == (1, 1)
    assert len(sent) == 2 and sent[1].upper().count('COUNT(*)') == 3, sent
    listed, sent = statements_of(monkeypatch, lambda: pg_client.get(
        '/api/v1/users/alice/followers', headers=uncached).json)
    assert 'posts_count' not in listed['result'][0]
    assert len(sent) == 2 and not any('COUNT' in query.upper() for query in sent), sent
