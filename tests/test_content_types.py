"""Every JSON body must say `application/json` (else 415), and the routes that set a session
cookie refuse what a browser sends from another site, so no cross-site form logs a browser in
(the `enctype="text/plain"` form that once did is replayed here as a browser sends it)."""
import json

import pytest

import api
from tests.harness.apiclient import PASSWORD, sign_up

EVIL = 'https://evil.example'
PARAMETERS = {'<username>': 'alice', '<post_id:int>': '1', '<import_id:int>': '1',
              '<citizen_id:int>': '1', '<other>': 'bob'}


def operations_with_a_body() -> list[tuple[str, str]]:
    found = []
    for resource in api.RESOURCES:
        for route in resource.app.routes:
            if (getattr(route.callback, 'operation', None) or {}).get('body') is not None:
                path = route.rule
                for parameter, value in PARAMETERS.items():
                    path = path.replace(parameter, value)
                found.append((route.method, path))
    return found


def text_plain_form(fields: dict) -> bytes:
    """What `<form enctype="text/plain" method="post">` sends for one input named with the
    start of a JSON object and valued with its end: `name=value` and a line break; the
    attacker's own password holds the "="."""
    name, value = json.dumps(fields).split('=')
    return f'{name}={value}\r\n'.encode()


def test_the_operations_found_include_log_in_and_sign_up():
    found = operations_with_a_body()
    assert ('POST', '/api/v1/session') in found and ('POST', '/api/v1/users') in found
    assert len(found) >= 8


@pytest.mark.parametrize('content_type', ['text/plain', 'application/x-www-form-urlencoded',
                                          'multipart/form-data; boundary=x', '',
                                          'application/json; charset=latin-1',
                                          'application/jsonp', 'text/json'])
def test_every_body_that_does_not_say_json_is_415(client, alice, content_type):
    for method, path in operations_with_a_body():
        answer = client.request(path, method=method, body=b'{"text": "hi"}', headers={
            **alice, 'Content-Type': content_type}, expect_errors=True)
        assert answer.status_int == 415, (method, path, answer.status)
        error = answer.json['error']
        assert error['code'] == 'unsupported_media_type'
        assert 'application/json' in error['message']


@pytest.mark.parametrize('content_type', ['application/json', 'application/json; charset=utf-8',
                                          'Application/JSON;charset="UTF-8"'])
def test_json_with_or_without_a_utf8_charset_is_read(client, content_type):
    body = b'{"username": "carol", "email": "carol@example.com", "password": "%s"}' % (
        PASSWORD.encode())
    client.post('/api/v1/users', body, content_type=content_type, status=201)


def test_text_plain_login_form_from_another_site_sets_no_session(client):
    client.post_json('/api/v1/users', {'username': 'mallory', 'email': 'm@example.com',
                                       'password': 'attacker=password'}, status=201)
    body = text_plain_form({'username': 'mallory', 'password': 'attacker=password'})
    assert json.loads(body)['password'] == 'attacker=password'  # it would log in, if read
    for headers in ({'Origin': EVIL, 'Sec-Fetch-Site': 'cross-site'}, {'Origin': EVIL},
                    {'Sec-Fetch-Site': 'cross-site'}, {}):
        answer = client.post('/api/v1/session', body, content_type='text/plain',
                             headers=headers, expect_errors=True)
        assert answer.status_int in (403, 415), answer.status
        assert 'Set-Cookie' not in answer.headers
    assert client.get('/api/v1/session').json == {'username': None, 'csrf_token': None}


@pytest.mark.parametrize('headers', [
    {'Origin': EVIL}, {'Origin': 'null'}, {'Sec-Fetch-Site': 'cross-site'},
    {'Origin': 'http://localhost.evil.example'}, {'Origin': 'https://localhost'},
    {'Origin': 'http://localhost:8081'}, {'Origin': 'http://localhost', 'Sec-Fetch-Site':
                                          'cross-site'}])
def test_cross_site_log_in_and_sign_up_are_403_even_as_json(client, headers):
    sign_up(client, 'mallory')
    client.reset()
    login = client.post_json('/api/v1/session', {'username': 'mallory', 'password': PASSWORD},
                             headers=headers, status=403)
    assert login.json['error']['code'] == 'cross_site' and 'Set-Cookie' not in login.headers
    client.post_json('/api/v1/users', {'username': 'eve', 'email': 'eve@example.com',
                                       'password': PASSWORD}, headers=headers, status=403)
    assert client.get('/api/v1/users/eve', status=404)


@pytest.mark.parametrize('headers', [
    {}, {'Origin': 'http://localhost'}, {'Origin': 'http://localhost:80'},
    {'Origin': 'http://LOCALHOST', 'Sec-Fetch-Site': 'same-origin'},
    {'Sec-Fetch-Site': 'same-origin'}, {'Sec-Fetch-Site': 'none'}])
def test_same_site_or_headerless_log_in_and_sign_up_work(client, headers):
    client.post_json('/api/v1/users', {'username': 'eve', 'email': 'eve@example.com',
                                       'password': PASSWORD}, headers=headers, status=201)
    login = client.post_json('/api/v1/session', {'username': 'eve', 'password': PASSWORD},
                             headers=headers, status=200)
    assert login.json['username'] == 'eve' and 'warble_session' in login.headers['Set-Cookie']
