"""Mention e-mails end to end: posts through the API, a real Celery worker process on the real
Redis broker, a real SMTP server. Exactly one e-mail per user named, whatever stops when."""
import os
import signal
import time

import pytest

from controllers.outbox import OutboxController
from lib import jobs
from lib.utils.datekit import utcnow
from models.outbox import DELIVERED, SENDING, SENT, OutboxEmail
from models.users import User
from tests.harness.apiclient import post, sign_up
from tests.harness.metrics import value
from tests.harness.servers import start_worker, stop, wait_for


@pytest.fixture
def environ(environ, smtp_server):
    """Mail to the test SMTP server; leases, retries and sweeps in (fractions of) seconds."""
    return {**environ, **smtp_server.environ(), 'WARBLE_MAIL_LEASE_SECONDS': '1',
            'WARBLE_MAIL_RETRY_SECONDS': '0.2', 'WARBLE_MAIL_SWEEP_SECONDS': '0.5'}


def email_of(username: str) -> OutboxEmail:
    return (OutboxEmail.select().join(User, on=(OutboxEmail.recipient == User.id))
            .where(User.username == username).get())


def lines_of(log, request_id: str) -> list[str]:
    """The lines of a worker's (text) log written under `request_id`."""
    return [line for line in log.read_text().splitlines() if f'[{request_id}]' in line]


def wait_for_state(username: str, state: str) -> OutboxEmail:
    wait_for(lambda: email_of(username).state == state, timeout=30,
             what=f'the e-mail to {username} {state}')
    return email_of(username)


def test_a_post_sends_one_email_to_each_user_it_names_who_wants_them(client, alice, bob,
                                                                     celery_worker, smtp_server):
    sign_up(client, 'carol')
    client.patch_json('/api/v1/users/dave', {'notify_mentions': False},
                      headers=sign_up(client, 'dave'))
    post(client, 'alice', alice, 'hi @bob, @carol, @dave and @alice', referenced='bob')
    smtp_server.wait_for(2)
    for name in ('bob', 'carol'):
        wait_for_state(name, DELIVERED)
    assert smtp_server.recipients() == ['bob@example.com', 'carol@example.com']
    assert OutboxEmail.select().count() == 2


def test_an_edit_naming_someone_new_sends_one_more_and_one_keeping_them_sends_none(
        client, alice, bob, celery_worker, smtp_server):
    for name in ('carol', 'dave'):
        sign_up(client, name)
    item = post(client, 'alice', alice, 'hello @bob')['href']
    smtp_server.wait_for(1)
    client.patch_json(item, {'text': 'hello @bob, meet @carol'}, headers=alice)
    smtp_server.wait_for(2)
    client.put_json(item, {'text': 'hello again @carol', 'referenced': 'bob'}, headers=alice)
    post(client, 'alice', alice, 'and @dave')  # a later e-mail: the edit's would come before it
    smtp_server.wait_for(3)
    wait_for_state('dave', DELIVERED)
    assert smtp_server.recipients() == ['bob@example.com', 'carol@example.com',
                                        'dave@example.com']


def test_with_redis_stopped_during_a_post_the_email_goes_out_once_redis_is_back(
        client, alice, bob, redis_server, celery_worker, celery_beat, smtp_server, tmp_path):
    redis_server.stop()
    try:
        post(client, 'alice', {**alice, 'X-Request-ID': 'post-in-outage'}, 'hi @bob')
        assert email_of('bob').due <= utcnow()  # not handed over: the sweep's at once
    finally:
        redis_server.start()
    smtp_server.wait_for(1, timeout=60)
    assert wait_for_state('bob', DELIVERED).attempts == 1
    assert smtp_server.recipients() == ['bob@example.com']
    wait_for(lambda: any('notifications.deliver' in line and "'delivered'" in line
                         for line in lines_of(tmp_path / 'worker.log', 'post-in-outage')),
             what='the task sent by the sweep logging under the id of the post')


