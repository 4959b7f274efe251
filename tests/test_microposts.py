"""Microposts: collections, single posts, writes by their owner only, and the public feed."""
import logging

import pytest

from tests.harness.apiclient import post

COLLECTION = '/api/v1/users/alice/collection'


def test_create_is_201_with_the_micropost_and_its_location(client, alice, bob):
    answer = client.post_json(COLLECTION, {'text': 'Hello @Bob', 'referenced': 'BOB'},
                              headers=alice, status=201)
    created = answer.json
    href = f'http://localhost{COLLECTION}/{created["id"]}'
    assert created == {'id': created['id'], 'href': href, 'text': 'Hello @Bob',
                       'user': 'http://localhost/api/v1/users/alice', 'username': 'alice',
                       'timestamp': created['timestamp'], 'edited': None, 'referenced': 'bob',
                       'display_name': None,
                       'avatar': 'http://localhost/api/v1/users/alice/avatar/default.svg'}
    assert answer.headers['Location'] == href
    assert created['timestamp'].endswith('Z')
    assert isinstance(created['id'], str) and int(created['id']) > 2**53
    assert client.get(href).json == created


def test_create_in_another_case_of_the_own_username_is_allowed(client, alice):
    answer = client.post_json('/api/v1/users/ALICE/collection', {'text': 'hi'}, headers=alice,
                              status=201)
    assert answer.json['username'] == 'alice'


@pytest.mark.parametrize('body, field', [
    ({'text': ''}, 'text'),
    ({'text': '   '}, 'text'),
    ({'text': 'x' * 256}, 'text'),
    ({'text': 5}, 'text'),
    ({}, 'body'),
    ({'text': 'hi', 'mood': 'happy'}, 'body'),
    ({'text': 'hi', 'referenced': 'nobody'}, 'referenced'),
    ([], 'body'),
])
def test_incorrect_post_is_400_naming_the_field(client, alice, body, field):
    answer = client.post_json(COLLECTION, body, headers=alice, status=400)
    assert field in answer.json['error']['fields']
    assert client.get(COLLECTION).json['result'] == []


def test_text_of_255_characters_is_accepted(client, alice):
    text = 'é' * 255
    assert post(client, 'alice', alice, text)['text'] == text


def test_create_without_a_token_is_401(client, alice):
    answer = client.post_json(COLLECTION, {'text': 'hi'}, status=401)
    assert answer.headers['WWW-Authenticate'] == 'Bearer'


def test_create_in_another_users_collection_is_403(client, alice, bob):
    answer = client.post_json(COLLECTION, {'text': 'hi'}, headers=bob, status=403)
    assert answer.json['error']['code'] == 'forbidden'
    assert client.get(COLLECTION).json['result'] == []


def test_collection_is_the_users_posts_newest_first(client, alice, bob):
    first = post(client, 'alice', alice, 'first')
    post(client, 'bob', bob, 'by bob')
    second = post(client, 'alice', alice, 'second')
    answer = client.get(COLLECTION)
    assert answer.json == {'next': None, 'previous': None, 'result': [second, first]}


def test_collection_of_an_unknown_user_is_404(client):
    client.get('/api/v1/users/nobody/collection', status=404)


def test_post_of_another_user_under_this_users_path_is_404(client, alice, bob):
    by_bob = post(client, 'bob', bob, 'mine')
    answer = client.get(f'{COLLECTION}/{by_bob["id"]}', status=404)
    assert answer.json['error']['message'] == f'alice has no post {by_bob["id"]}.'
    client.get(f'/api/v1/users/nobody/collection/{by_bob["id"]}', status=404)
    client.get(f'{COLLECTION}/999999', status=404)


def test_put_replaces_text_and_reference(client, alice, bob):
    created = post(client, 'alice', alice, 'draft', referenced='bob')
    answer = client.put_json(created['href'], {'text': 'final'}, headers=alice)
    edited = answer.json['edited']
    assert answer.json == dict(created, text='final', referenced=None, edited=edited)
    assert edited.endswith('Z') and edited >= created['timestamp']
    assert client.get(created['href']).json == answer.json


def test_put_without_text_is_400(client, alice, bob):
    created = post(client, 'alice', alice, 'draft')
    answer = client.put_json(created['href'], {'referenced': 'bob'}, headers=alice, status=400)
    assert "'text' is a required property" in answer.json['error']['fields']['body']


def test_patch_changes_only_what_it_names(client, alice, bob):
    created = post(client, 'alice', alice, 'draft', referenced='bob')
    text_only = client.patch_json(created['href'], {'text': 'final'}, headers=alice).json
    assert text_only == dict(created, text='final', edited=text_only['edited'])
    unreferenced = client.patch_json(created['href'], {'referenced': None}, headers=alice).json
    assert unreferenced == dict(created, text='final', referenced=None,
                                edited=unreferenced['edited'])
    assert created['timestamp'] <= text_only['edited'] <= unreferenced['edited']


def test_an_edit_to_the_same_text_and_addressee_leaves_the_post_unedited(client, alice, bob):
    created = post(client, 'alice', alice, 'draft', referenced='bob')
    same = client.patch_json(created['href'], {'text': 'draft', 'referenced': 'BOB'},
                             headers=alice).json
    assert same == created and same['edited'] is None


