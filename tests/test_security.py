"""Security checks across the API: no answer tells whether an e-mail address is registered or
shows a user's address."""
from tests.apiclient import PASSWORD, post, sign_up

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
