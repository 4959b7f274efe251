"""Bearer tokens: log in, log out, expiry, storage, and the limit on failed logins."""
import datetime as dt
import hashlib

import pytest

import api
from lib import config
from models.tokens import Token
from tests.apiclient import PASSWORD, CheckedApp, post, sign_up


def log_in(client, username='alice', password=PASSWORD, status=200, address='10.0.0.1',
           **headers):
    return client.post_json('/api/v1/token', {'grant_type': 'password', 'username': username,
                                              'password': password},
                            extra_environ={'REMOTE_ADDR': address}, headers=headers,
                            status=status)


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


def test_ten_failures_for_one_username_are_then_429_with_retry_after(client, alice):
    for attempt in range(10):
        log_in(client, password='wrong password', status=400, address=f'10.0.1.{attempt}')
    answer = log_in(client, status=429, address='10.0.2.1')
    assert answer.json['error']['code'] == 'too_many_requests'
    assert 50 <= int(answer.headers['Retry-After']) <= 60
    sign_up(client, 'bob')  # another username is not limited


def test_ten_failures_from_one_address_are_then_429_for_any_username(client, alice):
    for attempt in range(10):
        log_in(client, username=f'guess{attempt}', password='wrong', status=400)
    answer = log_in(client, status=429)
    assert int(answer.headers['Retry-After']) >= 1
    log_in(client, address='10.9.9.9')  # another address is not limited


def test_behind_a_proxy_the_forwarded_address_is_limited(settings, environ, alice):
    client = CheckedApp(api.create_wsgi(config.load(dict(environ, WARBLE_SERVER_PROXY_HOPS='1'))))
    for attempt in range(10):
        log_in(client, username=f'guess{attempt}', password='wrong', status=400,
               X_Forwarded_For=f'192.0.2.{attempt}, 203.0.113.7')
    log_in(client, status=429, X_Forwarded_For='198.51.100.1, 203.0.113.7')
    log_in(client, status=200, X_Forwarded_For='203.0.113.8')


def test_log_out_of_a_token_with_only_a_session_cookie_is_400_and_the_session_lives(client,
                                                                                    alice):
    opened = client.post_json('/api/v1/session', {'username': 'alice', 'password': PASSWORD})
    csrf = {'X-CSRF-Token': opened.json['csrf_token']}
    answer = client.delete('/api/v1/token', headers=csrf, status=400)
    assert answer.json['error']['code'] == 'no_bearer_token'
    assert 'DELETE /api/v1/session' in answer.json['error']['message']
    assert client.get('/api/v1/session').json['username'] == 'alice'
    client.delete('/api/v1/token', status=403)  # without its CSRF token: refused as any write
