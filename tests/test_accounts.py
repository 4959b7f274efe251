"""Managing one's account through the API, on both databases: the password (changed, or reset
through a link mailed by the outbox to a real SMTP server), the e-mail address (confirmed from
the new address), sessions and tokens (listed, revoked). Every refusal is a 4xx in the JSON
error shape that leaves everything as it was."""
import datetime as dt
import hashlib
import re

import pytest
from argon2 import extract_parameters

import api
from controllers import boot, tokens
from controllers.outbox import OutboxController
from lib import config
from models import db
from models.outbox import OutboxEmail
from models.tickets import AccountTicket
from models.tokens import Token
from models.users import User
from tests.harness.apiclient import PASSWORD, CheckedApp, ask_token, log_in, sign_up

NEW_PASSWORD = 'violet lantern orbit'
LINK = re.compile(r'https://warble\.example(/[a-z-]+)#token=([A-Za-z0-9_-]+)')


@pytest.fixture
def environ(environ, smtp_server):
    return {**environ, **smtp_server.environ(), 'WARBLE_MAIL_PUBLIC_URL': 'https://warble.example'}


def deliver_owed(settings) -> list[str]:
    """Send every e-mail the outbox owes, as a Celery worker would; the outcomes."""
    keys = [row.key for row in OutboxEmail.select(OutboxEmail.key)
            .where(OutboxEmail.state == 'pending')]
    return [OutboxController(settings).deliver(key) for key in keys]


def mailed_link(smtp_server, count: int = 1) -> tuple[str, str, str]:
    """(recipient, screen path, token) of the link in the `count`-th e-mail received."""
    received = smtp_server.wait_for(count)[count - 1]
    text = received.message.get_body(('plain',)).get_content()
    path, token = LINK.search(text).groups()
    return received.recipients[0], path, token


def password_works(client, username: str, password: str) -> bool:
    answer = ask_token(client, username, password, status='*', address='10.9.9.9')
    return answer.status_int == 200


def error_of(answer) -> dict:
    assert answer.content_type == 'application/json'
    return answer.json['error']


# Changing the password

def test_changing_the_password_ends_every_other_session_and_keeps_this_one(client, alice):
    other = log_in(client, 'alice')
    client.post_json('/api/v1/session', {'username': 'alice', 'password': PASSWORD})
    session_cookie = client.cookies['warble_session']
    client.reset()  # this request carries the bearer token `alice` only
    answer = client.put_json('/api/v1/users/alice/password', {
        'current_password': PASSWORD, 'new_password': NEW_PASSWORD}, headers=alice)
    assert answer.json == {'revoked': 2}
    assert client.get('/api/v1/users/alice/account', headers=alice).json['username'] == 'alice'
    client.get('/api/v1/users/alice/account', headers=other, status=401)
    client.set_cookie('warble_session', session_cookie)
    assert client.get('/api/v1/session').json['username'] is None
    assert not password_works(client, 'alice', PASSWORD)
    assert password_works(client, 'alice', NEW_PASSWORD)


def test_a_wrong_current_password_is_400_and_changes_nothing(client, alice):
    other = log_in(client, 'alice')
    answer = client.put_json('/api/v1/users/alice/password', {
        'current_password': 'not it at all', 'new_password': NEW_PASSWORD}, headers=alice,
        status=400)
    assert error_of(answer)['code'] == 'wrong_password'
    assert set(error_of(answer)['fields']) == {'current_password'}
    client.get('/api/v1/users/alice/account', headers=other, status=200)
    assert password_works(client, 'alice', PASSWORD)


def test_an_easy_new_password_is_400_naming_it_and_changes_nothing(client, alice):
    answer = client.put_json('/api/v1/users/alice/password', {
        'current_password': PASSWORD, 'new_password': 'password1'}, headers=alice, status=400)
    assert 'too easy to guess' in error_of(answer)['fields']['new_password']
    assert password_works(client, 'alice', PASSWORD)


def test_changing_someone_elses_password_is_403(client, alice, bob):
    answer = client.put_json('/api/v1/users/alice/password', {
        'current_password': PASSWORD, 'new_password': NEW_PASSWORD}, headers=bob, status=403)
    assert error_of(answer)['code'] == 'forbidden'
    assert password_works(client, 'alice', PASSWORD)


def test_guessing_the_current_password_spends_the_login_budget(client, alice):
    for _ in range(5):
        client.put_json('/api/v1/users/alice/password', {
            'current_password': 'wrong guess', 'new_password': NEW_PASSWORD}, headers=alice,
            status=400, extra_environ={'REMOTE_ADDR': '10.1.1.1'})
    answer = client.put_json('/api/v1/users/alice/password', {
        'current_password': PASSWORD, 'new_password': NEW_PASSWORD}, headers=alice,
        status=429, extra_environ={'REMOTE_ADDR': '10.1.1.1'})
    assert error_of(answer)['code'] == 'too_many_requests'
    assert password_works(client, 'alice', PASSWORD)


