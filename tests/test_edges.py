"""REST, GraphQL and gRPC, each over a real socket on one database, run the same scenario and must
give the same data, the same errors and the same Analyzer reports, on both backends.

Each edge's adapter keeps the fields all three give, in REST's names; `Normal` then takes out
what must differ between runs (the edge's username prefix, post ids, timestamps)."""
from __future__ import annotations

import json
import re
from typing import Any

import grpc
import requests
from google.protobuf.field_mask_pb2 import FieldMask

from api.rpc.calls import ERROR_METADATA
from api.rpc.convert import fields_of
from api.rpc.stubs import analyzer_pb2, analyzer_pb2_grpc, microposts_pb2, microposts_pb2_grpc
from tests.conftest import migrated
from tests.harness.analyzer import sample
from tests.harness.apiclient import PASSWORD
from tests.harness.rpc import start_rpc
from tests.harness.servers import start_gunicorn, stop

BASE_URL = 'http://warble.test'
Json = dict[str, Any]
USER_KEYS = ('username', 'href', 'created')
POST_KEYS = ('id', 'href', 'username', 'text', 'timestamp', 'referenced')
GQL_USER = '{ username href created }'
GQL_POST = '{ id href username text timestamp referenced: referencedUsername }'
GQL_CITIZEN = '{ citizenId town street building apartment name birthDate gender relatives }'
REPORTS = {'citizens': '/citizens', 'birthdays': '/citizens/birthdays',
           'percentiles': '/towns/stat/percentile/age'}


def picked(values: Json, keys: tuple[str, ...]) -> Json:
    """The `keys` of an answer that every edge gives; an error as it is."""
    return values if 'error' in values else {key: values.get(key) for key in keys}


def snake(values: Json) -> Json:
    """GraphQL's camelCase keys as REST's snake_case ones."""
    return {re.sub('([A-Z])', r'_\1', key).lower(): value for key, value in values.items()}


def args(**values: Any) -> str:
    """GraphQL arguments (JSON's strings, numbers and null are GraphQL literals too)."""
    return ', '.join(f'{name}: {json.dumps(value)}' for name, value in values.items())


def new_user(username: str) -> Json:
    return {'username': username, 'email': f'{username}@example.com', 'password': PASSWORD}


class Rest:
    """`/api/v1/...` and `/imports/...` over HTTP."""
    prefix = 'r'

    def __init__(self, url: str):
        self.url = url

    def call(self, method: str, path: str, token: str = '', **kwargs: Any) -> Any:
        """The JSON answer; `{"error": ...}` for a refusal."""
        headers = {'Authorization': f'Bearer {token}'} if token else {}
        answer = requests.request(method, self.url + path, headers=headers, timeout=30, **kwargs)
        if answer.status_code >= 400:
            return {'error': answer.json()['error']}
        return answer.json() if answer.content else None

    def page(self, path: str, keys: tuple[str, ...], token: str = '', **params: str) -> Json:
        found = self.call('GET', path, token, params=params)
        return {'more': found['next'] is not None,
                'result': [picked(each, keys) for each in found['result']]}

    def sign_up(self, username: str) -> Json:
        return picked(self.call('POST', '/api/v1/users', json=new_user(username)), USER_KEYS)

    def log_in(self, username: str) -> str:
        return self.call('POST', '/api/v1/token', json={
            'grant_type': 'password', 'username': username, 'password': PASSWORD})['access_token']

    def create_post(self, token: str, username: str, text: str, referenced: str | None) -> Json:
        return picked(self.call('POST', f'/api/v1/users/{username}/collection', token,
                                json={'text': text, 'referenced': referenced}), POST_KEYS)

    def edit_post(self, token: str, username: str, post: str, text: str) -> Json:
        return picked(self.call('PATCH', f'/api/v1/users/{username}/collection/{post}', token,
                                json={'text': text, 'referenced': None}), POST_KEYS)

    def delete_post(self, token: str, username: str, post: str) -> None:
        self.call('DELETE', f'/api/v1/users/{username}/collection/{post}', token)

    def get_post(self, username: str, post: str) -> Json:
        return picked(self.call('GET', f'/api/v1/users/{username}/collection/{post}'), POST_KEYS)

    def follow(self, token: str, username: str, other: str) -> Json:
        return picked(self.call('POST', f'/api/v1/users/{username}/following', token,
                                json={'username': other}), USER_KEYS)

    def users(self, username: str, which: str) -> Json:
        """The users who follow `username` (`followers`) or whom they follow (`following`)."""
        return self.page(f'/api/v1/users/{username}/{which}', USER_KEYS)

    def timeline(self, token: str, username: str) -> Json:
        return self.page(f'/api/v1/users/{username}/timeline', POST_KEYS, token)

    def search(self, text: str) -> Json:
        return self.page('/api/v1/search', POST_KEYS, text=text)

    def create_import(self, citizens: list[Json]) -> int:
        return self.call('POST', '/imports', json={'citizens': citizens})['data']['import_id']

    def patch_citizen(self, made: int, citizen: int, changes: Json) -> Json:
        return self.call('PATCH', f'/imports/{made}/citizens/{citizen}', json=changes)['data']

    def reports(self, made: int) -> Json:
        """The citizens of an import, their birthdays and the age percentiles of its towns."""
        return {name: self.call('GET', f'/imports/{made}{path}')['data']
                for name, path in REPORTS.items()}


