"""GraphQL at /graphql: the same data, rules and refusals as the REST routes, on both backends."""
from pathlib import Path

from api.gql import schema
from tests.harness.analyzer import sample
from tests.harness.apiclient import PASSWORD, log_in, post, sign_up

POST_FIELDS = ('id href username text timestamp edited referencedUsername '
               'author { displayName avatarSmall }')


def gql(client, query: str, variables: dict | None = None, headers: dict | None = None,
        status: int = 200) -> dict:
    return client.post_json('/graphql', {'query': query, 'variables': variables or {}},
                            headers=headers or {}, status=status).json


def data(client, query: str, variables: dict | None = None, headers: dict | None = None) -> dict:
    answer = gql(client, query, variables, headers)
    assert 'errors' not in answer, answer
    return answer['data']


def error(client, query: str, variables: dict | None = None, headers: dict | None = None,
          status: int = 200) -> dict:
    answer = gql(client, query, variables, headers, status)
    assert answer['errors'], answer
    return answer['errors'][0]


def as_rest(post_: dict) -> dict:
    """A GraphQL post in the shape REST shows it."""
    return {'id': post_['id'], 'href': post_['href'], 'user': post_['href'].rsplit(
        '/collection/', 1)[0], 'username': post_['username'], 'text': post_['text'],
        'timestamp': post_['timestamp'], 'edited': post_['edited'],
        'referenced': post_['referencedUsername'],
        'display_name': post_['author']['displayName'], 'avatar': post_['author']['avatarSmall']}


def test_sign_up_post_follow_timeline_search_edit_delete_as_rest_gives(client):
    made = data(client, 'mutation($p: String!) { signUp(username: "alice", '
                'email: "alice@example.com", password: $p) { username href } }',
                {'p': PASSWORD})['signUp']
    assert made == {'username': 'alice', 'href': client.get('/api/v1/users/alice').json['href']}
    bob = sign_up(client, 'bob')
    alice = log_in(client, 'alice')
    written = data(client, 'mutation { createPost(username: "alice", text: "hello @bob", '
                   f'referenced: "bob") {{ {POST_FIELDS} }} }}', headers=alice)['createPost']
    rest = client.get(f'/api/v1/users/alice/collection/{written["id"]}').json
    assert as_rest(written) == rest
    data(client, 'mutation { follow(username: "alice", other: "bob") { username } }',
         headers=alice)
    post(client, 'bob', bob, 'from bob')
    timeline = data(client, f'{{ timeline(username: "alice") {{ more result {{ {POST_FIELDS} '
                    'author { username } } } }', headers=alice)['timeline']
    rest = client.get('/api/v1/users/alice/timeline', headers=alice).json['result']
    assert [as_rest(each) for each in timeline['result']] == rest
    assert timeline['result'][0]['author']['username'] == 'bob'
    found = data(client, f'{{ search(text: "hello") {{ result {{ {POST_FIELDS} '
                 'referenced { username } } } }')['search']['result']
    assert [as_rest({k: v for k, v in each.items() if k != 'referenced'}) for each in found] \
        == client.get('/api/v1/search?text=hello').json['result']
    assert found[0]['referenced'] == {'username': 'bob'}
    followers = data(client, '{ followers(username: "bob") { result { username } } '
                     'following(username: "alice") { result { username } } }')
    assert followers == {'followers': {'result': [{'username': 'alice'}]},
                         'following': {'result': [{'username': 'bob'}]}}
    profile = data(client, '{ user(username: "bob") { username followersCount '
                   'followingCount postsCount } }')['user']
    assert profile == {'username': 'bob', 'followersCount': 1, 'followingCount': 0,
                       'postsCount': 1}
    rest_profile = client.get('/api/v1/users/bob').json
    assert [rest_profile[name] for name in ('followers_count', 'following_count',
                                            'posts_count')] == [1, 0, 1]
    assert written['edited'] is None
    edited = data(client, 'mutation($id: ID!) { editPost(username: "alice", id: $id, '
                  'text: "changed") { text referencedUsername edited } }', {'id': written['id']},
                  headers=alice)['editPost']
    assert edited == {'text': 'changed', 'referencedUsername': 'bob',
                      'edited': client.get(written['href']).json['edited']}
    assert edited['edited'] is not None
    assert data(client, 'mutation($id: ID!) { deletePost(username: "alice", id: $id) }',
                {'id': written['id']}, headers=alice) == {'deletePost': True}
    gone = error(client, 'query($id: ID!) { post(username: "alice", id: $id) { id } }',
                 {'id': written['id']})
    rest = client.get(f'/api/v1/users/alice/collection/{written["id"]}', status=404).json
    assert gone['message'] == rest['error']['message']
    assert gone['extensions'] == {'code': rest['error']['code'], 'fields': rest['error']['fields']}
    assert data(client, '{ dailyStats(from: "2026-01-01", to: "2026-01-02") { from to result '
                '{ day } } }')['dailyStats'] == client.get(
        '/api/v1/stats/daily?from=2026-01-01&to=2026-01-02').json


