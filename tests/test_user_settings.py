"""A user's own settings (`notify_mentions`): shown to that user only, changed by that user only."""
import pytest

from models.users import User


def test_the_owner_sees_notify_mentions_on_by_default(client, alice):
    answer = client.get('/api/v1/users/alice', headers=alice).json
    assert answer['username'] == 'alice' and answer['notify_mentions'] is True


def test_others_and_anonymous_readers_do_not_see_notify_mentions(client, alice, bob):
    assert 'notify_mentions' not in client.get('/api/v1/users/alice', headers=bob).json
    assert 'notify_mentions' not in client.get('/api/v1/users/alice').json


def test_the_owner_turns_mention_emails_off_and_on(client, alice):
    off = client.patch_json('/api/v1/users/alice', {'notify_mentions': False}, headers=alice)
    assert off.json['notify_mentions'] is False and off.json['username'] == 'alice'
    assert User.by_username('alice').notify_mentions is False
    assert client.get('/api/v1/users/alice', headers=alice).json['notify_mentions'] is False
    on = client.patch_json('/api/v1/users/ALICE', {'notify_mentions': True}, headers=alice)
    assert on.json['notify_mentions'] is True and User.by_username('alice').notify_mentions


def test_another_user_changing_my_settings_is_403_and_changes_nothing(client, alice, bob):
    answer = client.patch_json('/api/v1/users/alice', {'notify_mentions': False}, headers=bob,
                               status=403)
    assert answer.json['error']['code'] == 'forbidden'
    assert User.by_username('alice').notify_mentions is True


def test_changing_settings_without_a_token_is_401(client, alice):
    answer = client.patch_json('/api/v1/users/alice', {'notify_mentions': False}, status=401)
    assert answer.headers['WWW-Authenticate'].startswith('Bearer')
    assert answer.json['error']['code'] == 'unauthorized'
    assert User.by_username('alice').notify_mentions is True


@pytest.mark.parametrize('body, field', [
    ({'notify_mentions': 'no'}, 'notify_mentions'),
    ({'notify_mentions': 0}, 'notify_mentions'),
    ({'notify_mentions': None}, 'notify_mentions'),
    ({}, 'body'),
    ({'notify_mentions': False, 'email': 'x@example.com'}, 'body'),
])
def test_a_bad_settings_change_is_400_naming_the_field(client, alice, body, field):
    answer = client.patch_json('/api/v1/users/alice', body, headers=alice, status=400)
    assert field in answer.json['error']['fields'], answer.json
    assert User.by_username('alice').notify_mentions is True