# Resetting a forgotten password

def test_a_reset_answers_the_same_whether_or_not_the_address_has_an_account(client, alice):
    known = client.post_json('/api/v1/password-resets', {'email': 'alice@example.com'},
                             status=202)
    unknown = client.post_json('/api/v1/password-resets', {'email': 'nobody@example.com'},
                               status=202)
    assert known.json == unknown.json and known.headers.get('Content-Type') == \
        unknown.headers.get('Content-Type')
    assert [row.ticket_id for row in OutboxEmail.select()] != []
    assert OutboxEmail.select().count() == 1


def test_the_reset_link_is_mailed_and_sets_a_new_password_once(client, settings, smtp_server,
                                                                 alice):
    client.post_json('/api/v1/password-resets', {'email': 'ALICE@example.com'}, status=202)
    assert deliver_owed(settings) == ['delivered']
    recipient, path, token = mailed_link(smtp_server)
    assert (recipient, path) == ('alice@example.com', '/reset-password')
    ticket = AccountTicket.get()
    assert ticket.digest == hashlib.sha256(token.encode()).hexdigest()  # only the digest kept
    answer = client.post_json('/api/v1/password-resets/completion',
                              {'token': token, 'password': NEW_PASSWORD})
    assert answer.json == {'username': 'alice'}
    client.get('/api/v1/users/alice/account', headers=alice, status=401)  # sessions ended
    assert password_works(client, 'alice', NEW_PASSWORD)
    again = client.post_json('/api/v1/password-resets/completion',
                             {'token': token, 'password': 'another fine passphrase'},
                             status=400)
    assert error_of(again)['code'] == 'invalid_token' and 'token' in error_of(again)['fields']
    assert password_works(client, 'alice', NEW_PASSWORD)


def test_an_expired_reset_link_is_400_and_changes_nothing(client, settings, smtp_server, alice):
    client.post_json('/api/v1/password-resets', {'email': 'alice@example.com'}, status=202)
    deliver_owed(settings)
    _, _, token = mailed_link(smtp_server)
    AccountTicket.update(expires=dt.datetime(2020, 1, 1)).execute()
    answer = client.post_json('/api/v1/password-resets/completion',
                              {'token': token, 'password': NEW_PASSWORD}, status=400)
    assert error_of(answer)['code'] == 'invalid_token'
    assert password_works(client, 'alice', PASSWORD)
    client.get('/api/v1/users/alice/account', headers=alice, status=200)


def test_a_newer_reset_request_replaces_the_older_link(client, settings, smtp_server, alice):
    for _ in (1, 2):
        client.post_json('/api/v1/password-resets', {'email': 'alice@example.com'}, status=202)
        deliver_owed(settings)
    _, _, first = mailed_link(smtp_server, 1)
    _, _, second = mailed_link(smtp_server, 2)
    client.post_json('/api/v1/password-resets/completion',
                     {'token': first, 'password': NEW_PASSWORD}, status=400)
    client.post_json('/api/v1/password-resets/completion',
                     {'token': second, 'password': NEW_PASSWORD}, status=200)


def test_an_easy_password_with_a_reset_link_is_400_and_the_link_still_works(
        client, settings, smtp_server, alice):
    client.post_json('/api/v1/password-resets', {'email': 'alice@example.com'}, status=202)
    deliver_owed(settings)
    _, _, token = mailed_link(smtp_server)
    answer = client.post_json('/api/v1/password-resets/completion',
                              {'token': token, 'password': 'alice1234'}, status=400)
    assert set(error_of(answer)['fields']) == {'password'}
    assert password_works(client, 'alice', PASSWORD)
    client.post_json('/api/v1/password-resets/completion',
                     {'token': token, 'password': NEW_PASSWORD}, status=200)


@pytest.mark.parametrize('body, field', [
    ({'token': 'made-up', 'password': NEW_PASSWORD}, 'token'),
    ({'token': 'x' * 65, 'password': NEW_PASSWORD}, 'token'),
    ({'token': 'made-up', 'password': 'short'}, 'password'),
    ({'token': 'made-up'}, 'body'),
])
def test_a_bad_reset_completion_is_400_naming_the_field(client, alice, body, field):
    answer = client.post_json('/api/v1/password-resets/completion', body, status=400)
    assert field in error_of(answer)['fields']
    assert password_works(client, 'alice', PASSWORD)