class GraphQL(Rest):
    """`POST /graphql` over HTTP; tokens from `POST /api/v1/token` (GraphQL has no log-in)."""
    prefix = 'g'

    def gql(self, query: str, token: str = '', **variables: Any) -> Any:
        """The one field a query asks for (all if it asks for several); `{"error": ...}`."""
        answer = self.call('POST', '/graphql', token, json={'query': query,
                                                           'variables': variables})
        if answer.get('errors'):
            error = answer['errors'][0]
            return {'error': {'code': error['extensions']['code'], 'message': error['message'],
                              'fields': error['extensions']['fields']}}
        data = answer['data']
        return next(iter(data.values())) if len(data) == 1 else data

    def sign_up(self, username: str) -> Json:
        return self.gql(f'mutation {{ signUp({args(**new_user(username))}) {GQL_USER} }}')

    def create_post(self, token: str, username: str, text: str, referenced: str | None) -> Json:
        given = args(username=username, text=text, referenced=referenced)
        return self.gql(f'mutation {{ createPost({given}) {GQL_POST} }}', token)

    def edit_post(self, token: str, username: str, post: str, text: str) -> Json:
        return self.gql(f'mutation {{ editPost({args(username=username, id=post, text=text)}, '
                        f'referenced: null) {GQL_POST} }}', token)

    def delete_post(self, token: str, username: str, post: str) -> None:
        assert self.gql(f'mutation {{ deletePost({args(username=username, id=post)}) }}',
                        token) is True

    def get_post(self, username: str, post: str) -> Json:
        return self.gql(f'{{ post({args(username=username, id=post)}) {GQL_POST} }}')

    def follow(self, token: str, username: str, other: str) -> Json:
        return self.gql(f'mutation {{ follow({args(username=username, other=other)}) '
                        f'{GQL_USER} }}', token)

    def users(self, username: str, which: str) -> Json:
        return self.gql(f'{{ {which}({args(username=username)}) {{ more result {GQL_USER} }} }}')

    def timeline(self, token: str, username: str) -> Json:
        return self.gql(f'{{ timeline({args(username=username)}) {{ more result {GQL_POST} }} }}',
                        token)

    def search(self, text: str) -> Json:
        return self.gql(f'{{ search({args(text=text)}) {{ more result {GQL_POST} }} }}')

    def create_import(self, citizens: list[Json]) -> int:
        return self.gql('mutation($c: JSON!) { createImport(citizens: $c) }', c=citizens)

    def patch_citizen(self, made: int, citizen: int, changes: Json) -> Json:
        given = args(importId=made, citizenId=citizen)
        return snake(self.gql(f'mutation($c: JSON!) {{ patchCitizen({given}, changes: $c) '
                              f'{GQL_CITIZEN} }}', c=changes))

    def reports(self, made: int) -> Json:
        found = self.gql(f'{{ citizens(importId: {made}) {GQL_CITIZEN} birthdays(importId: '
                         f'{made}) {{ month presents {{ citizenId presents }} }} '
                         f'percentiles(importId: {made}) {{ town p50 p75 p99 }} }}')
        return {'citizens': [snake(each) for each in found['citizens']],
                'birthdays': {str(month['month']): [snake(each) for each in month['presents']]
                              for month in found['birthdays']},
                'percentiles': found['percentiles']}