def test_every_listing_shows_when_a_post_was_edited(client, alice, bob):
    client.post_json('/api/v1/users/bob/following', {'username': 'alice'}, headers=bob)
    kept = post(client, 'alice', alice, 'kept as written')
    changed = post(client, 'alice', alice, 'to be changed')
    changed = client.patch_json(changed['href'], {'text': 'changed'}, headers=alice).json
    assert changed['edited'] is not None and kept['edited'] is None
    for listing, headers in ((COLLECTION, {}), ('/api/v1/microposts', {}),
                             ('/api/v1/users/bob/timeline', bob),
                             ('/api/v1/search?text=change', {})):
        shown = {each['id']: each['edited']
                 for each in client.get(listing, headers=headers).json['result']}
        assert shown.get(changed['id']) == changed['edited'], listing
        assert shown.get(kept['id'], 'absent') in (None, 'absent'), listing


@pytest.mark.parametrize('body, field', [
    ({}, 'body'), ({'text': ''}, 'text'), ({'referenced': 'nobody'}, 'referenced'),
])
def test_patch_with_an_incorrect_body_is_400_and_changes_nothing(client, alice, body, field):
    created = post(client, 'alice', alice, 'draft')
    answer = client.patch_json(created['href'], body, headers=alice, status=400)
    assert field in answer.json['error']['fields']
    assert client.get(created['href']).json == created


@pytest.mark.parametrize('method', ['put_json', 'patch_json'])
def test_edit_is_401_403_and_404_like_the_other_writes(client, alice, bob, method):
    created = post(client, 'alice', alice, 'draft')
    edit = getattr(client, method)
    edit(created['href'], {'text': 'x'}, status=401)
    edit(created['href'], {'text': 'x'}, headers=bob, status=403)
    edit(f'{COLLECTION}/999999', {'text': 'x'}, headers=alice, status=404)
    by_bob = post(client, 'bob', bob, 'bob')
    edit(f'{COLLECTION}/{by_bob["id"]}', {'text': 'x'}, headers=alice, status=404)
    assert client.get(created['href']).json['text'] == 'draft'


def test_delete_is_204_then_the_post_is_gone(client, alice):
    created = post(client, 'alice', alice, 'oops')
    client.delete(created['href'], headers=alice, status=204)
    client.get(created['href'], status=404)
    client.delete(created['href'], headers=alice, status=404)


def test_the_id_of_a_deleted_post_is_never_given_to_a_new_one(client, alice):
    """Else a second DELETE of the newest post's URL, sent twice by a retrying client,
    deletes the post written in between."""
    newest = post(client, 'alice', alice, 'newest')
    client.delete(newest['href'], headers=alice, status=204)
    written = post(client, 'alice', alice, 'written in between')
    assert int(written['id']) > int(newest['id'])
    client.delete(newest['href'], headers=alice, status=404)
    assert client.get(written['href']).json == written


def test_delete_is_401_without_a_token_and_403_for_another_user(client, alice, bob):
    created = post(client, 'alice', alice, 'keep')
    client.delete(created['href'], status=401)
    client.delete(created['href'], headers=bob, status=403)
    assert client.get(created['href']).json == created


def test_feed_is_every_post_newest_first(client, alice, bob):
    posts = [post(client, 'alice', alice, 'a1'), post(client, 'bob', bob, 'b1'),
             post(client, 'alice', alice, 'a2')]
    assert client.get('/api/v1/microposts').json['result'] == posts[::-1]


def test_a_page_of_posts_with_authors_and_references_is_one_query(client, alice, bob, caplog):
    for number in range(25):
        post(client, 'alice' if number % 2 else 'bob', alice if number % 2 else bob,
             f'post {number}', referenced='bob' if number % 3 else None)
    caplog.set_level(logging.DEBUG, logger='peewee')
    caplog.clear()
    page = client.get('/api/v1/microposts?size=20', headers={'Authorization': 'uncached'})
    queries = [record for record in caplog.records if record.name == 'peewee']
    assert len(page.json['result']) == 20 and page.json['result'][0]['text'] == 'post 24'
    assert len(queries) == 1


@pytest.mark.parametrize('post_id', ['0', '-1', '9' * 30, '-' + '9' * 30])
def test_ids_beyond_the_database_integers_are_404(client, alice, post_id):
    client.get(f'{COLLECTION}/{post_id}', status=404)
    client.patch_json(f'{COLLECTION}/{post_id}', {'text': 'x'}, headers=alice, status=404)
    client.delete(f'{COLLECTION}/{post_id}', headers=alice, status=404)


def test_ids_beyond_2_53_travel_as_strings_and_name_their_post_everywhere(client, alice):
    """JavaScript reads a JSON number above 2**53 rounded: the id of a post is a string, and
    its URL, listings, edits and deletion all take the id exactly."""
    answer = client.post_json(COLLECTION, {'text': 'far beyond'}, headers=alice, status=201)
    post_id = answer.json['id']
    assert f'"id": "{post_id}"' in answer.text or f'"id":"{post_id}"' in answer.text
    assert int(post_id) > 2**53 and str(int(post_id)) == post_id
    item = f'{COLLECTION}/{post_id}'
    assert client.get(item).json['id'] == post_id
    assert [row['id'] for row in client.get(COLLECTION).json['result']] == [post_id]
    assert client.patch_json(item, {'text': 'edited'}, headers=alice).json['id'] == post_id
    assert client.get(item).json['text'] == 'edited'
    client.get(f'{COLLECTION}/{int(post_id) + 1}', status=404)  # its neighbour is no post
    client.delete(item, headers=alice, status=204)
    client.get(item, status=404)