def test_bad_input_reads_as_rest_reads(client, alice):
    long = 'x' * 1000
    wrong = error(client, 'mutation($t: String!) { createPost(username: "alice", text: $t) '
                  '{ id } }', {'t': long}, headers=alice)
    rest = client.post_json('/api/v1/users/alice/collection', {'text': long}, headers=alice,
                            status=400).json['error']
    assert (wrong['message'], wrong['extensions']['code'], wrong['extensions']['fields']) == \
        (rest['message'], rest['code'], rest['fields'])
    wrong = error(client, '{ feed(size: 0) { more } }')
    rest = client.get('/api/v1/microposts?size=0', status=400).json['error']
    assert (wrong['message'], wrong['extensions']['fields']) == (rest['message'], rest['fields'])
    wrong = error(client, '{ dailyStats(from: "nope", to: "2026-01-01") { from } }')
    rest = client.get('/api/v1/stats/daily?from=nope&to=2026-01-01', status=400).json['error']
    assert (wrong['message'], wrong['extensions']['fields']) == (rest['message'], rest['fields'])


def test_writes_need_the_owner_as_rest_does(client, alice):
    sign_up(client, 'bob')
    nobody = error(client, 'mutation { createPost(username: "alice", text: "x") { id } }')
    assert nobody['extensions']['code'] == 'unauthorized'
    other = error(client, 'mutation { createPost(username: "bob", text: "x") { id } }',
                  headers=alice)
    assert other['extensions'] == {'code': 'forbidden', 'fields': {}}
    assert error(client, '{ timeline(username: "alice") { more } }')['extensions']['code'] \
        == 'unauthorized'


def test_a_cookie_mutation_needs_the_csrf_token(client):
    sign_up(client, 'alice')
    session = client.post_json('/api/v1/session', {'username': 'alice', 'password': PASSWORD}
                               ).json
    query = 'mutation { createPost(username: "alice", text: "hello") { text } }'
    assert error(client, query)['extensions']['code'] == 'csrf'
    assert data(client, query, headers={'X-CSRF-Token': session['csrf_token']}) == {
        'createPost': {'text': 'hello'}}


def test_a_cookie_query_reads_without_the_csrf_token(client):
    sign_up(client, 'alice')
    client.post_json('/api/v1/session', {'username': 'alice', 'password': PASSWORD})
    assert data(client, '{ timeline(username: "alice") { more } }') == {
        'timeline': {'more': False}}
    both = 'query R { timeline(username: "alice") { more } } ' \
           'mutation M { createPost(username: "alice", text: "x") { id } }'
    answer = client.post_json('/graphql', {'query': both, 'operationName': 'M'}).json
    assert answer['errors'][0]['extensions']['code'] == 'csrf'


def test_a_mutation_over_get_is_refused(client, alice):
    answer = client.get('/graphql', {'query': 'mutation { deletePost(username: "alice", '
                                              'id: "1") }'}, headers=alice, status=405).json
    assert answer['errors'][0]['extensions']['code'] == 'method_not_allowed'
    assert client.get('/graphql', {'query': '{ feed { more } }'}).json == {
        'data': {'feed': {'more': False}}}
    asked = client.get('/graphql', {'query': 'query($n: String!) { user(username: $n) '
                                             '{ username } }', 'variables': '{"n": "ALICE"}'})
    assert asked.json == {'data': {'user': {'username': 'alice'}}}


def test_depth_tokens_and_aliases_are_limited(client):
    deep = '{ user(username: "a") { ' + 'followers { result { ' * 5 + 'username' + \
        ' } }' * 5 + ' } }'
    many = '{ ' + ' '.join(f'a{number}: feed {{ more }}' for number in range(20)) + ' }'
    for _ in range(2):  # the second time, from the parse and validation caches
        assert error(client, deep, status=400)['extensions']['code'] == 'too_deep'
        assert error(client, many, status=400)['extensions']['code'] == 'too_many_aliases'
    huge = '{ feed { ' + 'more ' * 3000 + '} }'
    assert error(client, huge, status=400)['extensions']['code'] == 'too_many_tokens'
    client.post('/graphql', 'x' * 2_000_000, content_type='application/json', status=413)