@pytest.mark.parametrize('step, state', [('rcpt', SENDING), ('data', SENT)])
def test_a_worker_killed_while_sending_still_ends_with_exactly_one_email(
        settings, environ, client, alice, bob, celery_worker, smtp_server, tmp_path, step, state):
    """Killed before the end of the data went out (`rcpt`: the server drops the message, the
    sweep sends it again) or after (`data`: the server keeps it, nothing sends it again)."""
    smtp_server.stall_once(step)
    post(client, 'alice', alice, 'hi @bob')
    assert smtp_server.stalled.wait(30)
    os.killpg(celery_worker.pid, signal.SIGKILL)
    celery_worker.wait(10)
    smtp_server.release()
    killed = email_of('bob')
    assert killed.state == state
    worker = start_worker(environ, tmp_path / 'second-worker.log')
    try:
        while utcnow() <= killed.due:  # until its lease runs out
            time.sleep(0.05)
        assert OutboxController(settings).sweep() == (1 if step == 'rcpt' else 0)
        jobs.send('notifications.deliver', killed.key)  # the killed task, redelivered
        if step == 'rcpt':
            assert wait_for_state('bob', DELIVERED).attempts == 2
        wait_for(lambda: "'skipped'" in (tmp_path / 'second-worker.log').read_text(),
                 what='the redelivered task')
    finally:
        stop(worker)
    assert smtp_server.recipients() == ['bob@example.com']


def test_a_refusal_at_the_end_of_data_is_retried_and_delivered_once(client, alice, bob,
                                                                    celery_worker, smtp_server):
    smtp_server.refuse_once('data', '451 4.3.0 Try again later')
    post(client, 'alice', alice, 'hi @bob')
    delivered = wait_for_state('bob', DELIVERED)
    assert delivered.attempts == 2 and delivered.error == 'end of data: 451 4.3.0 Try again later'
    assert smtp_server.recipients() == ['bob@example.com']


def test_notification_and_statistics_tasks_are_counted_by_outcome_with_their_durations(
        client, alice, bob, celery_worker, smtp_server):
    jobs.send('notifications.sweep')
    jobs.send('stats.daily')
    smtp_server.refuse_once('data', '451 4.3.0 Try again later')
    post(client, 'alice', alice, 'hi @bob')
    counted = {('notifications.sweep', 'success'): 1, ('stats.daily', 'success'): 1,
               ('notifications.deliver', 'retry'): 1, ('notifications.deliver', 'success'): 1}

    def tasks() -> dict:
        text = client.get('/metrics').text  # the worker's figures, from the same directory
        return {labels: value(text, 'warble_celery_tasks_total', task=labels[0], state=labels[1])
                for labels in counted}

    wait_for(lambda: tasks() == counted, timeout=30, what='every task counted')
    text = client.get('/metrics').text
    assert value(text, 'warble_celery_task_duration_seconds_count',
                 task='notifications.deliver') == 2
    assert value(text, 'warble_celery_task_duration_seconds_count', task='stats.daily') == 1
    assert value(text, 'warble_outbox_backlog_emails') == 0


def test_a_worker_with_several_processes_sends_each_email_once(postgres_environ, smtp_server,
                                                               tmp_path):
    """The pool processes are forked after the start-up check used the database: each must
    open its own connections, not share the one left in the pool."""
    import webtest

    import api
    from lib import config
    environ = {**postgres_environ, **smtp_server.environ(), 'WARBLE_CELERY_CONCURRENCY': '3'}
    client = webtest.TestApp(api.create_wsgi(config.load(environ)))
    alice = sign_up(client, 'alice')
    for name in ('bob', 'carol'):
        sign_up(client, name)
    worker = start_worker(environ, tmp_path / 'worker.log', solo=False)
    try:
        for number in range(30):
            post(client, 'alice', alice, f'{number}: hi @bob and @carol')
        smtp_server.wait_for(60)
        wait_for(lambda: OutboxEmail.select().where(OutboxEmail.state == DELIVERED).count() == 60,
                 what='every e-mail delivered')
    finally:
        stop(worker)
    ids = [received.message['Message-ID'] for received in smtp_server.messages]
    assert len(ids) == len(set(ids)) == 60
    assert 'ProgrammingError' not in (tmp_path / 'worker.log').read_text()
