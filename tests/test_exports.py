"""Exports of one's posts: asked for over the API, written by a real Celery worker in batches
with progress, downloaded by their owner only, byte for byte the posts in JSON and CSV, gone
after their day."""
import csv
import datetime as dt
import io
import json

import pytest

from controllers import exports
from controllers.exports import ExportController
from controllers.notice_rules import EXPORT_ATTEMPTS
from lib.utils.datekit import utcnow
from models import exportfiles
from models.exports import Export
from models.users import User
from tests.harness.apiclient import post
from tests.harness.servers import wait_for

EXPORTS = '/api/v1/users/{}/exports'
TEXTS = ['plain', 'a comma, and "quotes"', 'two\nlines\r\nand a CR', 'unicode: café ✓ 🐦 «ü»',
         '=SUM(A1) leading equals', '  spaces around  ', "semi;colon\ttab 'single'"]


@pytest.fixture
def environ(environ):
    """Batches of two posts, so an export of a few takes several."""
    return {**environ, 'WARBLE_EXPORTS_BATCH': '2'}


def ask(client, username: str, headers: dict, fmt: str, status: int = 202) -> dict:
    return client.post_json(EXPORTS.format(username), {'format': fmt}, headers=headers,
                            status=status).json


def finished(client, headers: dict, export: dict) -> dict:
    """The export once a worker has done it."""
    wait_for(lambda: client.get(export['href'], headers=headers).json['state'] == 'done',
             what='the export')
    return client.get(export['href'], headers=headers).json


def posts_of(client, username: str) -> list[dict]:
    """The user's posts as the API shows them, oldest first, as an export shows them."""
    shown = client.get(f'/api/v1/users/{username}/collection', {'size': 100}).json['result']
    return [{'id': each['id'], 'created': each['timestamp'], 'edited': each['edited'],
             'referenced': each['referenced'], 'text': each['text']} for each in shown[::-1]]


def write_posts(client, alice, bob) -> None:
    for number, text in enumerate(TEXTS):
        post(client, 'alice', alice, text, **({'referenced': 'bob'} if number % 3 == 0 else {}))
    edited = post(client, 'alice', alice, 'to be edited')
    client.patch_json(edited['href'], {'text': 'edited, "now"'}, headers=alice)
    post(client, 'bob', bob, 'not alice, not exported')


def test_json_and_csv_exports_hold_exactly_the_posts(client, alice, bob, celery_worker):
    write_posts(client, alice, bob)
    expected = posts_of(client, 'alice')
    json_export = finished(client, alice, ask(client, 'alice', alice, 'json'))
    assert (json_export['done'], json_export['total']) == (len(expected), len(expected))
    answer = client.get(json_export['download'], headers=alice)
    assert answer.content_type == 'application/json'
    assert answer.headers['Content-Disposition'].startswith(
        'attachment; filename="warble-alice-posts-')
    document = json.loads(answer.body.decode('utf-8'))
    assert document['username'] == 'alice' and document['posts'] == expected

    csv_export = finished(client, alice, ask(client, 'alice', alice, 'csv'))
    answer = client.get(csv_export['download'], headers=alice)
    assert answer.content_type == 'text/csv'
    assert answer.headers['Content-Disposition'].endswith('.csv"')
    assert answer.body.startswith('\ufeff'.encode()), 'a BOM: spreadsheets read UTF-8'
    rows = list(csv.DictReader(io.StringIO(answer.body.decode('utf-8-sig'), newline='')))
    assert rows == [{name: value or '' for name, value in each.items()} for each in expected]


def test_an_export_of_no_posts_is_an_empty_list(client, alice, celery_worker):
    export = finished(client, alice, ask(client, 'alice', alice, 'json'))
    assert (export['done'], export['total']) == (0, 0)
    assert client.get(export['download'], headers=alice).json['posts'] == []


def test_progress_is_recorded_batch_by_batch(client, alice, bob):
    for number in range(5):
        post(client, 'alice', alice, f'post {number}')
    export = ask(client, 'alice', alice, 'csv')
    assert (export['state'], export['done'], export['total'], export['download']) == \
        ('pending', 0, 5, None)
    post(client, 'alice', alice, 'written after the request: not in this export')
    steps = ExportController().steps(int(export['id']))
    assert next(steps) == 'batch'
    shown = client.get(export['href'], headers=alice).json
    assert (shown['state'], shown['done'], shown['total']) == ('running', 2, 5)
    client.get(export['href'] + '/download', headers=alice, status=409)
    assert list(steps) == ['batch', 'batch', 'done']
    shown = client.get(export['href'], headers=alice).json
    assert (shown['state'], shown['done'], shown['total']) == ('done', 5, 5)
    rows = client.get(shown['download'], headers=alice).body.decode('utf-8-sig').splitlines()
    assert rows[1:] == [row for row in rows[1:] if 'after the request' not in row]
    assert len(rows) == 6


