"""The outbox, driven in this process against a real SMTP server: what a post owes, the e-mail
itself, one e-mail per key, the claim that keeps two workers from both ending a message, and
the sweep. (tests/test_mention_emails.py runs the same through real Celery workers.)"""
import datetime as dt
import threading

import pytest

from controllers.mentions import mentioned_names
from controllers.outbox import OutboxController, RetryLater
from lib import config
from lib.utils.datekit import utcnow
from models import db
from models.outbox import DELIVERED, FAILED, PENDING, SENDING, SENT, OutboxEmail
from models.users import User
from tests.harness.apiclient import post, sign_up
from tests.harness.metrics import value
from tests.harness.servers import free_port
from tests.harness.smtp import text_and_html


@pytest.fixture
def environ(environ, smtp_server):
    return {**environ, **smtp_server.environ(), 'WARBLE_MAIL_PUBLIC_URL': 'https://warble.example'}


def owed() -> list[tuple[str, str]]:
    """(recipient, state) of every e-mail in the outbox."""
    rows = (OutboxEmail.select(User.username, OutboxEmail.state)
            .join(User, on=(OutboxEmail.recipient == User.id)).tuples())
    return sorted(rows)


def key_for(username: str) -> str:
    return (OutboxEmail.select(OutboxEmail.key).join(User, on=(OutboxEmail.recipient == User.id))
            .where(User.username == username).scalar())


@pytest.mark.parametrize('text, names', [
    ('hello @bob', {'bob'}),
    ('@Bob, @CAROL! (@dave) @eve.', {'bob', 'carol', 'dave', 'eve'}),
    ('mail bob@example.com or @bob@example.com', set()),
    ('@ab is too short, @' + 'x' * 31 + ' too long', set()),
    ('@bob_2 and @bob-3', {'bob_2', 'bob'}),
])
def test_mentions_are_at_signs_before_a_whole_username(text, names):
    assert set(mentioned_names(text)) == names


def test_a_post_owes_one_email_to_each_existing_user_it_names_but_its_author(client, alice, bob):
    sign_up(client, 'carol')
    post(client, 'alice', alice, 'hi @bob @Carol @carol @alice @nobody, bob@example.com',
         referenced='bob')
    assert owed() == [('bob', PENDING), ('carol', PENDING)]


def test_a_post_that_fails_owes_nothing(client, alice, bob):
    client.post_json('/api/v1/users/alice/collection', {'text': 'hi @bob', 'referenced': 'zed'},
                     headers=alice, status=400)
    assert owed() == []


def test_an_edit_owes_emails_only_to_users_it_names_anew(client, alice, bob):
    sign_up(client, 'carol')
    item = post(client, 'alice', alice, 'hi @bob')['href']
    client.patch_json(item, {'text': 'hi @bob and @carol'}, headers=alice)
    assert owed() == [('bob', PENDING), ('carol', PENDING)]
    OutboxEmail.delete().execute()
    client.patch_json(item, {'text': 'hi again @carol', 'referenced': 'bob'}, headers=alice)
    client.put_json(item, {'text': 'bye @BOB and @carol'}, headers=alice)
    assert owed() == []


def test_users_who_turned_mention_emails_off_are_owed_none(client, alice, bob):
    client.patch_json('/api/v1/users/bob', {'notify_mentions': False}, headers=bob)
    post(client, 'alice', alice, 'hi @bob', referenced='bob')
    assert owed() == []
    client.patch_json('/api/v1/users/bob', {'notify_mentions': True}, headers=bob)
    post(client, 'alice', alice, 'hi again @bob')
    assert owed() == [('bob', PENDING)]


def test_an_email_is_multipart_with_a_link_to_the_post_and_sent_once(settings, client, alice, bob,
                                                                      smtp_server):
    created = post(client, 'alice', alice, 'look <b>here</b> @bob & co')
    key = key_for('bob')
    outbox = OutboxController(settings)
    assert outbox.deliver(key) == 'delivered'
    assert outbox.deliver(key) == 'skipped'
    [received] = smtp_server.messages
    message = received.message
    assert received.recipients == ['bob@example.com']
    assert (message['To'], message['From']) == ('bob@example.com', 'Warble <warble@localhost>')
    assert message['Subject'] == 'alice mentioned you on Warble'
    assert message['Message-ID'] == f'<{key}@localhost>'
    assert message.get_content_type() == 'multipart/alternative'
    text, html = text_and_html(message)
    url = f'https://warble.example/users/alice/posts/{created["id"]}'
    profile = 'https://warble.example/users/bob'
    assert 'look <b>here</b> @bob & co' in text and f'Read it at {url}' in text
    assert f'on your page: {profile}' in text
    assert 'look &lt;b&gt;here&lt;/b&gt; @bob &amp; co' in html and f'<a href="{url}">' in html
    assert f'<a href="{profile}">your page</a>' in html
    assert OutboxEmail.get(OutboxEmail.key == key).state == DELIVERED


@pytest.mark.parametrize('step, error', [('rcpt', 'RCPT: 451 4.3.0 Try again later'),
                                         ('data', 'end of data: 451 4.3.0 Try again later')])
