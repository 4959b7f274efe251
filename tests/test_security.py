"""Security checks across the API: every answer carries the security headers, and no answer
tells whether an e-mail address is registered or shows a user's address."""
import pytest

from tests.harness.apiclient import PASSWORD, post, sign_up

ALICE_EMAIL = 'alice.private@example.com'


def test_signing_up_with_a_registered_email_answers_as_with_a_new_one(client):
    sign_up(client, 'alice', ALICE_EMAIL)
    reused = client.post_json('/api/v1/users', {'username': 'bob', 'email': ALICE_EMAIL,
                                                'password': PASSWORD}, status=201)
    fresh = client.post_json('/api/v1/users', {'username': 'carol', 'password': PASSWORD,
                                               'email': 'carol@example.com'}, status=201)
    assert set(reused.json) == set(fresh.json) and reused.headers['Location'].endswith('/bob')
    assert ALICE_EMAIL not in reused.text


def test_no_answer_shows_a_users_email_address(client):
    alice = sign_up(client, 'alice', ALICE_EMAIL)
    bob = sign_up(client, 'bob')
    client.post_json('/api/v1/users/bob/following', {'username': 'alice'}, headers=bob)
    created = post(client, 'alice', alice, 'hello, bob', referenced='bob')
    token = client.post_json('/api/v1/token', {'grant_type': 'password', 'username': 'alice',
                                               'password': PASSWORD})
    taken = client.post_json('/api/v1/users', {'username': 'alice', 'email': ALICE_EMAIL,
                                               'password': PASSWORD}, status=409)
    answers = [token, taken, *(client.get(path) for path in (
        '/api/v1/users/alice', '/api/v1/users/alice/collection', created['href'],
        '/api/v1/users/bob/following', '/api/v1/users/alice/followers', '/api/v1/microposts',
        '/api/v1/search?text=hello', '/openapi.json')),
        client.get('/api/v1/users/bob/timeline', headers=bob)]
    assert all(answer.status_int < 500 for answer in answers)
    assert not [answer.request.path for answer in answers
                if ALICE_EMAIL in answer.text or 'alice.private' in answer.text]
    assert 'email' not in client.get('/api/v1/users/alice').json


@pytest.mark.filterwarnings('ignore:Unknown REQUEST_METHOD')
def test_every_kind_of_answer_carries_the_security_headers(client, alice):
    answers = [
        client.get('/'), client.get('/docs'), client.get('/openapi.json'),
        client.get('/metrics'), client.get('/status', status=503),  # no Celery worker
        client.get('/api/v1/microposts'), client.get('/api/v1/microposts?callback=show'),
        client.get('/api/v1/users/alice/timeline', headers=alice),
        client.get('/api/v1/nothing', status=404), client.get('/no/such/page', status=404),
        client.request('/api/v1/microposts', method='BREW', status=405),
        client.get('/api/v1/microposts?callback=1bad', status=400),
        client.get('/api/v1/users/alice/timeline', status=401),
        client.post('/api/v1/users', 'x' * 2_000_000, content_type='application/json',
                    status=413),
    ]
    for answer in answers:
        assert answer.headers['X-Content-Type-Options'] == 'nosniff', answer.request.path
        assert "frame-ancestors 'none'" in answer.headers['Content-Security-Policy']
        assert answer.headers['Referrer-Policy'] == 'same-origin'
