"""Profiles: a display name and bio the user writes, shown on their page, beside their posts and
in lists of people; people found by name. Bad input is a 400 naming the field, all or nothing."""
import pytest

from controllers.profile_rules import BIO_MAX, DISPLAY_NAME_MAX
from models.users import User
from tests.harness.apiclient import post, sign_up

ALICE = '/api/v1/users/alice'


def profile_of(client, username='alice', **headers):
    return client.get(f'/api/v1/users/{username}', headers=headers).json


def test_a_new_user_has_no_display_name_or_bio_and_the_drawn_avatar(client, alice):
    shown = profile_of(client)
    assert shown['display_name'] is None and shown['bio'] is None
    assert shown['avatar'] == shown['avatar_small'] == 'http://localhost/api/v1/users/alice/avatar/default.svg'
    assert (shown['followers_count'], shown['following_count'], shown['posts_count']) == (0, 0, 0)


def test_the_owner_writes_a_display_name_and_bio_which_everyone_then_reads(client, alice):
    assert profile_of(client)['display_name'] is None  # cached for anonymous readers
    answer = client.patch_json(ALICE, {'display_name': '  Alice Liddell ',
                                       'bio': 'Curiouser\r\nand curiouser'}, headers=alice)
    assert answer.json['display_name'] == 'Alice Liddell'
    assert answer.json['bio'] == 'Curiouser\nand curiouser'
    assert answer.json['notify_mentions'] is True  # the other settings stay as they were
    shown = profile_of(client)
    assert (shown['display_name'], shown['bio']) == ('Alice Liddell', 'Curiouser\nand curiouser')
    assert User.by_username('alice').display_name == 'Alice Liddell'


def test_names_are_stored_composed_and_empty_ones_clear(client, alice):
    decomposed = 'Zoe\u0308 Saldan\u0303a'
    answer = client.patch_json(ALICE, {'display_name': decomposed}, headers=alice).json
    assert answer['display_name'] == 'Zo\u00eb Salda\u00f1a'
    assert client.patch_json(ALICE, {'display_name': '   ', 'bio': None},
                             headers=alice).json['display_name'] is None
    assert User.by_username('alice').display_name is None


def test_the_longest_name_and_bio_are_taken(client, alice):
    name, bio = 'ß' * DISPLAY_NAME_MAX, '🦉' * BIO_MAX  # characters, not bytes or UTF-16 units
    answer = client.patch_json(ALICE, {'display_name': name, 'bio': bio}, headers=alice).json
    assert (answer['display_name'], answer['bio']) == (name, bio)


@pytest.mark.parametrize('changes, field', [
    ({'display_name': 'a' * (DISPLAY_NAME_MAX + 1)}, 'display_name'),
    ({'bio': 'b' * (BIO_MAX + 1)}, 'bio'),
    ({'display_name': 'bell\x07'}, 'display_name'),
    ({'display_name': 'Ann\nLee'}, 'display_name'),
    ({'display_name': '\x1b[31mred'}, 'display_name'),
    ({'display_name': 'evil\u202egpj.exe'}, 'display_name'),
    ({'display_name': 'zero\x00width'}, 'display_name'),
    ({'display_name': 'line\u2028break'}, 'display_name'),
    ({'bio': 'tab\there'}, 'bio'),
    ({'bio': 'one\ntwo\nthree\nfour\nfive\nsix'}, 'bio'),
    ({'display_name': 'Z' + '\u0301' * 20}, 'display_name'),
    ({'display_name': 12}, 'display_name'),
    ({'bio': ['a']}, 'bio'),
    ({'display_name': 'x', 'avatar': 'y'}, 'body'),
])
def test_a_bad_profile_is_400_naming_the_field_and_changes_nothing(client, alice, changes, field):
    client.patch_json(ALICE, {'display_name': 'Before', 'bio': 'Before'}, headers=alice)
    answer = client.patch_json(ALICE, {'bio': 'After', 'notify_mentions': False, **changes},
                               headers=alice, status=400)
    assert answer.json['error']['code'] == 'invalid'
    assert field in answer.json['error']['fields'], answer.json
    user = User.by_username('alice')
    assert (user.display_name, user.bio, user.notify_mentions) == ('Before', 'Before', True)


def test_someone_else_editing_my_profile_is_403_and_anonymous_401(client, alice, bob):
    refused = client.patch_json(ALICE, {'display_name': 'Mallory'}, headers=bob, status=403)
    assert refused.json['error']['code'] == 'forbidden'
    client.patch_json(ALICE, {'bio': 'anonymous'}, status=401)
    user = User.by_username('alice')
    assert user.display_name is None and user.bio is None


