"""Notifications: a post naming a user and a new follower tell that user in the app, in the
transaction of the post or follow; the list is theirs alone, newest first, paged by id, with an
unread count and marking read."""
from models.notifications import Notification
from models.outbox import OutboxEmail
from tests.harness.apiclient import post, sign_up

LIST = '/api/v1/users/{}/notifications'


def notices(client, username: str, headers: dict, **query) -> list[dict]:
    return client.get(LIST.format(username), query, headers=headers).json['result']


def unread(client, username: str, headers: dict) -> int:
    return client.get(LIST.format(username) + '/unread', headers=headers).json['unread']


def test_a_mention_and_a_follow_notify_the_user_newest_first(client, alice, bob):
    written = post(client, 'bob', bob, 'hello @alice, and @nobody')
    client.post_json('/api/v1/users/bob/following', {'username': 'alice'}, headers=bob,
                     status=201)
    follow, mention = notices(client, 'alice', alice)
    assert (follow['kind'], follow['actor'], follow['post'], follow['read']) == \
        ('follow', 'bob', None, False)
    assert follow['actor_href'].endswith('/api/v1/users/bob')
    assert mention['kind'] == 'mention' and mention['actor'] == 'bob'
    assert mention['post'] == {'id': written['id'], 'username': 'bob',
                               'text': 'hello @alice, and @nobody', 'href': written['href']}
    assert unread(client, 'alice', alice) == 2
    assert notices(client, 'bob', bob) == [] and unread(client, 'bob', bob) == 0


def test_the_referenced_user_is_notified_once_even_when_also_named(client, alice, bob):
    post(client, 'bob', bob, 'see @ALICE here', referenced='alice')
    assert [each['kind'] for each in notices(client, 'alice', alice)] == ['mention']


def test_naming_oneself_notifies_nobody(client, alice):
    post(client, 'alice', alice, 'note to @alice', referenced='alice')
    assert notices(client, 'alice', alice) == [] and unread(client, 'alice', alice) == 0


def test_users_who_turned_mention_emails_off_are_still_notified_in_the_app(client, alice, bob):
    client.patch_json('/api/v1/users/alice', {'notify_mentions': False}, headers=alice)
    post(client, 'bob', bob, 'quiet @alice')
    assert unread(client, 'alice', alice) == 1
    assert OutboxEmail.select().count() == 0, 'the e-mail opt-out is kept'


def test_a_post_refused_leaves_no_notification(client, alice, bob):
    client.post_json('/api/v1/users/bob/collection', {'text': 'hi @alice', 'referenced': 'nobody'},
                     headers=bob, status=400)
    assert Notification.select().count() == 0


def test_refollowing_notifies_again_and_following_twice_does_not(client, alice, bob):
    for status in (201, 200):
        client.post_json('/api/v1/users/bob/following', {'username': 'alice'}, headers=bob,
                         status=status)
    assert unread(client, 'alice', alice) == 1


def test_deleting_the_post_or_unfollowing_takes_the_notification_along(client, alice, bob):
    written = post(client, 'bob', bob, 'hey @alice')
    client.post_json('/api/v1/users/bob/following', {'username': 'alice'}, headers=bob)
    assert unread(client, 'alice', alice) == 2
    client.delete(f'/api/v1/users/bob/collection/{written["id"]}', headers=bob, status=204)
    assert [each['kind'] for each in notices(client, 'alice', alice)] == ['follow']
    client.delete('/api/v1/users/bob/following/alice', headers=bob, status=204)
    assert notices(client, 'alice', alice) == [] and unread(client, 'alice', alice) == 0


def test_an_edit_notifies_the_newly_named_and_forgets_the_no_longer_named(client, alice, bob):
    carol = sign_up(client, 'carol')
    written = post(client, 'bob', bob, 'hi @alice')
    client.patch_json(written['href'], {'text': 'hi @carol'}, headers=bob)
    assert notices(client, 'alice', alice) == []
    assert [each['post']['text'] for each in notices(client, 'carol', carol)] == ['hi @carol']
    client.patch_json(written['href'], {'text': 'hi @carol again'}, headers=bob)
    assert unread(client, 'carol', carol) == 1, 'still named: not notified twice'