def test_a_refusal_for_now_is_tried_again_after_a_growing_wait(settings, client, alice, bob,
                                                               smtp_server, step, error):
    post(client, 'alice', alice, 'hi @bob')
    key, outbox = key_for('bob'), OutboxController(settings)
    waits = []
    for _attempt in range(2):
        smtp_server.refuse_once(step, '451 4.3.0 Try again later')
        with pytest.raises(RetryLater) as later:
            outbox.deliver(key)
        waits.append(later.value.seconds)
    assert waits == [30.0, 60.0]  # mail.retry_seconds, doubling
    row = OutboxEmail.get(OutboxEmail.key == key)
    assert (row.state, row.attempts, row.error, row.sent) == (PENDING, 2, error, None)
    assert row.due > utcnow() + dt.timedelta(seconds=60)  # the sweep leaves the retry be
    assert outbox.deliver(key) == 'delivered'
    assert smtp_server.recipients() == ['bob@example.com']


def test_a_refusal_for_good_is_not_tried_again(settings, client, alice, bob, smtp_server):
    post(client, 'alice', alice, 'hi @bob')
    smtp_server.refuse_once('rcpt', '550 5.1.1 No such mailbox')
    assert OutboxController(settings).deliver(key_for('bob')) == 'failed'
    assert owed() == [('bob', FAILED)]
    assert OutboxController(settings).deliver(key_for('bob')) == 'skipped'
    assert smtp_server.messages == []


def test_an_unreachable_server_is_tried_again(settings, environ, client, alice, bob):
    post(client, 'alice', alice, 'hi @bob')
    closed = config.load(dict(environ, WARBLE_MAIL_PORT=str(free_port())))
    with pytest.raises(RetryLater):
        OutboxController(closed).deliver(key_for('bob'))
    row = OutboxEmail.get(OutboxEmail.key == key_for('bob'))
    assert row.state == PENDING and 'ConnectionRefusedError' in row.error


def test_an_email_about_a_deleted_post_is_not_sent(settings, client, alice, bob, smtp_server):
    item = post(client, 'alice', alice, 'hi @bob')['href']
    key = key_for('bob')
    client.delete(item, headers=alice, status=204)
    assert OutboxController(settings).deliver(key) == 'skipped'
    assert smtp_server.messages == []


def test_a_worker_whose_claim_was_taken_over_never_ends_its_message(settings, client, alice, bob,
                                                                    smtp_server):
    post(client, 'alice', alice, 'hi @bob')
    key = key_for('bob')
    smtp_server.stall_once('rcpt')
    outcomes = []

    def slow_worker():
        try:
            outcomes.append(OutboxController(settings).deliver(key))
        finally:
            db.database.close()

    slow = threading.Thread(target=slow_worker)
    slow.start()
    assert smtp_server.stalled.wait(10)
    OutboxEmail.update(due=utcnow() - dt.timedelta(seconds=1)).execute()  # its lease ran out
    assert OutboxController(settings).sweep() == 1
    assert OutboxController(settings).deliver(key) == 'delivered'
    smtp_server.release()
    slow.join(10)
    assert outcomes == ['taken over']
    assert smtp_server.recipients() == ['bob@example.com']


def test_the_sweep_hands_on_due_and_abandoned_emails_only(settings, client, alice, bob):
    for name in ('carol', 'dave', 'erin', 'frank'):
        sign_up(client, name)
    post(client, 'alice', alice, '@bob @carol @dave @erin @frank')
    past, future = utcnow() - dt.timedelta(seconds=1), utcnow() + dt.timedelta(hours=1)
    states = {'bob': (PENDING, past), 'carol': (PENDING, future), 'dave': (SENDING, past),
              'erin': (SENDING, future), 'frank': (SENT, past)}
    for name, (state, due) in states.items():
        OutboxEmail.update(state=state, due=due, claim='c' * 32).where(
            OutboxEmail.key == key_for(name)).execute()
    assert OutboxController(settings).sweep() == 2
    assert owed() == [('bob', PENDING), ('carol', PENDING), ('dave', PENDING),
                      ('erin', SENDING), ('frank', SENT)]
    handed = OutboxEmail.select().where(OutboxEmail.key.in_([key_for('bob'), key_for('dave')]))
    assert all(row.due > utcnow() and row.claim is None for row in handed)
    assert OutboxController(settings).sweep() == 0


def test_with_redis_down_a_post_succeeds_and_its_email_is_due_at_once(client, alice, bob,
                                                                       redis_server):
    redis_server.stop()
    try:
        post(client, 'alice', alice, 'hi @bob')
    finally:
        redis_server.start()
    row = OutboxEmail.get(OutboxEmail.key == key_for('bob'))
    assert row.state == PENDING and row.due <= utcnow()


def test_the_backlog_counts_emails_not_sent_yet_and_the_age_of_the_oldest(client, alice, bob):
    sign_up(client, 'carol')
    assert 'warble_outbox_backlog_emails 0.0' in client.get('/metrics').text
    post(client, 'alice', alice, 'hi @bob @carol')
    OutboxEmail.update(created=utcnow() - dt.timedelta(seconds=90)).where(
        OutboxEmail.key == key_for('bob')).execute()
    text = client.get('/metrics').text
    assert value(text, 'warble_outbox_backlog_emails') == 2
    assert 90 <= value(text, 'warble_outbox_backlog_oldest_seconds') < 100
    OutboxEmail.update(state=DELIVERED).where(OutboxEmail.key == key_for('bob')).execute()
    OutboxEmail.update(state=SENDING).where(OutboxEmail.key == key_for('carol')).execute()
    text = client.get('/metrics').text
    assert value(text, 'warble_outbox_backlog_emails') == 1  # claimed is not sent
    assert value(text, 'warble_outbox_backlog_oldest_seconds') < 10
    OutboxEmail.update(state=SENT).execute()
    text = client.get('/metrics').text
    assert value(text, 'warble_outbox_backlog_emails') == 0
    assert value(text, 'warble_outbox_backlog_oldest_seconds') == 0

