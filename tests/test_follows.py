"""Follows: following and unfollowing, lists of following and followers, and the timeline."""
import pytest

from tests.harness.apiclient import post, sign_up

FOLLOWING = '/api/v1/users/alice/following'


def names(page: dict) -> list[str]:
    return [user['username'] for user in page['result']]


def test_follow_is_201_with_the_followed_user_then_200(client, alice, bob):
    first = client.post_json(FOLLOWING, {'username': 'BOB'}, headers=alice, status=201)
    profile = client.get('/api/v1/users/bob').json
    assert profile['followers_count'] == 1
    assert first.json == {key: value for key, value in profile.items()
                          if not key.endswith('_count')}  # counts: on the profile only
    again = client.post_json(FOLLOWING, {'username': 'bob'}, headers=alice, status=200)
    assert again.json == first.json
    assert names(client.get(FOLLOWING).json) == ['bob']


def test_following_and_followers_list_users_in_the_order_followed(client, alice, bob):
    carol = sign_up(client, 'carol')
    client.post_json(FOLLOWING, {'username': 'carol'}, headers=alice, status=201)
    client.post_json(FOLLOWING, {'username': 'bob'}, headers=alice, status=201)
    client.post_json('/api/v1/users/carol/following', {'username': 'bob'}, headers=carol,
                     status=201)
    assert names(client.get(FOLLOWING).json) == ['carol', 'bob']
    assert names(client.get('/api/v1/users/bob/followers').json) == ['alice', 'carol']
    assert names(client.get('/api/v1/users/alice/followers').json) == []


def test_following_of_one_name_tells_whether_it_is_followed(client, alice, bob):
    client.post_json(FOLLOWING, {'username': 'bob'}, headers=alice, status=201)
    assert names(client.get(FOLLOWING, {'username': 'BOB'}).json) == ['bob']
    assert names(client.get('/api/v1/users/bob/following', {'username': 'alice'}).json) == []
    client.get(FOLLOWING, {'username': 'no such name!'}, status=400)


@pytest.mark.parametrize('body, field', [
    ({'username': 'nobody'}, 'username'),
    ({'username': 'alice'}, 'username'),
    ({'username': 'x'}, 'username'),
    ({}, 'body'),
    ({'username': 'bob', 'notify': True}, 'body'),
])
def test_follow_unknown_self_or_bad_body_is_400(client, alice, bob, body, field):
    answer = client.post_json(FOLLOWING, body, headers=alice, status=400)
    assert field in answer.json['error']['fields']
    assert names(client.get(FOLLOWING).json) == []


def test_follow_is_401_without_a_token_and_403_for_another_user(client, alice, bob):
    client.post_json(FOLLOWING, {'username': 'bob'}, status=401)
    client.post_json(FOLLOWING, {'username': 'bob'}, headers=bob, status=403)
    assert names(client.get(FOLLOWING).json) == []


def test_unfollow_is_204_then_404(client, alice, bob):
    client.post_json(FOLLOWING, {'username': 'bob'}, headers=alice, status=201)
    client.delete(f'{FOLLOWING}/Bob', headers=alice, status=204)
    assert names(client.get(FOLLOWING).json) == []
    answer = client.delete(f'{FOLLOWING}/bob', headers=alice, status=404)
    assert answer.json['error']['message'] == "alice does not follow 'bob'."


def test_unfollow_of_an_unknown_user_is_404(client, alice):
    client.delete(f'{FOLLOWING}/nobody', headers=alice, status=404)


def test_unfollow_is_401_without_a_token_and_403_for_another_user(client, alice, bob):
    client.post_json(FOLLOWING, {'username': 'bob'}, headers=alice, status=201)
    client.delete(f'{FOLLOWING}/bob', status=401)
    client.delete(f'{FOLLOWING}/bob', headers=bob, status=403)
    assert names(client.get(FOLLOWING).json) == ['bob']


@pytest.mark.parametrize('path', ['following', 'followers'])
def test_lists_of_an_unknown_user_are_404(client, path):
    client.get(f'/api/v1/users/nobody/{path}', status=404)


def test_timeline_is_the_posts_of_followed_users_oldest_first(client, alice, bob):
    carol = sign_up(client, 'carol')
    client.post_json(FOLLOWING, {'username': 'bob'}, headers=alice, status=201)
    client.post_json(FOLLOWING, {'username': 'carol'}, headers=alice, status=201)
    expected = [post(client, 'bob', bob, 'b1'), post(client, 'carol', carol, 'c1'),
                post(client, 'bob', bob, 'b2')]
    post(client, 'alice', alice, 'not mine to read here')
    sign_up(client, 'dave')
    answer = client.get('/api/v1/users/alice/timeline', headers=alice)
    assert answer.json == {'next': None, 'previous': None, 'result': expected}


def test_timeline_drops_the_posts_of_unfollowed_users(client, alice, bob):
    client.post_json(FOLLOWING, {'username': 'bob'}, headers=alice, status=201)
    post(client, 'bob', bob, 'b1')
    client.delete(f'{FOLLOWING}/bob', headers=alice, status=204)
    assert client.get('/api/v1/users/alice/timeline', headers=alice).json['result'] == []


def test_timeline_is_401_without_a_token_403_for_another_user_404_for_nobody(client, alice, bob):
    client.get('/api/v1/users/alice/timeline', status=401)
    client.get('/api/v1/users/alice/timeline', headers=bob, status=403)
    client.get('/api/v1/users/nobody/timeline', headers=bob, status=404)
