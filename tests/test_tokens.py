"""Bearer tokens: log in, log out, expiry and storage (the login limits: test_login_limits)."""
import datetime as dt
import hashlib

import pytest

from models.tokens import Token
from tests.harness.apiclient import PASSWORD, post
from tests.harness.apiclient import ask_token as log_in


def test_log_in_is_200_with_a_bearer_token_for_a_day(client, alice):
    answer = log_in(client)
    assert set(answer.json) == {'access_token', 'token_type', 'expires_in'}
    assert answer.json['token_type'] == 'bearer' and answer.json['expires_in'] == 86400
    assert len(answer.json['access_token']) == 43  # 32 random bytes, base64url
    assert answer.headers['Cache-Control'] == 'no-store'


def test_client_id_and_secret_with_any_grant_type_log_in_too(client, alice):
    answer = client.post_json('/api/v1/token', {'grant_type': 'client_credentials',
                                                'client_id': 'alice', 'client_secret': PASSWORD})
    token = answer.json['access_token']
    post(client, 'alice', {'Authorization': f'Bearer {token}'}, 'hello')


def test_only_the_sha256_digest_of_a_token_is_stored(client, alice):
    token = log_in(client).json['access_token']
    digests = {row.digest for row in Token.select()}
    assert hashlib.sha256(token.encode()).hexdigest() in digests
    assert token not in digests


def test_wrong_password_or_unknown_user_is_400_invalid_grant(client, alice):
    wrong = log_in(client, password='not the password', status=400)
    assert wrong.json['error']['code'] == 'invalid_grant'
    unknown = log_in(client, username='nobody', status=400)
    assert unknown.json['error'] == wrong.json['error']


@pytest.mark.parametrize('body', [
    {'username': 'alice', 'password': PASSWORD},
    {'grant_type': 'client_credentials', 'username': 'alice', 'password': PASSWORD},
    {'grant_type': 'password', 'client_id': 'alice'},
    {'grant_type': 'password', 'username': 'alice', 'password': PASSWORD, 'scope': 'all'},
])
def test_bad_token_request_is_400_without_echoing_the_password(client, alice, body):
    answer = client.post_json('/api/v1/token', body, status=400)
    assert answer.json['error']['code'] == 'invalid'
    assert PASSWORD not in answer.text


def test_log_out_is_204_and_the_token_stops_working(client, alice):
    client.delete('/api/v1/token', headers=alice, status=204)
    answer = client.post_json('/api/v1/users/alice/collection', {'text': 'hi'}, headers=alice,
                              status=401)
    assert answer.headers['WWW-Authenticate'] == 'Bearer'


def test_log_out_revokes_only_that_token(client, alice):
    other = log_in(client).json['access_token']
    client.delete('/api/v1/token', headers=alice, status=204)
    post(client, 'alice', {'Authorization': f'Bearer {other}'}, 'still in')


def test_log_out_without_a_token_is_401(client):
    answer = client.delete('/api/v1/token', status=401)
    assert answer.headers['WWW-Authenticate'] == 'Bearer'
    assert answer.json['error']['code'] == 'unauthorized'


@pytest.mark.parametrize('authorization', ['Bearer nope', 'Basic YWxpY2U6eA==', 'Bearer', ''])
def test_unknown_or_malformed_credentials_are_401(client, alice, authorization):
    answer = client.post_json('/api/v1/users/alice/collection', {'text': 'hi'},
                              headers={'Authorization': authorization}, status=401)
    assert answer.headers['WWW-Authenticate'] == 'Bearer'


def test_expired_token_is_401(client, alice):
    Token.update(expires=dt.datetime(2000, 1, 1)).execute()
    client.post_json('/api/v1/users/alice/collection', {'text': 'hi'}, headers=alice,
                     status=401)


def test_log_out_of_a_token_with_only_a_session_cookie_is_400_and_the_session_lives(client,
                                                                                    alice):
    opened = client.post_json('/api/v1/session', {'username': 'alice', 'password': PASSWORD})
    csrf = {'X-CSRF-Token': opened.json['csrf_token']}
    answer = client.delete('/api/v1/token', headers=csrf, status=400)
    assert answer.json['error']['code'] == 'no_bearer_token'
    assert 'DELETE /api/v1/session' in answer.json['error']['message']
    assert client.get('/api/v1/session').json['username'] == 'alice'
    client.delete('/api/v1/token', status=403)  # without its CSRF token: refused as any write
