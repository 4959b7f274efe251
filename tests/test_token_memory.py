"""Each worker remembers the tokens it resolved and asks Redis, not the database, on each
request; a revocation recorded in Redis is refused at once, and without that Redis every token
is looked up in the database (tests/test_workers.py: the same across two gunicorn workers)."""
import api
from controllers import boot
from lib import config
from models import redisdb
from models.tokens import Token
from tests.harness.apiclient import CheckedApp, post, sign_up

SESSION = '/api/v1/session'


def writes(client, headers, status=201):
    return client.post_json('/api/v1/users/alice/collection', {'text': 'hi'}, headers=headers,
                            status=status)


def test_a_remembered_token_is_not_looked_up_until_redis_changes_epoch(client):
    alice = sign_up(client, 'alice')
    post(client, 'alice', alice, 'resolved once')
    Token.delete().execute()  # behind the service's back: only the database forgets it
    writes(client, alice)
    redisdb.get_redis('sessions').flushall()  # a Redis that lost its data: a new epoch
    writes(client, alice, status=401)


def test_a_revoked_token_is_refused_though_remembered(client):
    alice = sign_up(client, 'alice')
    post(client, 'alice', alice, 'resolved once')
    client.delete('/api/v1/token', headers=alice, status=204)
    writes(client, alice, status=401)
    assert redisdb.get_redis('sessions').keys('tokens:revoked:*')


def test_without_redis_tokens_are_looked_up_each_time_and_logging_out_waits(
        settings, environ, tmp_path):
    nowhere = f'unix://{tmp_path}/no-redis.sock'
    down = config.load(dict(environ, WARBLE_REDIS_SESSIONS_URL=nowhere))
    boot.configure(down)
    try:
        client = CheckedApp(api.create_wsgi(down))
        alice = sign_up(client, 'alice')
        post(client, 'alice', alice, 'no revocations today')
        refused = client.delete('/api/v1/token', headers=alice, status=503)
        assert refused.json['error']['message'] == 'Logging out is unavailable for a moment; ' \
                                                   'try again.'
        writes(client, alice)  # still valid: the revocation was not acknowledged
        Token.delete().execute()
        writes(client, alice, status=401)  # nothing is remembered without Redis
    finally:
        boot.configure(settings)