class Rpc:
    """`rpc.py` over a gRPC channel."""
    prefix = 'p'

    def __init__(self, channel: grpc.Channel):
        self.posts = microposts_pb2_grpc.MicroPostsStub(channel)
        self.analyzer = analyzer_pb2_grpc.AnalyzerStub(channel)

    def call(self, method: Any, request: Any, token: str = '',
             keys: tuple[str, ...] | None = None) -> Any:
        """The answer (its `keys` as a dict if given); `{"error": ...}` from the trailers."""
        try:
            answer = method(request, metadata=[('authorization', f'Bearer {token}')] if token
                            else None, timeout=30)
        except grpc.RpcError as failure:
            return {'error': json.loads(dict(failure.trailing_metadata())[ERROR_METADATA])}
        return picked(fields_of(answer), keys) if keys else answer

    def page(self, found: Any, keys: tuple[str, ...]) -> Json:
        return {'more': found.next_page != 0,
                'result': [picked(fields_of(each), keys) for each in found.result]}

    def sign_up(self, username: str) -> Json:
        return self.call(self.posts.SignUp, microposts_pb2.SignUpRequest(**new_user(username)),
                         keys=USER_KEYS)

    def log_in(self, username: str) -> str:
        return self.call(self.posts.LogIn, microposts_pb2.LogInRequest(
            username=username, password=PASSWORD)).access_token

    def create_post(self, token: str, username: str, text: str, referenced: str | None) -> Json:
        return self.call(self.posts.CreatePost, microposts_pb2.PostFields(
            text=text, referenced=referenced), token, POST_KEYS)

    def edit_post(self, token: str, username: str, post: str, text: str) -> Json:
        return self.call(self.posts.EditPost, microposts_pb2.EditPostRequest(
            id=int(post), post=microposts_pb2.PostFields(text=text),
            update_mask=FieldMask(paths=['text', 'referenced'])), token, POST_KEYS)

    def delete_post(self, token: str, username: str, post: str) -> None:
        self.call(self.posts.DeletePost, microposts_pb2.PostId(id=int(post)), token)

    def get_post(self, username: str, post: str) -> Json:
        return self.call(self.posts.GetPost, microposts_pb2.PostRef(
            username=username, id=int(post)), keys=POST_KEYS)

    def follow(self, token: str, username: str, other: str) -> Json:
        return picked(fields_of(self.call(self.posts.Follow, microposts_pb2.FollowRequest(
            username=other), token).user), USER_KEYS)

    def users(self, username: str, which: str) -> Json:
        method, request = ((self.posts.ListFollowers, microposts_pb2.CollectionRequest)
                           if which == 'followers' else
                           (self.posts.ListFollowing, microposts_pb2.FollowingRequest))
        return self.page(self.call(method, request(username=username)), USER_KEYS)

    def timeline(self, token: str, username: str) -> Json:
        return self.page(self.call(self.posts.Timeline, microposts_pb2.PageRequest(), token),
                         POST_KEYS)

    def search(self, text: str) -> Json:
        return self.page(self.call(self.posts.Search, microposts_pb2.SearchRequest(text=text)),
                         POST_KEYS)

    def create_import(self, citizens: list[Json]) -> int:
        return self.call(self.analyzer.CreateImport, analyzer_pb2.ImportRequest(
            citizens=[analyzer_pb2.Citizen(**each) for each in citizens])).import_id

    def patch_citizen(self, made: int, citizen: int, changes: Json) -> Json:
        return fields_of(self.call(self.analyzer.PatchCitizen, analyzer_pb2.PatchCitizenRequest(
            import_id=made, citizen_id=citizen, citizen=analyzer_pb2.Citizen(**changes),
            update_mask=FieldMask(paths=list(changes)))))

    def reports(self, made: int) -> Json:
        ref = analyzer_pb2.ImportRef(import_id=made)
        return {'citizens': [fields_of(each) for each in
                             self.call(self.analyzer.ListCitizens, ref).data],
                'birthdays': {str(month.month): [fields_of(each) for each in month.presents]
                              for month in self.call(self.analyzer.Birthdays, ref).months},
                'percentiles': [fields_of(each) for each in
                                self.call(self.analyzer.AgePercentiles, ref).data]}


Edge = Rest | Rpc


