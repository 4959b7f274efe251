"""Hostile input gets a clear 4xx naming what is wrong, never a 5xx, and stores nothing:
deep JSON, lone surrogates, invalid UTF-8, huge values; and, through a live gunicorn, oversized
bodies sent whole or in chunks and oversized request lines and headers."""
import json
import socket
from urllib.parse import quote

import pytest

from models.microposts import Micropost
from models.users import User
from tests.harness.analyzer import sample, stored_rows
from tests.harness.apiclient import PASSWORD
from tests.harness.servers import start_gunicorn, stop


def nested(depth: int) -> str:
    return '[' * depth + ']' * depth


def post_raw(client, path: str, body: str | bytes, **kwargs):
    return client.post(path, body, content_type='application/json', status=400, **kwargs)


@pytest.mark.parametrize('depth', [33, 5000, 200_000])
@pytest.mark.parametrize('path', ['/api/v1/users', '/imports', '/api/v1/token'])
def test_json_nested_too_deeply_is_400(client, path, depth):
    for body in (nested(depth), '{"citizens": [' + nested(depth - 2) + ']}'):
        error = post_raw(client, path, body).json['error']
        assert error['code'] == 'invalid' and 'too deeply' in error['message']
        assert error['fields'] == {'body': 'at most 32 levels'}
    assert stored_rows() == (0, 0, 0) and User.select().count() == 0


def test_json_nested_to_the_limit_is_judged_by_the_schema(client):
    error = post_raw(client, '/imports', '{"citizens": [' + nested(30) + ']}').json['error']
    assert list(error['fields']) == ['citizens.0']


SURROGATE = '\\ud800'  # a JSON escape that decodes to a string no database can store


@pytest.mark.parametrize('field', ['username', 'email', 'password'])
def test_sign_up_with_a_lone_surrogate_is_400_naming_the_field(client, field):
    body = {'username': 'alice', 'email': 'alice@example.com', 'password': PASSWORD}
    text = json.dumps(body).replace(json.dumps(body[field]),
                                    json.dumps(body[field])[:-1] + SURROGATE + '"')
    fields = post_raw(client, '/api/v1/users', text).json['error']['fields']
    assert field in fields
    assert User.select().count() == 0


def test_a_post_with_a_lone_surrogate_is_400(client, alice):
    answer = post_raw(client, '/api/v1/users/alice/collection', f'{{"text": "hi {SURROGATE}"}}',
                      headers=alice)
    assert answer.json['error']['fields'] == {
        'text': 'must not contain lone surrogates (invalid Unicode)'}
    assert Micropost.select().count() == 0


@pytest.mark.parametrize('field', ['username', 'password'])
def test_log_in_with_a_lone_surrogate_is_400(client, alice, field):
    body = {'grant_type': 'password', 'username': 'alice', 'password': PASSWORD}
    body[field] = body[field] + '\ud800'
    text = json.dumps(body)  # ensure_ascii writes the lone surrogate as its escape
    assert field in post_raw(client, '/api/v1/token', text).json['error']['fields']


def test_an_import_with_a_lone_surrogate_is_400_and_stores_nothing(client):
    citizens = sample()
    citizens[1]['street'] = 'Ленина \ud800'
    fields = post_raw(client, '/imports', json.dumps({'citizens': citizens})).json['error'][
        'fields']
    assert list(fields) == ['citizens.1.street']
    assert stored_rows() == (0, 0, 0)


def test_invalid_utf8_in_body_query_and_headers_is_4xx(client, alice):
    assert 'UTF-8' in post_raw(client, '/api/v1/users', b'{"username": "\xff"}').json[
        'error']['message']
    query = client.get('/api/v1/search?text=%ff%fe%fd', status=400)
    assert query.json['error']['fields'] == {'text': 'not valid UTF-8'}
    token = client.post('/api/v1/users/alice/collection', b'{"text": "hi"}',
                        content_type='application/json',
                        headers={'Authorization': 'Bearer \xff\xfe'}, status=401)
    assert token.json['error']['code'] == 'unauthorized'


@pytest.mark.parametrize('value', ['caf\xe9', 'caf\xc3\xa9'])  # not UTF-8, and UTF-8 "café"
def test_a_csrf_token_or_session_cookie_out_of_ascii_is_no_credential(client, alice, value):
    client.post_json('/api/v1/session', {'username': 'alice', 'password': PASSWORD})
    refused = client.post_json('/api/v1/users/alice/collection', {'text': 'hi'},
                               headers={'X-CSRF-Token': value}, status=403)
    assert refused.json['error']['code'] == 'csrf'
    client.delete('/api/v1/session', headers={'X-CSRF-Token': value}, status=403)
    client.set_cookie('warble_session', value)
    answer = client.post_json('/api/v1/users/alice/collection', {'text': 'hi'}, status=401)
    assert answer.json['error']['code'] == 'unauthorized'


def test_invalid_utf8_in_a_forwarded_address_is_not_a_crash(settings, environ, alice):
    import webtest

    import api
    from lib import config
    proxied = webtest.TestApp(api.create_wsgi(config.load(dict(
        environ, WARBLE_SERVER_PROXY_HOPS='1'))))
    answer = proxied.post_json('/api/v1/token', {'grant_type': 'password', 'username': 'alice',
                                                 'password': 'wrong password'},
                               headers={'X-Forwarded-For': '\xff\xfe'}, status=400)
    assert answer.json['error']['code'] == 'invalid_grant'


