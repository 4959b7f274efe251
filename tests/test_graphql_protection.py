"""GraphQL under load and abuse: a timeline page costs a fixed number of statements however
many authors and referenced users it shows, introspection follows the settings, and queries made
from the schema with random or wrong arguments never crash the server."""
import random

import pytest

import api
from lib import config
from tests.harness.apiclient import CheckedApp, post, sign_up
from tests.test_pool import statements_of

TIMELINE = ('{ timeline(username: "reader", size: 20) { result { id text author { username } '
            'referenced { username } } } }')


@pytest.fixture
def pg_client(postgres_environ):
    return CheckedApp(api.create_wsgi(config.load(postgres_environ)))


def test_a_timeline_of_20_posts_with_their_users_is_a_fixed_number_of_statements(
        pg_client, monkeypatch):
    reader = sign_up(pg_client, 'reader')
    for number in range(10):
        writer = sign_up(pg_client, f'writer{number}')
        sign_up(pg_client, f'named{number}')
        pg_client.post_json('/api/v1/users/reader/following', {'username': f'writer{number}'},
                            headers=reader)
        for each in range(2):
            post(pg_client, f'writer{number}', writer, f'post {each} for @named{number}',
                 referenced=f'named{number}')
    ask = {'query': TIMELINE}
    pg_client.post_json('/graphql', ask, headers=reader)
    answer, sent = statements_of(monkeypatch, lambda: pg_client.post_json(
        '/graphql', ask, headers=reader).json)
    posts = answer['data']['timeline']['result']
    assert len(posts) == 20 and len({each['author']['username'] for each in posts}) == 10
    assert len({each['referenced']['username'] for each in posts}) == 10
    page, sent_by_page = statements_of(monkeypatch, lambda: pg_client.post_json(
        '/graphql', {'query': TIMELINE.replace('author { username } referenced { username }',
                                               '')}, headers=reader).json)
    assert len(page['data']['timeline']['result']) == 20 and len(sent_by_page) == 1
    assert len(sent) == 2, sent  # the page, then its 20 users in one batch: not one per post


def test_introspection_follows_the_settings(environ, client):
    question = {'query': '{ __schema { queryType { name } } }'}
    assert client.post_json('/graphql', question).json['data']['__schema']['queryType'] == {
        'name': 'Query'}
    closed = CheckedApp(api.create_wsgi(config.load({**environ,
                                                     'WARBLE_GRAPHQL_INTROSPECTION': 'false',
                                                     'WARBLE_GRAPHQL_GRAPHIQL': 'false'})))
    refused = closed.post_json('/graphql', question, status=400).json['errors'][0]
    assert refused['extensions']['code'] == 'introspection_disabled'
    closed.get('/graphiql', status=404)


WRONG_VALUES = ['""', '"x"', '"-1"', '"99999999999999999999999"', '"../../etc"', '0', '-1',
                '2147483648', '"2026-13-45"', '"' + 'a' * 300 + '"', 'null', '"@"', '{}',
                '{name: 5}', '[1, 2]', 'true']


def arguments(field: dict, rng: random.Random) -> str:
    given = [f'{arg["name"]}: {rng.choice(WRONG_VALUES)}' for arg in field['args']]
    return f'({", ".join(given)})' if given else ''


def leaf_selection(type_: dict, types: dict) -> str:
    while type_.get('ofType'):
        type_ = type_['ofType']
    kind = types[type_['name']]
    if kind['kind'] != 'OBJECT':
        return ''
    leaves = [field['name'] for field in kind['fields'] if not field['args']
              and unwrapped(field['type'], types)['kind'] in ('SCALAR', 'ENUM')]
    return '{ ' + ' '.join(leaves) + ' }'


def unwrapped(type_: dict, types: dict) -> dict:
    while type_.get('ofType'):
        type_ = type_['ofType']
    return types[type_['name']]


INTROSPECT = ('{ __schema { types { name kind fields { name args { name } type { name kind '
              'ofType { name kind ofType { name kind ofType { name kind } } } } } } } }')


def test_fuzzed_fields_never_answer_a_server_error(client, alice):
    types = {each['name']: each for each in
             client.post_json('/graphql', {'query': INTROSPECT}).json['data']['__schema']['types']}
    rng = random.Random(18)
    for root, word in (('Query', 'query'), ('Mutation', 'mutation')):
        for field in types[root]['fields']:
            for _ in range(6):
                query = (f'{word} {{ {field["name"]}{arguments(field, rng)} '
                         f'{leaf_selection(field["type"], types)} }}')
                for headers in ({}, alice):
                    answer = client.post_json('/graphql', {'query': query}, headers=headers,
                                              expect_errors=True)
                    assert answer.status_int < 500, (query, answer.text)
                    codes = [error.get('extensions', {}).get('code')
                             for error in answer.json.get('errors', [])]
                    assert 'internal_error' not in codes, (query, answer.json)


def test_short_queries_are_parsed_once_long_ones_each_time(client):
    from api.gql.schema import CACHED_QUERY_CHARS, ShortQueriesParsedOnce
    parsed = ShortQueriesParsedOnce().cached_parse_document
    parsed.cache_clear()
    for _ in range(3):
        assert client.post_json('/graphql', {'query': '{ feed { more } }'}).json == {
            'data': {'feed': {'more': False}}}
    assert (parsed.cache_info().hits, parsed.cache_info().currsize) == (2, 1)
    broken = client.post_json('/graphql', {'query': '{ feed {'}, status=400).json
    assert broken == client.post_json('/graphql', {'query': '{ feed {'}, status=400).json
    assert 'Syntax Error' in broken['errors'][0]['message']
    padded = '{ feed { more } }' + ' ' * CACHED_QUERY_CHARS
    for _ in range(2):
        assert client.post_json('/graphql', {'query': padded}).json == {
            'data': {'feed': {'more': False}}}
    assert parsed.cache_info().currsize == 1