class Normal:
    """One edge's answers in one shape: its usernames without the prefix, post ids as their
    order of appearance (also in hrefs and messages), timestamps checked present and dropped."""

    def __init__(self, prefix: str, names: tuple[str, ...]):
        self.prefix = prefix
        self.names = re.compile(r'\b{}({})\b'.format(prefix, '|'.join(names)))
        self.ids: dict[str, int] = {}

    def order(self, post: str) -> int:
        return self.ids.setdefault(post, len(self.ids) + 1)

    def __call__(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self(each) for each in value]
        if not isinstance(value, dict):
            return value
        shown = {}
        for key, item in value.items():
            if key in ('timestamp', 'created'):
                assert item, f'{key} is missing in {value}'
            elif key == 'id':
                shown[key] = self.order(str(item))
            elif key in ('username', 'referenced') and item is not None:
                assert item.startswith(self.prefix), item
                shown[key] = item[len(self.prefix):]
            elif key == 'href':
                shown[key] = re.sub(rf'/users/{self.prefix}([^/]+)(?:/collection/(\d+))?',
                                    self.href, item)
            elif key == 'message':
                shown[key] = re.sub(r'\d{6,}', lambda found: f'#{self.order(found[0])}',
                                    self.names.sub(r'\1', item))
            else:
                shown[key] = self(item)
        return shown

    def href(self, found: re.Match) -> str:
        post = found.group(2)
        return f'/users/{found.group(1)}' + (
            f'/collection/#{self.order(post)}' if post else '')


def run_scenario(edge: Edge) -> Json:
    """The micropost and Analyzer scenario through `edge`; every step's normalized outcome."""
    normal, steps = Normal(edge.prefix, ('alice', 'bob')), {}
    alice, bob = edge.prefix + 'alice', edge.prefix + 'bob'
    steps['sign_up'] = normal([edge.sign_up(alice), edge.sign_up(bob)])
    tokens = {name: edge.log_in(name) for name in (alice, bob)}
    assert all(tokens.values())
    written = edge.create_post(tokens[alice], alice, 'edges agree today', bob)
    steps['create_post'] = normal(written)
    steps['follow'] = normal(edge.follow(tokens[bob], bob, alice))
    steps['timeline'] = normal(edge.timeline(tokens[bob], bob))
    steps['followers'] = normal(edge.users(alice, 'followers'))
    steps['following'] = normal(edge.users(bob, 'following'))
    steps['search'] = normal(edge.search('agree'))
    steps['edit_post'] = normal(edge.edit_post(tokens[alice], alice, str(written['id']),
                                               'edges still agree'))
    edge.delete_post(tokens[alice], alice, str(written['id']))
    steps['get_deleted'] = normal(edge.get_post(alice, str(written['id'])))
    steps['timeline_after'] = normal(edge.timeline(tokens[bob], bob))
    steps['search_after'] = normal(edge.search('agree'))
    steps['too_long'] = normal(edge.create_post(tokens[alice], alice, 'x' * 1000, None))
    made = edge.create_import(sample())
    steps['patch_citizen'] = edge.patch_citizen(made, 3, {'name': 'Renamed', 'relatives': [1]})
    steps.update(edge.reports(made))
    return steps


def test_rest_graphql_and_grpc_give_the_same_answers(environ, tmp_path):
    """gunicorn (gevent) and rpc.py on one database; three equal wrong answers must not pass,
    so a few facts are checked outright as well."""
    environ = {**environ, 'WARBLE_APP_BASE_URL': BASE_URL}
    with migrated(environ):
        web, url = start_gunicorn(environ, tmp_path / 'gunicorn.log', workers=1)
        rpc, target = start_rpc(environ, tmp_path / 'rpc.log')
        try:
            with grpc.insecure_channel(target) as channel:
                rest, graphql, rpc_ = (run_scenario(edge) for edge in (
                    Rest(url), GraphQL(url), Rpc(channel)))
        finally:
            stop(rpc)
            stop(web)
    assert rest == graphql
    assert rest == rpc_
    post = {'id': 1, 'href': f'{BASE_URL}/api/v1/users/alice/collection/#1',
            'username': 'alice', 'text': 'edges agree today', 'referenced': 'bob'}
    assert rest['create_post'] == post
    assert rest['timeline'] == rest['search'] == {'more': False, 'result': [post]}
    assert [user['username'] for user in rest['followers']['result']] == ['bob']
    assert rest['edit_post'] == {**post, 'text': 'edges still agree', 'referenced': None}
    assert rest['get_deleted'] == {'error': {
        'code': 'not_found', 'message': 'alice has no post #1.', 'fields': {}}}
    assert rest['timeline_after'] == rest['search_after'] == {'more': False, 'result': []}
    assert set(rest['too_long']['error']['fields']) == {'text'}
    assert rest['patch_citizen']['name'] == 'Renamed'
    assert sorted(rest['citizens'][0]['relatives']) == [2, 3]
    assert rest['birthdays']['12'] == [{'citizen_id': 2, 'presents': 1},
                                       {'citizen_id': 3, 'presents': 1}]
    assert {town['town'] for town in rest['percentiles']} == {'Москва', 'Керчь'}