@pytest.mark.parametrize('path, field', [
    ('/api/v1/microposts?page=' + '9' * 5000, 'page'),
    ('/api/v1/microposts?size=' + '9' * 18, 'size'),
    ('/api/v1/search?text=' + 'a' * 100_000, 'text'),
    ('/api/v1/search?text=abc&username=' + 'b' * 100_000, 'username'),
    ('/api/v1/microposts?' + '&'.join(f'p{n}=1' for n in range(20_000)), 'query'),
    ('/api/v1/users/alice/collection?callback=' + 'c' * 100_000, 'callback'),
])
def test_huge_query_values_are_400_naming_the_parameter(client, path, field):
    assert field in client.get(path, status=400).json['error']['fields']


@pytest.mark.parametrize('digit', ['\u00b3', '\u0663', '\uff11'])  # ³, Arabic-Indic 3, fullwidth 1
def test_digits_other_than_ascii_are_not_numbers(app, digit):
    answer = app.get(f'/api/v1/microposts?size={quote(digit)}', status=400)
    assert list(answer.json['error']['fields']) == ['size']
    assert app.get(f'/imports/{quote(digit)}/citizens', status=404).json['error'][
        'code'] == 'not_found'


@pytest.mark.parametrize('path', ['/imports/' + '9' * 5000 + '/citizens',
                                  '/api/v1/users/alice/collection/' + '9' * 5000,
                                  '/api/v1/users/' + 'a' * 100_000])
def test_huge_path_values_are_4xx(client, path):
    assert client.get(path, expect_errors=True).status_int in (400, 404)


def test_a_json_number_too_long_to_read_is_400(client):
    error = post_raw(client, '/imports', '{"citizens": ' + '9' * 5000 + '}').json['error']
    assert 'not valid JSON' in error['message']


@pytest.fixture
def live(postgres_environ, tmp_path):
    """gunicorn with one gevent worker; yields a function sending raw bytes and returning the
    status line, the headers and the body of the answer."""
    process, url = start_gunicorn(postgres_environ, tmp_path / 'gunicorn.log', workers=1)
    port = int(url.rsplit(':', 1)[1])

    def send(data: bytes) -> tuple[str, dict, bytes]:
        with socket.create_connection(('127.0.0.1', port), timeout=20) as sock:
            try:
                sock.sendall(data)
            except ConnectionResetError:  # answered before the whole body was read
                pass
            answer = b''
            while b'\r\n\r\n' not in answer or not answer.rstrip().endswith((b'}', b'>')):
                chunk = sock.recv(65536)
                if not chunk:
                    break
                answer += chunk
        head, _, body = answer.partition(b'\r\n\r\n')
        status, *lines = head.decode('latin-1').split('\r\n')
        headers = {name.lower(): value.strip() for name, _, value in
                   (line.partition(':') for line in lines)}
        if headers.get('transfer-encoding') == 'chunked':
            body = body.split(b'\r\n', 1)[1].rsplit(b'\r\n0\r\n', 1)[0]
        return status, headers, body
    yield send
    stop(process)


def request(method: str, path: str, headers: dict, body: bytes = b'') -> bytes:
    lines = [f'{method} {path} HTTP/1.1', 'Host: 127.0.0.1', 'Connection: close',
             *(f'{name}: {value}' for name, value in headers.items())]
    return '\r\n'.join(lines).encode() + b'\r\n\r\n' + body


def chunked(payload: bytes, size: int = 65536) -> bytes:
    parts = [payload[start:start + size] for start in range(0, len(payload), size)]
    return b''.join(b'%x\r\n%s\r\n' % (len(part), part) for part in parts) + b'0\r\n\r\n'


def test_bodies_sent_in_chunks_are_read_and_bounded(live):
    sign_up = json.dumps({'username': 'chunky', 'email': 'c@example.com',
                          'password': PASSWORD}).encode()
    status, _, body = live(request('POST', '/api/v1/users', {
        'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked'}, chunked(sign_up)))
    assert status.endswith('201 Created') and json.loads(body)['username'] == 'chunky'
    status, headers, body = live(request('POST', '/api/v1/users', {
        'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked'},
        chunked(b'[' * (2 * 1024 * 1024))))
    assert status.endswith('413 Request Entity Too Large')
    assert json.loads(body)['error']['code'] == 'payload_too_large'


def test_a_body_over_the_limit_is_refused_before_it_is_sent(live):
    status, headers, body = live(request('POST', '/api/v1/users', {
        'Content-Type': 'application/json', 'Content-Length': str(64 * 1024 * 1024)}, b'{'))
    assert status.endswith('413 Request Entity Too Large')
    assert headers['content-type'] == 'application/json'
    assert json.loads(body)['error']['code'] == 'payload_too_large'


MALFORMED = [
    (request('GET', '/api/v1/search?text=' + 'a' * 10_000, {}), '414'),
    (request('GET', '/status', {'X-Big': 'a' * 10_000}), '431'),
    (request('GET', '/status', {f'X-Many-{n}': '1' for n in range(200)}), '431'),
    (request('POST', '/api/v1/users', {'Content-Length': '-5'}), '400'),
    (b'GET /api/v1/users/\xff\xfe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', '400'),
]


def test_malformed_requests_are_4xx_from_gunicorn_itself(live):
    assert [live(data)[0].split()[1] for data, _ in MALFORMED] == [
        status for _, status in MALFORMED]