def test_one_export_at_a_time_a_second_request_gets_the_first(client, alice):
    first = ask(client, 'alice', alice, 'json')
    again = ask(client, 'alice', alice, 'csv', status=200)
    assert again['id'] == first['id'] and again['format'] == 'json'
    ExportController().make(int(first['id']))
    assert ask(client, 'alice', alice, 'csv')['id'] != first['id']
    listed = client.get(EXPORTS.format('alice'), headers=alice).json['result']
    assert [each['format'] for each in listed] == ['csv', 'json']


def test_an_export_past_its_day_is_gone_and_its_file_removed(client, alice):
    post(client, 'alice', alice, 'soon gone')
    export = ask(client, 'alice', alice, 'json')
    ExportController().make(int(export['id']))
    user = User.get(User.username == 'alice').id
    path = exportfiles.path(user, int(export['id']), 'json')
    assert path.is_file()
    Export.update(expires=utcnow() - dt.timedelta(minutes=1)).execute()
    download = export['href'] + '/download'
    assert client.get(download, headers=alice, status=410).json['error']['code'] == 'gone'
    shown = client.get(export['href'], headers=alice).json
    assert (shown['state'], shown['download']) == ('expired', None)
    assert ExportController().sweep() == {'expired': 1, 'handed_on': 0}
    assert not path.exists()
    assert client.get(download, headers=alice, status=410).json['error']['code'] == 'gone'
    assert ExportController().sweep()['expired'] == 0


def test_only_the_owner_sees_or_downloads_an_export(client, alice, bob):
    export = ask(client, 'alice', alice, 'json')
    ExportController().make(int(export['id']))
    for path in (export['href'], export['href'] + '/download'):
        client.get(path, headers=bob, status=403)
        client.get(path, status=401)
        client.get(path.replace('/users/alice/', '/users/bob/'), headers=bob, status=404)
    client.get(EXPORTS.format('alice'), headers=bob, status=403)
    client.post_json(EXPORTS.format('alice'), {'format': 'csv'}, headers=bob, status=403)
    client.get(EXPORTS.format('alice') + '/123', headers=alice, status=404)


def test_a_bad_format_is_400_naming_the_field(client, alice):
    for body, field, says in (({'format': 'xml'}, 'format', 'json'), ({}, 'body', 'format')):
        answer = client.post_json(EXPORTS.format('alice'), body, headers=alice, status=400).json
        assert says in answer['error']['fields'][field]
    assert Export.select().count() == 0


def test_an_export_whose_worker_was_lost_is_handed_on_by_the_sweep(client, alice,
                                                                  celery_worker):
    for number in range(3):
        post(client, 'alice', alice, f'post {number}')
    Export.insert(id=1, user=User.get(User.username == 'alice').id, format='csv',
                  state='running', claim='gone', total=3, last_post=2 ** 62,
                  due=dt.datetime(2020, 1, 1), expires=dt.datetime(2100, 1, 1)).execute()
    assert ExportController().sweep() == {'expired': 0, 'handed_on': 1}
    wait_for(lambda: Export.get_by_id(1).state == 'done', what='the export handed on')
    assert Export.get_by_id(1).done == 3


def test_forget_deletes_a_users_export_files(client, alice):
    post(client, 'alice', alice, 'mine')
    export = ask(client, 'alice', alice, 'csv')
    ExportController().make(int(export['id']))
    user = User.get(User.username == 'alice').id
    assert exportfiles.path(user, int(export['id']), 'csv').is_file()
    exports.forget(user)
    assert not (exportfiles.directory() / str(user)).exists()
    client.get(export['href'] + '/download', headers=alice, status=410)


def test_an_export_lost_too_often_fails_and_another_may_be_asked_for(client, alice):
    export = ask(client, 'alice', alice, 'json')
    Export.update(attempts=EXPORT_ATTEMPTS).execute()
    assert ExportController().make(int(export['id'])) == 'failed'
    shown = client.get(export['href'], headers=alice).json
    assert (shown['state'], shown['download']) == ('failed', None)
    answer = client.get(export['href'] + '/download', headers=alice, status=409).json
    assert answer['error']['code'] == 'failed'
    assert ask(client, 'alice', alice, 'json')['id'] != export['id']


def test_an_account_deleted_mid_export_leaves_no_file_behind(client, alice, bob):
    for number in range(5):
        post(client, 'alice', alice, f'post {number}')
    export = ask(client, 'alice', alice, 'csv')
    user = User.get(User.username == 'alice').id
    steps = ExportController().steps(int(export['id']))
    assert next(steps) == 'batch'
    exports.forget(user)
    User.delete().where(User.id == user).execute()  # the rows go with the account
    assert list(steps) == ['lost']
    assert not (exportfiles.directory() / str(user)).exists()
    assert Export.select().count() == 0
