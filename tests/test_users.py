"""MicroPosts users: sign up and public profiles, on both backends."""
import pytest

import api
from controllers.users import hasher
from lib import config
from models.users import User
from tests.harness.apiclient import PASSWORD, CheckedApp

NEW = {'username': 'alice', 'email': 'alice@example.com', 'password': PASSWORD}


def test_sign_up_is_201_with_the_user_and_its_location(client):
    answer = client.post_json('/api/v1/users', NEW, status=201)
    base = 'http://localhost/api/v1/users/alice'
    assert answer.json == {'username': 'alice', 'href': base, 'collection': f'{base}/collection',
                           'following': f'{base}/following', 'followers': f'{base}/followers',
                           'timeline': f'{base}/timeline', 'created': answer.json['created'],
                           'display_name': None, 'bio': None,
                           'avatar': f'{base}/avatar/default.svg',
                           'avatar_small': f'{base}/avatar/default.svg'}
    assert answer.headers['Location'] == base
    assert answer.json['created'].endswith('Z')


def test_password_is_stored_only_as_an_argon2id_hash(client):
    client.post_json('/api/v1/users', NEW, status=201)
    stored = User.by_username('alice').password_hash
    assert stored.startswith('$argon2id$') and PASSWORD not in stored
    assert hasher.verify(stored, PASSWORD)


def test_sign_up_with_a_taken_username_in_another_case_is_409(client):
    client.post_json('/api/v1/users', NEW, status=201)
    answer = client.post_json('/api/v1/users', dict(NEW, username='ALICE'), status=409)
    assert answer.json['error']['code'] == 'conflict'
    assert answer.json['error']['fields'] == {'username': 'already taken'}


def test_sign_up_with_bad_fields_is_400_naming_each_without_echoing_the_password(client):
    answer = client.post_json('/api/v1/users', {'username': 'a-b', 'email': 'nope',
                                                'password': 'short'}, status=400)
    assert answer.json['error']['fields'] == {
        'username': '3 to 30 letters, digits or underscores',
        'email': 'a valid e-mail address', 'password': '8 to 1024 characters'}
    assert 'short' not in answer.text
    assert User.select().count() == 0


@pytest.mark.parametrize('field, value', [
    ('username', 'alice\n'), ('email', 'alice@example.com\n'), ('username', 'al\x00ce'),
    ('password', 'pass\x00word'),
])
def test_sign_up_with_control_characters_is_400(client, field, value):
    answer = client.post_json('/api/v1/users', dict(NEW, **{field: value}), status=400)
    assert field in answer.json['error']['fields']
    assert User.select().count() == 0


def test_sign_up_with_a_missing_or_unexpected_field_is_400(client):
    missing = client.post_json('/api/v1/users', {'username': 'alice'}, status=400)
    assert "'email' is a required property" in missing.json['error']['fields']['body']
    extra = client.post_json('/api/v1/users', dict(NEW, admin=True), status=400)
    assert extra.json['error']['fields'] == {'body': 'unexpected field(s): admin'}


def test_sign_up_with_a_body_that_is_not_json_is_400(client):
    answer = client.post('/api/v1/users', 'username=alice', content_type='application/json',
                         status=400)
    assert 'not valid JSON' in answer.json['error']['message']


def test_user_is_200_by_any_case_of_the_username(client):
    client.post_json('/api/v1/users', NEW, status=201)
    answer = client.get('/api/v1/users/Alice')
    assert answer.json['username'] == 'alice'
    assert answer.json['timeline'] == 'http://localhost/api/v1/users/alice/timeline'


def test_a_profile_counts_followers_following_and_posts(client, alice, bob):
    assert counts(client.get('/api/v1/users/alice').json) == (0, 0, 0)
    client.post_json('/api/v1/users/bob/following', {'username': 'alice'}, headers=bob)
    client.post_json('/api/v1/users/alice/following', {'username': 'bob'}, headers=alice)
    for number in range(3):
        client.post_json('/api/v1/users/alice/collection', {'text': f'post {number}'},
                         headers=alice)
    assert counts(client.get('/api/v1/users/alice').json) == (1, 1, 3)
    own = client.get('/api/v1/users/alice', headers=alice).json
    assert counts(own) == (1, 1, 3) and own['notify_mentions'] is True
    assert counts(client.get('/api/v1/users/bob').json) == (1, 1, 0)


def test_lists_of_users_and_the_settings_answer_carry_no_counts(client, alice, bob):
    client.post_json('/api/v1/users/bob/following', {'username': 'alice'}, headers=bob)
    for listed in (client.get('/api/v1/users/alice/followers').json['result'][0],
                   client.get('/api/v1/users/bob/following').json['result'][0],
                   client.patch_json('/api/v1/users/alice', {'notify_mentions': False},
                                     headers=alice).json):
        assert not any(key.endswith('_count') for key in listed), listed


def counts(profile: dict) -> tuple[int, int, int]:
    return profile['followers_count'], profile['following_count'], profile['posts_count']


def test_unknown_user_is_404(client):
    answer = client.get('/api/v1/users/nobody', status=404)
    assert answer.json['error'] == {'code': 'not_found', 'message': "There is no user 'nobody'.",
                                    'fields': {}}


def test_links_use_the_configured_base_url(settings, environ):
    settings = config.load(dict(environ, WARBLE_APP_BASE_URL='https://warble.example/'))
    client = CheckedApp(api.create_wsgi(settings))
    answer = client.post_json('/api/v1/users', NEW, status=201)
    assert answer.json['href'] == 'https://warble.example/api/v1/users/alice'
    assert answer.headers['Location'] == 'https://warble.example/api/v1/users/alice'


def test_behind_a_proxy_links_follow_the_forwarded_host(settings, environ):
    client = CheckedApp(api.create_wsgi(config.load(dict(environ, WARBLE_SERVER_PROXY_HOPS='1'))))
    answer = client.post_json('/api/v1/users', NEW, status=201, headers={
        'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'warble.example'})
    assert answer.json['href'] == 'https://warble.example/api/v1/users/alice'


def test_without_a_proxy_forwarded_headers_are_ignored(client):
    answer = client.post_json('/api/v1/users', NEW, status=201, headers={
        'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'evil.example'})
    assert answer.json['href'] == 'http://localhost/api/v1/users/alice'


def test_links_follow_the_host_of_the_request(client):
    client.post_json('/api/v1/users', NEW, status=201)
    answer = client.get('/api/v1/users/alice', extra_environ={'HTTP_HOST': 'posts.test:8443',
                                                              'wsgi.url_scheme': 'https'})
    assert answer.json['href'] == 'https://posts.test:8443/api/v1/users/alice'