def test_reset_requests_for_one_address_are_rate_limited(client, alice):
    for address in ('10.0.0.1', '10.0.0.2', '10.0.0.3'):
        client.post_json('/api/v1/password-resets', {'email': 'alice@example.com'},
                         extra_environ={'REMOTE_ADDR': address}, status=202)
    answer = client.post_json('/api/v1/password-resets', {'email': 'alice@example.com'},
                              extra_environ={'REMOTE_ADDR': '10.0.0.4'}, status=429)
    assert error_of(answer)['code'] == 'too_many_requests' and 'Retry-After' in answer.headers
    assert OutboxEmail.select().count() == 1  # each request replaced the one before


def test_a_reset_request_with_a_bad_address_is_400(client):
    answer = client.post_json('/api/v1/password-resets', {'email': 'not an address'}, status=400)
    assert 'email' in error_of(answer)['fields']


# Changing the e-mail address

def test_a_new_address_is_confirmed_from_that_address(client, settings, smtp_server, alice):
    answer = client.post_json('/api/v1/users/alice/email', {
        'email': 'alice.new@example.org', 'password': PASSWORD}, headers=alice, status=202)
    assert answer.json['pending_email'] == 'alice.new@example.org'
    account = client.get('/api/v1/users/alice/account', headers=alice).json
    assert (account['email'], account['pending_email']) == (
        'alice@example.com', 'alice.new@example.org')
    assert deliver_owed(settings) == ['delivered']
    recipient, path, token = mailed_link(smtp_server)
    assert (recipient, path) == ('alice.new@example.org', '/confirm-email')
    confirmed = client.post_json('/api/v1/email-confirmations', {'token': token})
    assert confirmed.json == {'username': 'alice', 'email': 'alice.new@example.org'}
    assert User.by_username('alice').email == 'alice.new@example.org'
    assert client.get('/api/v1/users/alice/account', headers=alice).json['pending_email'] is None
    again = client.post_json('/api/v1/email-confirmations', {'token': token}, status=400)
    assert error_of(again)['code'] == 'invalid_token'


def test_a_taken_address_is_409_and_changes_nothing(client, alice, bob):
    answer = client.post_json('/api/v1/users/alice/email', {
        'email': 'BOB@example.com', 'password': PASSWORD}, headers=alice, status=409)
    assert error_of(answer)['code'] == 'email_taken'
    assert error_of(answer)['fields'] == {'email': 'used by another account'}
    assert AccountTicket.select().count() == 0 and OutboxEmail.select().count() == 0
    assert User.by_username('alice').email == 'alice@example.com'


def test_an_address_taken_before_the_link_is_opened_is_409(client, settings, smtp_server,
                                                            alice):
    client.post_json('/api/v1/users/alice/email', {
        'email': 'shared@example.org', 'password': PASSWORD}, headers=alice, status=202)
    deliver_owed(settings)
    _, _, token = mailed_link(smtp_server)
    sign_up(client, 'carol', 'shared@example.org')
    answer = client.post_json('/api/v1/email-confirmations', {'token': token}, status=409)
    assert error_of(answer)['code'] == 'email_taken'
    assert User.by_username('alice').email == 'alice@example.com'


def test_changing_the_address_with_a_wrong_password_is_400(client, alice):
    answer = client.post_json('/api/v1/users/alice/email', {
        'email': 'alice.new@example.org', 'password': 'not my password'}, headers=alice,
        status=400)
    assert error_of(answer)['code'] == 'wrong_password'
    assert AccountTicket.select().count() == 0


def test_the_same_address_again_is_400(client, alice):
    answer = client.post_json('/api/v1/users/alice/email', {
        'email': 'Alice@Example.com', 'password': PASSWORD}, headers=alice, status=400)
    assert error_of(answer)['fields'] == {'email': 'already yours'}


# Sessions and tokens

def test_sessions_and_tokens_are_listed_with_their_client(client, alice):
    ask_token(client, 'alice', address='192.0.2.7', **{'User-Agent': 'curl/8.5'})
    client.post_json('/api/v1/session', {'username': 'alice', 'password': PASSWORD},
                     headers={'User-Agent': 'Mozilla/5.0 Firefox/133'},
                     extra_environ={'REMOTE_ADDR': '198.51.100.9'})
    listed = client.get('/api/v1/users/alice/sessions', headers=alice).json['result']
    assert len(listed) == 3
    by_agent = {row['user_agent']: row for row in listed}
    assert by_agent['curl/8.5']['kind'] == 'token'
    assert by_agent['curl/8.5']['address'] == '192.0.2.7'
    assert by_agent['Mozilla/5.0 Firefox/133']['kind'] == 'session'
    assert [row['current'] for row in listed].count(True) == 1
    current = next(row for row in listed if row['current'])
    assert current['last_used'] is not None  # this request read it from the database
    assert by_agent['curl/8.5']['last_used'] is None


