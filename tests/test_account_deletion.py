"""Deleting one's account, on both databases: after the password is given again, every row of
the user is gone from every table of the schema (the tables are read from the database, so a
table added later is checked too), and so are their Redis feeds, their avatar and their exports'
files; posts of others that name them keep their text."""
import io

import pytest
from PIL import Image

from controllers.exports import ExportController
from controllers.feeds import FeedController
from models import avatars, db, exportfiles, redisdb
from models.microposts import Micropost
from models.timelines import feed_key, member
from models.users import User
from tests.harness.apiclient import PASSWORD, log_in, post, sign_up

NAME, EMAIL = 'zelda_gone', 'zelda.gone@example.net'


@pytest.fixture
def zelda(client) -> dict:
    return sign_up(client, NAME, EMAIL)


def foreign_keys_to(table: str) -> dict[str, list[str]]:
    """Columns of every table that refer to `table`, by table."""
    found: dict[str, list[str]] = {}
    for name in db.database.get_tables():
        for key in db.database.get_foreign_keys(name):
            if key.dest_table == table:
                found.setdefault(name, []).append(key.column)
    return found


def rows_of(table: str) -> list[tuple]:
    return db.database.execute_sql(f'SELECT * FROM "{table}"').fetchall()


def leftovers(user_id: int, post_ids: set[int], token_ids: set[int]) -> list[str]:
    """Every place in the database that still holds something of the user: a row referring to
    them, their e-mail address or name in any text (but a post of others naming them), or the
    id of one of their posts or tokens in any column."""
    found = []
    for table, columns in foreign_keys_to('users').items():
        for column in columns:
            count = db.database.execute_sql(
                f'SELECT count(*) FROM "{table}" WHERE "{column}" = %s'.replace(
                    '%s', '%s' if db.is_postgres() else '?'), (user_id,)).fetchone()[0]
            if count:
                found.append(f'{table}.{column}: {count} row(s)')
    ids = post_ids | token_ids
    for table in db.database.get_tables():
        for row in rows_of(table):
            for value in row:
                if isinstance(value, str) and (EMAIL in value or (
                        NAME in value and f'@{NAME}' not in value)):
                    found.append(f'{table}: {row}')
                if isinstance(value, int) and value in ids:
                    found.append(f'{table}: {row}')
    return found


def png() -> bytes:
    out = io.BytesIO()
    Image.new('RGB', (40, 40), 'green').save(out, 'PNG')
    return out.getvalue()


def test_deleting_the_account_leaves_nothing_of_it_in_any_table(client, settings, zelda, bob):
    user_id = User.by_username(NAME).id
    log_in(client, NAME)
    client.post_json('/api/v1/session', {'username': NAME, 'password': PASSWORD})
    client.reset()
    own = [post(client, NAME, zelda, 'first post, naming @bob', referenced='bob'),
           post(client, NAME, zelda, 'second post')]
    naming = post(client, 'bob', bob, f'hello @{NAME}, welcome', referenced=NAME)
    client.post_json(f'/api/v1/users/{NAME}/following', {'username': 'bob'}, headers=zelda)
    client.post_json('/api/v1/users/bob/following', {'username': NAME}, headers=bob)
    client.post_json('/api/v1/password-resets', {'email': EMAIL}, status=202)
    client.post_json(f'/api/v1/users/{NAME}/email', {'email': 'zelda.next@example.net',
                                                     'password': PASSWORD}, headers=zelda,
                     status=202)
    client.put(f'/api/v1/users/{NAME}/avatar', png(), headers=zelda, content_type='image/png')
    export = client.post_json(f'/api/v1/users/{NAME}/exports', {'format': 'csv'},
                              headers=zelda, status=202).json
    assert ExportController().make(int(export['id'])) == 'done'
    assert avatars.folder(user_id).exists()
    assert (exportfiles.directory() / str(user_id)).exists()
    assert client.get(f'/api/v1/users/{NAME}/notifications/unread', headers=zelda).json == {
        'unread': 2}  # bob named them and followed them
    db.database.execute_sql(f"INSERT INTO user_role (user_id, role) VALUES ({user_id}, 'analyst')")
    bob_id = User.by_username('bob').id
    for each in (user_id, bob_id):  # home feeds in Redis, as a first read builds them
        FeedController().build(each)
    redis = redisdb.get_redis('timelines')
    assert redis.exists(feed_key(user_id))
    assert redis.zscore(feed_key(bob_id), member(int(own[0]['id']))) is not None
    post_ids = {int(each['id']) for each in own}
    token_ids = {row[0] for row in db.database.execute_sql(
        f'SELECT id FROM token WHERE user_id = {user_id}').fetchall()}
    assert len(token_ids) == 3 and leftovers(user_id, post_ids, token_ids) != []
    assert client.get(f'/api/v1/users/{NAME}').json['posts_count'] == 2  # now cached

    client.delete_json(f'/api/v1/users/{NAME}', {'password': PASSWORD}, headers=zelda,
                       status=204)

    assert leftovers(user_id, post_ids, token_ids) == []
    kept = Micropost.get_by_id(int(naming['id']))
    assert (kept.text, kept.referenced_id) == (f'hello @{NAME}, welcome', None)
    assert client.get(naming['href']).json['referenced'] is None
    assert not redis.exists(feed_key(user_id))
    assert not avatars.folder(user_id).exists()
    assert not (exportfiles.directory() / str(user_id)).exists()
    assert all(redis.zscore(feed_key(bob_id), member(each)) is None for each in post_ids)
    client.get(f'/api/v1/users/{NAME}', status=404)
    client.get('/api/v1/users/bob/account', headers=zelda, status=401)
    client.get('/api/v1/users/bob/account', headers=bob, status=200)


def test_deleting_with_a_wrong_password_is_400_and_deletes_nothing(client, zelda):
    post(client, NAME, zelda, 'still here')
    answer = client.delete_json(f'/api/v1/users/{NAME}', {'password': 'not my password'},
                                headers=zelda, status=400)
    assert answer.json['error']['code'] == 'wrong_password'
    assert answer.json['error']['fields'] == {'password': 'not your current password'}
    assert User.by_username(NAME) is not None
    assert len(client.get(f'/api/v1/users/{NAME}/collection').json['result']) == 1
    client.get(f'/api/v1/users/{NAME}/account', headers=zelda, status=200)


def test_deleting_someone_else_is_403(client, zelda, bob):
    client.delete_json(f'/api/v1/users/{NAME}', {'password': PASSWORD}, headers=bob,
                       status=403)
    assert User.by_username(NAME) is not None


def test_deleting_without_a_password_is_400(client, zelda):
    answer = client.delete_json(f'/api/v1/users/{NAME}', {}, headers=zelda, status=400)
    assert answer.json['error']['code'] == 'invalid'
    assert User.by_username(NAME) is not None


def test_deleting_with_the_session_cookie_ends_it(client, zelda):
    session = client.post_json('/api/v1/session', {'username': NAME, 'password': PASSWORD}).json
    client.delete_json(f'/api/v1/users/{NAME}', {'password': PASSWORD},
                       headers={'X-CSRF-Token': session['csrf_token']}, status=204)
    assert client.get('/api/v1/session').json['username'] is None