def test_malformed_requests_are_400(client):
    assert client.post('/graphql', 'nope', content_type='application/json', status=400
                       ).json['errors'][0]['extensions']['code'] == 'invalid'
    assert error(client, '{ nope }', status=400)['extensions']['code'] == 'invalid'
    assert client.get('/graphql', status=400).json['errors'][0]['extensions']['fields'] == {
        'query': 'required'}


def test_the_analyzer_import_and_its_reports_match_rest(client):
    made = data(client, 'mutation($c: JSON!) { createImport(citizens: $c) }',
                {'c': sample()})['createImport']
    assert data(client, '{ imports { importId citizens } }')['imports'] == [
        {'importId': made, 'citizens': 3}]
    fields = 'citizenId town street building apartment name birthDate gender relatives'
    citizens = data(client, f'{{ citizens(importId: {made}) {{ {fields} }} }}')['citizens']
    rest = client.get(f'/imports/{made}/citizens').json['data']
    assert [list(each.values()) for each in citizens] == [list(each.values()) for each in rest]
    patched = data(client, f'mutation {{ patchCitizen(importId: {made}, citizenId: 3, '
                   'changes: {name: "Renamed"}) { name } }')['patchCitizen']
    assert patched == {'name': 'Renamed'}
    months = data(client, f'{{ birthdays(importId: {made}) {{ month presents {{ citizenId '
                  'presents } } }')['birthdays']
    rest = client.get(f'/imports/{made}/citizens/birthdays').json['data']
    assert {str(month['month']): [{'citizen_id': each['citizenId'],
                                   'presents': each['presents']}
                                  for each in month['presents']] for month in months} == rest
    towns = data(client, f'{{ percentiles(importId: {made}) {{ town p50 p75 p99 }} }}')
    assert towns['percentiles'] == client.get(
        f'/imports/{made}/towns/stat/percentile/age').json['data']
    wrong = error(client, 'mutation { patchCitizen(importId: 1, citizenId: 1, '
                  'changes: {name: ""}) { name } }')
    rest = client.patch_json('/imports/1/citizens/1', {'name': ''}, status=400).json['error']
    assert (wrong['message'], wrong['extensions']['fields']) == (rest['message'], rest['fields'])


def test_the_published_schema_is_the_committed_one(client):
    committed = (Path(__file__).parent.parent / 'api' / 'schema.graphql').read_text()
    assert schema.sdl() == committed
    assert client.get('/graphql/schema').text == committed


def test_graphiql_is_served_from_this_origin_in_development(client):
    page = client.get('/graphiql')
    assert '<script src="/graphiql.js"' in page.text
    assert "script-src 'self'" in page.headers['Content-Security-Policy']
    assert 'fetch(' in client.get('/graphiql.js').text


def test_a_sign_up_from_another_site_is_refused_as_rest_refuses_it(client):
    query = ('mutation($p: String!) { signUp(username: "eve", email: "eve@example.com", '
             'password: $p) { username } }')
    refused = error(client, query, {'p': PASSWORD}, headers={'Origin': 'https://evil.example'})
    rest = client.post_json('/api/v1/users', {'username': 'eve', 'email': 'eve@example.com',
                                              'password': PASSWORD},
                            headers={'Origin': 'https://evil.example'}, status=403).json
    assert refused['extensions'] == {'code': rest['error']['code'],
                                     'fields': rest['error']['fields']}


def test_pages_by_post_id_are_the_rest_pages(client, alice):
    for number in range(5):
        post(client, 'alice', alice, f'p{number}')
    rest = client.get('/api/v1/users/alice/timeline?order=newest&size=2', headers=alice).json
    first = data(client, '{ timeline(username: "alice", order: NEWEST, size: 2) '
                 '{ more older newer result { id } } }', headers=alice)['timeline']
    assert [each['id'] for each in first['result']] == [each['id'] for each in rest['result']]
    assert f'before={first["older"]}&' in rest['next']
    assert (first['more'], first['newer']) == (True, None)
    older = data(client, 'query($b: ID!) { posts(username: "alice", before: $b, size: 2) '
                 '{ result { text } } }', {'b': first['older']})['posts']
    assert older == {'result': [{'text': 'p2'}, {'text': 'p1'}]}
    wrong = error(client, '{ feed(before: "1", after: "2") { more } }')
    assert wrong['extensions']['fields'] == client.get(
        '/api/v1/microposts?before=1&after=2', status=400).json['error']['fields']