def test_the_display_name_shows_beside_posts_and_in_lists_of_people(client, alice, bob):
    written = post(client, 'alice', alice, 'hello')
    assert written['display_name'] is None and written['avatar'].endswith('/default.svg')
    client.post_json('/api/v1/users/bob/following', {'username': 'alice'}, headers=bob,
                     status=201)
    pages = ('/api/v1/microposts', f'{ALICE}/collection', '/api/v1/users/bob/following',
             '/api/v1/search?text=hello')
    for page in pages:  # each now in the page cache
        assert client.get(page).json['result'][0]['display_name'] is None
    client.patch_json(ALICE, {'display_name': 'Alice L.'}, headers=alice)
    for page in pages:
        assert client.get(page).json['result'][0]['display_name'] == 'Alice L.', page
    assert client.get(written['href']).json['display_name'] == 'Alice L.'
    assert post(client, 'alice', alice, 'again')['display_name'] == 'Alice L.'
    timeline = client.get('/api/v1/users/bob/timeline', headers=bob).json['result']
    assert {each['display_name'] for each in timeline} == {'Alice L.'}


def test_counts_follow_posts_and_follows(client, alice, bob):
    post(client, 'alice', alice, 'one')
    post(client, 'alice', alice, 'two')
    client.post_json('/api/v1/users/bob/following', {'username': 'alice'}, headers=bob)
    alice_shown, bob_shown = profile_of(client), profile_of(client, 'bob')
    assert (alice_shown['posts_count'], alice_shown['followers_count'],
            alice_shown['following_count']) == (2, 1, 0)
    assert (bob_shown['posts_count'], bob_shown['followers_count'],
            bob_shown['following_count']) == (0, 0, 1)


def people(client, status=200, **query):
    return client.get('/api/v1/users', params=query, status=status).json


def test_people_are_found_by_username_or_display_name_ignoring_case(client, alice, bob):
    sign_up(client, 'alicia')
    sign_up(client, 'malice')
    client.patch_json('/api/v1/users/bob', {'display_name': 'Bob Alison'}, headers=bob)
    found = people(client, name='ALI')
    # names starting with it, then those containing it, each in order of username
    assert [user['username'] for user in found['result']] == ['alice', 'alicia', 'bob', 'malice']
    assert found['result'][2]['display_name'] == 'Bob Alison'
    assert 'followers_count' not in found['result'][0]
    assert [user['username'] for user in people(client, name='alice')['result']] == [
        'alice', 'malice']
    assert [user['username'] for user in people(client, name='bob a')['result']] == ['bob']


def test_short_names_match_the_start_of_a_name_or_word_only(client, alice, bob):
    sign_up(client, 'malice')
    client.patch_json('/api/v1/users/bob', {'display_name': 'Robert Li'}, headers=bob)
    assert [user['username'] for user in people(client, name='al')['result']] == ['alice']
    assert [user['username'] for user in people(client, name='li')['result']] == ['bob']


def test_people_search_pages_and_takes_wildcards_literally(client, alice, bob):
    for name in ('ann_1', 'ann_2', 'ann_3', 'annex'):
        sign_up(client, name)
    first = people(client, name='ann', size=2)
    assert [user['username'] for user in first['result']] == ['ann_1', 'ann_2']
    assert 'page=2' in first['next'] and 'name=ann' in first['next']
    second = client.get(first['next']).json
    assert [user['username'] for user in second['result']] == ['ann_3', 'annex']
    assert [user['username'] for user in people(client, name='ann_')['result']] == [
        'ann_1', 'ann_2', 'ann_3']
    assert people(client, name='%')['result'] == []


def test_a_new_user_is_found_at_once_though_the_search_was_cached(client, alice):
    assert people(client, name='carol')['result'] == []
    sign_up(client, 'carol')
    assert [user['username'] for user in people(client, name='carol')['result']] == ['carol']


@pytest.mark.parametrize('query', [{}, {'name': ''}, {'name': '   '},
                                   {'name': 'x' * (DISPLAY_NAME_MAX + 1)},
                                   {'name': 'ann', 'size': 101}, {'name': 'ann', 'text': 'x'}])
def test_a_bad_people_search_is_400(client, query):
    answer = people(client, status=400, **query)
    assert answer['error']['code'] == 'invalid' and answer['error']['fields']


def test_graphql_shows_the_profile_as_rest_does(client, alice):
    client.patch_json(ALICE, {'display_name': 'Alice L.', 'bio': 'Down the rabbit hole'},
                      headers=alice)
    query = '{ user(username: "alice") { displayName bio avatar avatarSmall } }'
    shown = client.post_json('/graphql', {'query': query}).json['data']['user']
    rest = profile_of(client)
    assert shown == {'displayName': rest['display_name'], 'bio': rest['bio'],
                     'avatar': rest['avatar'], 'avatarSmall': rest['avatar_small']}
    assert shown['displayName'] == 'Alice L.'