def test_revoking_a_token_refuses_it_at_once(client, alice):
    other = log_in(client, 'alice')
    client.get('/api/v1/users/alice/account', headers=other, status=200)  # remembered
    listed = client.get('/api/v1/users/alice/sessions', headers=alice).json['result']
    target = next(row for row in listed if not row['current'])
    client.delete(f'/api/v1/users/alice/sessions/{target["id"]}', headers=alice, status=204)
    client.get('/api/v1/users/alice/account', headers=other, status=401)
    left = client.get('/api/v1/users/alice/sessions', headers=alice).json['result']
    assert [row['id'] for row in left] == [row['id'] for row in listed if row['current']]
    client.delete(f'/api/v1/users/alice/sessions/{target["id"]}', headers=alice, status=404)


def test_revoking_someone_elses_token_is_refused_and_it_keeps_working(client, alice, bob):
    bobs = client.get('/api/v1/users/bob/sessions', headers=bob).json['result'][0]['id']
    answer = client.delete(f'/api/v1/users/alice/sessions/{bobs}', headers=alice, status=404)
    assert error_of(answer)['code'] == 'not_found'
    answer = client.delete(f'/api/v1/users/bob/sessions/{bobs}', headers=alice, status=403)
    assert error_of(answer)['code'] == 'forbidden'
    client.get('/api/v1/users/bob/account', headers=bob, status=200)
    client.get('/api/v1/users/bob/sessions', headers=alice, status=403)


def test_the_account_is_shown_to_its_owner_only(client, alice, bob):
    assert client.get('/api/v1/users/alice/account', headers=alice).json['email'] == \
        'alice@example.com'
    client.get('/api/v1/users/alice/account', headers=bob, status=403)
    client.get('/api/v1/users/alice/account', status=401)


def test_the_raw_link_token_is_stored_nowhere(client, settings, smtp_server, alice):
    client.post_json('/api/v1/password-resets', {'email': 'alice@example.com'}, status=202)
    deliver_owed(settings)
    _, _, token = mailed_link(smtp_server)
    for table in db.database.get_tables():
        for row in db.database.execute_sql(f'SELECT * FROM "{table}"').fetchall():
            assert not any(isinstance(value, str) and token in value for value in row), table



def test_without_redis_a_password_change_is_503_and_changes_nothing(settings, environ, tmp_path):
    down = config.load(dict(environ, WARBLE_REDIS_SESSIONS_URL=f'unix://{tmp_path}/none.sock'))
    boot.configure(down)
    try:
        client = CheckedApp(api.create_wsgi(down))
        alice = sign_up(client, 'alice')
        other = log_in(client, 'alice')
        answer = client.put_json('/api/v1/users/alice/password', {
            'current_password': PASSWORD, 'new_password': NEW_PASSWORD}, headers=alice,
            status=503)
        assert error_of(answer)['code'] == 'unavailable'
        client.get('/api/v1/users/alice/account', headers=other, status=200)
        assert password_works(client, 'alice', PASSWORD)
        client.delete_json('/api/v1/users/alice', {'password': PASSWORD}, headers=alice,
                           status=503)
        assert User.by_username('alice') is not None
    finally:
        boot.configure(settings)


def test_the_last_use_of_a_token_is_written_at_most_once_a_minute(client, alice):
    def last_used() -> dt.datetime:
        return Token.select(Token.last_used).scalar()

    client.get('/api/v1/users/alice/account', headers=alice)
    first = last_used()
    assert first is not None
    tokens._remembered.clear()  # as another worker, which reads the token from the database
    client.get('/api/v1/users/alice/account', headers=alice)
    assert last_used() == first
    Token.update(last_used=first - dt.timedelta(seconds=61)).execute()
    tokens._remembered.clear()
    client.get('/api/v1/users/alice/account', headers=alice)
    assert last_used() > first - dt.timedelta(seconds=61)


def test_a_changed_password_is_hashed_at_the_configured_cost(client, settings, alice):
    client.put_json('/api/v1/users/alice/password', {
        'current_password': PASSWORD, 'new_password': NEW_PASSWORD}, headers=alice)
    cost = extract_parameters(User.by_username('alice').password_hash)
    assert (cost.time_cost, cost.memory_cost) == (settings.passwords.time_cost,
                                                  settings.passwords.memory_kib)
