"""Rate limits of sign-up (per address), posting and following (per user), and the number of
people one post may mail: 429 with Retry-After, from the `limits` settings."""
import pytest

from controllers import limits
from lib import config
from models.outbox import OutboxEmail
from models.users import User
from tests.harness.apiclient import PASSWORD, post, sign_up

SMALL = {'WARBLE_LIMITS_SIGNUPS_PER_ADDRESS': '3', 'WARBLE_LIMITS_POSTS_PER_USER': '3',
         'WARBLE_LIMITS_FOLLOWS_PER_USER': '2', 'WARBLE_LIMITS_AVATARS_PER_USER': '2'}


@pytest.fixture
def small_limits(settings, environ):
    """The limits of this test: a few of each, as set through the environment."""
    limits.configure(config.load({**environ, **SMALL}).limits)
    yield
    limits.configure(settings.limits)


def sign_up_from(client, username: str, address: str, status: int = 201, **fields):
    body = {'username': username, 'email': f'{username}@example.com', 'password': PASSWORD,
            **fields}
    return client.post_json('/api/v1/users', body, extra_environ={'REMOTE_ADDR': address},
                            status=status)


def test_sign_ups_beyond_the_limit_of_an_address_are_429(client, small_limits):
    for number in range(3):
        sign_up_from(client, f'user{number}', '10.0.0.1')
    answer = sign_up_from(client, 'user9', '10.0.0.1', status=429)
    assert answer.json['error']['code'] == 'too_many_requests'
    assert 3590 <= int(answer.headers['Retry-After']) <= 3600
    assert User.by_username('user9') is None
    sign_up_from(client, 'user9', '10.0.0.2')  # another address is not limited


def test_refused_sign_ups_count_too_so_names_cannot_be_probed_without_end(client, small_limits):
    sign_up_from(client, 'alice', '10.0.0.1')
    sign_up_from(client, 'alice', '10.0.0.1', status=409)
    sign_up_from(client, 'ALICE', '10.0.0.1', status=409)
    sign_up_from(client, 'alice', '10.0.0.1', status=429)


def test_posts_beyond_the_limit_of_a_user_are_429_and_not_written(client, alice, bob,
                                                                  small_limits):
    for number in range(3):
        post(client, 'alice', alice, f'post {number}')
    answer = client.post_json('/api/v1/users/alice/collection', {'text': 'one too many'},
                              headers=alice, status=429)
    assert 1 <= int(answer.headers['Retry-After']) <= 300
    listed = client.get('/api/v1/users/alice/collection').json['result']
    assert [item['text'] for item in listed] == ['post 2', 'post 1', 'post 0']
    post(client, 'bob', bob, 'bob has his own budget')


def test_avatar_uploads_beyond_the_limit_of_a_user_are_429_before_decoding(client, alice,
                                                                           small_limits):
    for _ in range(2):
        client.put('/api/v1/users/alice/avatar', b'not even a picture', headers=alice,
                   content_type='image/png', status=400)  # refused ones count too
    answer = client.put('/api/v1/users/alice/avatar', b'not even a picture', headers=alice,
                        content_type='image/png', status=429)
    assert answer.json['error']['code'] == 'too_many_requests'
    assert 3590 <= int(answer.headers['Retry-After']) <= 3600


def test_follows_beyond_the_limit_of_a_user_are_429(client, alice, small_limits):
    for number, name in enumerate(('bob', 'carol', 'dave')):
        sign_up_from(client, name, f'10.0.1.{number}')
    for name in ('bob', 'carol'):
        client.post_json('/api/v1/users/alice/following', {'username': name}, headers=alice,
                         status=201)
    answer = client.post_json('/api/v1/users/alice/following', {'username': 'dave'},
                              headers=alice, status=429)
    assert int(answer.headers['Retry-After']) >= 1
    following = client.get('/api/v1/users/alice/following').json['result']
    assert [user['username'] for user in following] == ['bob', 'carol']


def mailed() -> list[str]:
    return sorted(User.get_by_id(row.recipient_id).username for row in OutboxEmail.select())


def test_a_post_mails_at_most_ten_people_the_rest_are_only_named(client, alice):
    names = [f'reader{number:02}' for number in range(13)]
    for name in names:
        sign_up(client, name)
    text = ' '.join(f'@{name}' for name in names[:12])
    created = post(client, 'alice', alice, text, referenced=names[12])
    assert created['text'] == text  # everyone is still named (and linked by the pages)
    assert mailed() == sorted([names[12], *names[:9]])  # the referenced user first, in order


def test_editing_a_post_does_not_mail_beyond_its_ten(client, alice):
    names = [f'reader{number:02}' for number in range(12)]
    for name in names:
        sign_up(client, name)
    created = post(client, 'alice', alice, ' '.join(f'@{name}' for name in names[:8]))
    client.patch_json(created['href'].replace('http://localhost', ''),
                      {'text': ' '.join(f'@{name}' for name in names)}, headers=alice)
    assert mailed() == sorted(names[:10])
