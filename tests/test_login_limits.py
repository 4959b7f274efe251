"""Login limits: a budget per username and address and a larger one per username, taken before
the password is checked, so that parallel guesses check no more passwords than the limit."""
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

import api
from lib import config
from tests.harness.apiclient import PASSWORD, CheckedApp, post, sign_up, sign_up_over_http
from tests.harness.apiclient import ask_token as log_in
from tests.harness.servers import start_gunicorn, stop

PER_ADDRESS = 5  # etc/config.json limits.login_per_address
PER_USER = 50    # limits.login_per_user


def test_five_failures_from_one_address_are_then_429_with_retry_after(client, alice):
    for _ in range(PER_ADDRESS):
        log_in(client, password='wrong password', status=400)
    answer = log_in(client, status=429)  # even the right password
    assert answer.json['error']['code'] == 'too_many_requests'
    assert 'try again' in answer.json['error']['message']
    assert 890 <= int(answer.headers['Retry-After']) <= 900


def test_failures_from_one_address_block_neither_other_addresses_nor_other_accounts(
        client, alice, bob):
    for _ in range(PER_ADDRESS):
        log_in(client, password='wrong password', status=400)
    log_in(client, status=429)
    log_in(client, address='10.0.0.2')                 # alice elsewhere (another person, NAT)
    log_in(client, username='bob', address='10.0.0.1')  # someone else behind the same address


def test_the_addresses_of_one_ipv6_subscriber_count_as_one(client, alice):
    for attempt in range(PER_ADDRESS):
        log_in(client, password='wrong password', status=400, address=f'2001:db8:5:6::{attempt}')
    log_in(client, status=429, address='2001:db8:5:6:ffff::1')  # the same /64
    log_in(client, address='2001:db8:5:7::1')                    # another subscriber


def test_an_open_session_keeps_working_while_logins_are_refused(client, alice):
    for attempt in range(PER_USER):
        log_in(client, password='wrong password', status=400, address=f'10.1.{attempt}.1')
    log_in(client, status=429, address='10.2.0.1')
    post(client, 'alice', alice, 'still writing with the token I had')


def test_fifty_failures_from_many_addresses_are_then_429_from_anywhere(client, alice):
    for attempt in range(PER_USER):
        log_in(client, password='wrong password', status=400, address=f'10.1.{attempt}.1')
    answer = log_in(client, status=429, address='10.2.0.1')
    assert 3590 <= int(answer.headers['Retry-After']) <= 3600


def test_guessing_from_elsewhere_does_not_stop_the_owner_at_an_address_they_used(client):
    sign_up(client, 'alice')
    log_in(client, address='10.0.0.1')  # alice's usual address, known from now on
    for attempt in range(PER_USER):
        log_in(client, password='wrong password', status=400, address=f'10.1.{attempt}.1')
    log_in(client, status=429, address='10.2.0.1')  # a new address waits
    log_in(client, address='10.0.0.1')


def test_a_right_password_clears_the_failures_of_its_address(client, alice):
    for _ in range(PER_ADDRESS - 1):
        log_in(client, password='wrong password', status=400)
    log_in(client)
    for _ in range(PER_ADDRESS):
        log_in(client, password='wrong password', status=400)
    log_in(client, status=429)


def test_unknown_usernames_are_limited_the_same_way(client):
    for _ in range(PER_ADDRESS):
        log_in(client, username='nobody', password='wrong password', status=400)
    log_in(client, username='nobody', status=429)


def test_behind_a_proxy_the_forwarded_address_is_limited(settings, environ, alice):
    client = CheckedApp(api.create_wsgi(config.load(dict(environ, WARBLE_SERVER_PROXY_HOPS='1'))))
    for attempt in range(PER_ADDRESS):
        log_in(client, password='wrong', status=400,
               X_Forwarded_For=f'192.0.2.{attempt}, 203.0.113.7')
    log_in(client, status=429, X_Forwarded_For='198.51.100.1, 203.0.113.7')
    log_in(client, status=200, X_Forwarded_For='203.0.113.8')


@pytest.fixture
def costly_server(settings, environ, tmp_path):
    """gunicorn, two gevent workers, with argon2id at its production cost: every check blocks
    a worker for a while, the moment a limit checked after the fact would let guesses in."""
    defaults = config.load({})
    costly = dict(environ, WARBLE_PASSWORDS_TIME_COST=str(defaults.passwords.time_cost),
                  WARBLE_PASSWORDS_MEMORY_KIB=str(defaults.passwords.memory_kib),
                  WARBLE_PASSWORDS_PARALLELISM=str(defaults.passwords.parallelism))
    process, url = start_gunicorn(costly, tmp_path / 'gunicorn.log')
    yield url
    stop(process)


def test_thirty_parallel_guesses_check_at_most_the_limit(costly_server):
    url = costly_server
    sign_up_over_http(url, 'alice')

    def guess(number: int) -> int:
        return requests.post(f'{url}/api/v1/token', timeout=60, json={
            'grant_type': 'password', 'username': 'alice',
            'password': f'wrong password {number}'}).status_code
    with ThreadPoolExecutor(30) as pool:
        statuses = list(pool.map(guess, range(30)))
    # Only a checked password is answered 400; the others were refused before any check.
    assert statuses.count(400) == PER_ADDRESS, statuses
    assert statuses.count(429) == 30 - PER_ADDRESS, statuses
    right = requests.post(f'{url}/api/v1/token', timeout=60, json={
        'grant_type': 'password', 'username': 'alice', 'password': PASSWORD})
    assert right.status_code == 429 and int(right.headers['Retry-After']) > 0
