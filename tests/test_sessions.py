"""Browser sessions: the HttpOnly cookie, the CSRF token every cookie write carries, logging out."""
import pytest

from tests.harness.apiclient import PASSWORD, sign_up

SESSION = '/api/v1/session'


def open_session(client, username: str, **extra) -> dict:
    """Log in as `username` through the session API; the answer's JSON."""
    return client.post_json(SESSION, {'username': username, 'password': PASSWORD}, **extra).json


def cookie_of(answer) -> str:
    return next(value for name, value in answer.headerlist
                if name == 'Set-Cookie' and value.startswith('warble_session='))


@pytest.fixture
def session(client) -> dict:
    """`alice` logged in through the session API: `{"username", "csrf_token"}`."""
    sign_up(client, 'alice')
    return open_session(client, 'alice')


def test_log_in_sets_an_httponly_samesite_lax_cookie(client):
    sign_up(client, 'alice')
    answer = client.post_json(SESSION, {'username': 'ALICE', 'password': PASSWORD})
    assert answer.json['username'] == 'alice' and len(answer.json['csrf_token']) == 64
    cookie = cookie_of(answer).lower()
    assert 'httponly' in cookie and 'samesite=lax' in cookie and 'path=/' in cookie
    assert 'max-age=86400' in cookie and 'secure' not in cookie
    assert answer.headers['Cache-Control'] == 'no-store'


def test_the_cookie_is_secure_over_https(client):
    sign_up(client, 'alice')
    answer = client.post_json(SESSION, {'username': 'alice', 'password': PASSWORD},
                           extra_environ={'wsgi.url_scheme': 'https'})
    assert '; secure' in cookie_of(answer).lower()


def test_wrong_password_is_400_and_sets_no_cookie(client):
    sign_up(client, 'alice')
    answer = client.post_json(SESSION, {'username': 'alice', 'password': 'wrong password'},
                           status=400)
    assert answer.json['error']['code'] == 'invalid_grant'
    assert 'Set-Cookie' not in answer.headers


def test_session_names_its_user_and_csrf_token(client, session):
    assert client.get(SESSION).json == session


def test_without_a_session_nobody_is_logged_in(client):
    assert client.get(SESSION).json == {'username': None, 'csrf_token': None}


def test_the_cookie_authenticates_reads(client, session):
    assert client.get('/api/v1/users/alice/timeline').json['result'] == []


def test_a_write_with_the_cookie_and_its_csrf_token_is_accepted(client, session):
    answer = client.post_json('/api/v1/users/alice/collection', {'text': 'hello'},
                           headers={'X-CSRF-Token': session['csrf_token']}, status=201)
    assert answer.json['username'] == 'alice'


def test_a_write_with_the_cookie_but_no_csrf_token_is_403(client, session):
    answer = client.post_json('/api/v1/users/alice/collection', {'text': 'hello'}, status=403)
    assert answer.json['error']['code'] == 'csrf'
    assert client.get('/api/v1/users/alice/collection').json['result'] == []


def test_a_write_with_another_sessions_csrf_token_is_403(client, session):
    sign_up(client, 'bob')
    bobs = client.post_json(SESSION, {'username': 'bob', 'password': PASSWORD}).json
    client.post_json(SESSION, {'username': 'alice', 'password': PASSWORD})
    client.delete('/api/v1/users/alice/following/bob', headers={'X-CSRF-Token': bobs['csrf_token']},
               status=403)


def test_a_bearer_write_needs_no_csrf_token(client):
    headers = sign_up(client, 'alice')
    client.post_json('/api/v1/users/alice/collection', {'text': 'hello'}, headers=headers,
                  status=201)


def test_logging_out_revokes_the_session_on_the_server(client, session):
    cookie = client.cookies['warble_session']
    answer = client.delete(SESSION, headers={'X-CSRF-Token': session['csrf_token']}, status=204)
    assert 'warble_session=;' in cookie_of(answer).replace('"', '')
    assert client.get(SESSION).json['username'] is None
    client.set_cookie('warble_session', cookie)
    answer = client.post_json('/api/v1/users/alice/collection', {'text': 'after'},
                           headers={'X-CSRF-Token': session['csrf_token']}, status=401)
    assert answer.json['error']['code'] == 'unauthorized'
    assert client.get(SESSION).json == {'username': None, 'csrf_token': None}


def test_logging_out_needs_the_csrf_token(client, session):
    client.delete(SESSION, status=403)
    assert client.get(SESSION).json['username'] == 'alice'


def test_logging_out_without_a_session_is_harmless(client):
    client.delete(SESSION, status=204)


def test_jsonp_is_refused_to_a_request_with_the_session_cookie(client, session):
    answer = client.get('/api/v1/microposts', {'callback': 'show'}, status=400)
    assert answer.json['error']['fields'] == {'callback': 'not allowed with credentials'}
