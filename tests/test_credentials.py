"""New credentials: passwords easy to guess are refused with the reason; usernames that look like
a taken one are taken; the username keys of existing users are filled in by their migration."""
import pytest

from lib.utils.confusables import username_key
from models import db
from models.users import User
from tests.harness.apiclient import PASSWORD


def sign_up(client, username='alice', password=PASSWORD, status=201):
    return client.post_json('/api/v1/users', {'username': username, 'password': password,
                                              'email': f'{username}@example.com'}, status=status)


@pytest.mark.parametrize('password, reason', [
    ('password', 'common password'),
    ('12345678', 'common password'),
    (' ' * 8, 'Repeats'),
    ('qwertyuiop', 'common password'),
    ('alice_wonder1', 'easy to guess'),  # little more than the username
])
def test_a_password_easy_to_guess_is_400_saying_why(client, password, reason):
    answer = sign_up(client, 'alice_wonder', password, status=400)
    problem = answer.json['error']['fields']['password']
    assert problem.startswith('too easy to guess') and reason in problem
    assert User.by_username('alice_wonder') is None


def test_a_long_password_is_judged_on_its_start_and_accepted(client):
    sign_up(client, password='quiet lantern orbit ' + 'x' * 1000)


@pytest.mark.parametrize('taken, lookalike', [
    ('paypal_x', 'paypaI_x'),   # capital I for l
    ('paypal_x', 'PAYPAL_X'),   # case
    ('bill_1', 'biII_l'),       # I, l and 1
    ('bob_2000', 'bob_2OOO'),   # O for 0
    ('modern', 'rnodern'),      # rn for m
    ('Mary', 'rnary'),          # the same, after a change of case
])
def test_a_username_that_looks_like_a_taken_one_is_409(client, taken, lookalike):
    sign_up(client, taken)
    answer = sign_up(client, lookalike, status=409)
    assert answer.json['error']['fields'] == {'username': 'already taken'}
    assert 'looks like' in answer.json['error']['message']


def test_usernames_that_only_share_letters_are_both_free(client):
    sign_up(client, 'ivan')
    sign_up(client, 'lvan')  # i and l do not look alike
    sign_up(client, 'dan')
    sign_up(client, 'clan')


def test_the_migration_keys_existing_users_the_first_of_lookalikes_keeps_the_key(settings):
    runner = db.migrations()
    runner.down('0024_username_key')
    param = db.database.param
    for name in ('paypal_x', 'paypaI_x', 'carol'):
        db.database.execute_sql(
            f'INSERT INTO users (username, email, password_hash, created, notify_mentions) '
            f"VALUES ({param}, 'x@example.com', '-', '2026-01-01', {param})", (name, True))
    runner.up()
    keys = {user.username: user.username_key for user in User.select()}
    assert keys == {'paypal_x': username_key('paypal_x'), 'paypaI_x': None,
                    'carol': username_key('carol')}