def test_marking_read_up_to_an_id_and_by_ids(client, alice, bob):
    for number in range(4):
        post(client, 'bob', bob, f'@alice number {number}')
    newest, third, second, oldest = notices(client, 'alice', alice)
    answer = client.post_json(LIST.format('alice') + '/read', {'up_to': second['id']},
                              headers=alice).json
    assert answer == {'unread': 2}
    assert [each['read'] for each in notices(client, 'alice', alice)] == [False, False, True, True]
    answer = client.post_json(LIST.format('alice') + '/read', {'ids': [newest['id']]},
                              headers=alice).json
    assert answer == {'unread': 1}
    assert [each['id'] for each in notices(client, 'alice', alice) if not each['read']] == \
        [third['id']]


def test_marking_read_touches_only_ones_own(client, alice, bob):
    post(client, 'alice', alice, 'hi @bob')
    post(client, 'bob', bob, 'hi @alice')
    theirs = notices(client, 'bob', bob)[0]['id']
    client.post_json(LIST.format('alice') + '/read', {'ids': [theirs], 'up_to': theirs},
                     headers=alice)
    assert unread(client, 'bob', bob) == 1


def test_pages_follow_ids_newest_first_without_gaps_or_repeats(client, alice, bob):
    for number in range(25):
        post(client, 'bob', bob, f'@alice {number}')
    seen, url = [], LIST.format('alice') + '?size=10'
    while url:
        page = client.get(url, headers=alice).json
        seen += [each['post']['text'] for each in page['result']]
        url = page['next']
    assert seen == [f'@alice {number}' for number in reversed(range(25))]
    oldest = client.get(LIST.format('alice'), {'order': 'oldest', 'size': 3},
                        headers=alice).json
    assert [each['post']['text'] for each in oldest['result']] == ['@alice 0', '@alice 1',
                                                                   '@alice 2']
    newer = client.get(oldest['next'], headers=alice).json['result']
    assert newer[0]['post']['text'] == '@alice 3'


def test_only_the_user_reads_and_marks_their_notifications(client, alice, bob):
    post(client, 'bob', bob, 'hi @alice')
    for path in ('', '/unread'):
        client.get(LIST.format('alice') + path, headers=bob, status=403)
        client.get(LIST.format('alice') + path, status=401)
    client.post_json(LIST.format('alice') + '/read', {'up_to': '1'}, headers=bob, status=403)
    assert unread(client, 'alice', alice) == 1


def test_bad_queries_and_bodies_are_400_naming_the_field(client, alice):
    answer = client.get(LIST.format('alice'), {'before': '1', 'after': '2'}, headers=alice,
                        status=400).json
    assert 'after' in answer['error']['fields']
    answer = client.get(LIST.format('alice'), {'before': 'abc'}, headers=alice, status=400).json
    assert 'before' in answer['error']['fields']
    for body, field in (({'up_to': 'x'}, 'up_to'), ({'ids': [1]}, 'ids.0'),
                        ({'colour': 'red'}, 'body')):
        answer = client.post_json(LIST.format('alice') + '/read', body, headers=alice,
                                  status=400).json
        assert list(answer['error']['fields']) == [field]
    client.post_json(LIST.format('alice') + '/read', {}, headers=alice, status=400)


def test_ids_past_the_largest_integer_name_no_notification_but_page_and_mark(client, alice, bob):
    post(client, 'bob', bob, 'hi @alice')
    beyond = '9999999999999999999'
    assert len(notices(client, 'alice', alice, before=beyond)) == 1
    assert notices(client, 'alice', alice, after=beyond) == []
    answer = client.post_json(LIST.format('alice') + '/read', {'ids': [beyond]}, headers=alice)
    assert answer.json == {'unread': 1}
    answer = client.post_json(LIST.format('alice') + '/read', {'up_to': beyond}, headers=alice)
    assert answer.json == {'unread': 0}
