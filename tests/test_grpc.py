"""The gRPC edge over a real socket, beside REST on the same database: the same scenario gives
the same data, bad input the same rule messages, and the transport's own guards hold."""
from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest
from google.protobuf.empty_pb2 import Empty
from google.protobuf.field_mask_pb2 import FieldMask
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha.proto_reflection_descriptor_database import (
    ProtoReflectionDescriptorDatabase,
)

import api
from api.rpc.calls import API_KEY_METADATA, ERROR_METADATA
from api.rpc.convert import fields_of
from api.rpc.stubs import analyzer_pb2, analyzer_pb2_grpc, microposts_pb2, microposts_pb2_grpc
from controllers.access import ApiKeyController, RoleController
from tests.conftest import migrated
from tests.harness.apiclient import PASSWORD, CheckedApp
from tests.harness.citizens import make_import
from tests.harness.rpc import start_rpc
from tests.harness.servers import stop

BASE_URL = 'http://warble.test'
MESSAGE_LIMIT = 64 * 1024
CITIZENS = [
    {'citizen_id': 1, 'town': 'Керчь', 'street': 'Мира', 'building': '1', 'apartment': 7,
     'name': 'Иван', 'birth_date': '26.12.1986', 'gender': 'male', 'relatives': [2]},
    {'citizen_id': 2, 'town': 'Керчь', 'street': 'Мира', 'building': '1', 'apartment': 7,
     'name': 'Мария', 'birth_date': '01.04.1990', 'gender': 'female', 'relatives': [1]},
    {'citizen_id': 3, 'town': 'Тверь', 'street': 'Ленина', 'building': '2', 'apartment': 1,
     'name': 'Пётр', 'birth_date': '17.04.1997', 'gender': 'male', 'relatives': []},
]


class Edges:
    """REST (in process) and gRPC (`rpc.py` over a socket) on one database."""

    def __init__(self, rest: CheckedApp, channel: grpc.Channel):
        self.rest = rest
        self.channel = channel
        self.posts = microposts_pb2_grpc.MicroPostsStub(channel)
        self.analyzer = analyzer_pb2_grpc.AnalyzerStub(channel)


@contextlib.contextmanager
def edges_on(environ: dict, log: Path, **settings: str) -> Iterator[Edges]:
    """Both edges on the database of `environ`, with `settings` (environment variables)."""
    environ = {**environ, 'WARBLE_APP_BASE_URL': BASE_URL,
               'WARBLE_GRPC_MAX_MESSAGE_BYTES': str(MESSAGE_LIMIT), **settings}
    with migrated(environ) as bound:
        process, target = start_rpc(environ, log)
        try:
            with grpc.insecure_channel(target) as channel:
                yield Edges(CheckedApp(api.create_wsgi(bound)), channel)
        finally:
            stop(process)


@pytest.fixture
def edges(environ, tmp_path):
    with edges_on(environ, tmp_path / 'rpc.log') as both:
        yield both


@pytest.fixture
def protected_edges(environ, tmp_path):
    """Both edges with `analyzer.protected` on."""
    with edges_on(environ, tmp_path / 'rpc.log', WARBLE_ANALYZER_PROTECTED='true') as both:
        yield both


def bearer(token: str) -> list[tuple[str, str]]:
    return [('authorization', f'Bearer {token}')]


def like_rest(rpc_answer, rest_answer: dict) -> dict:
    """The fields of a gRPC answer that the REST answer has (unset ones as None); an int64 id
    as the decimal string JSON carries it in."""
    values = fields_of(rpc_answer) if not isinstance(rpc_answer, dict) else rpc_answer
    return {name: str(values.get(name)) if isinstance(rest_answer[name], str)
            and isinstance(values.get(name), int) else values.get(name) for name in rest_answer}


def error_of(failure: grpc.RpcError) -> dict:
    """The REST-shaped error body a failed call carries in its trailing metadata."""
    return json.loads(dict(failure.trailing_metadata())[ERROR_METADATA])


def sign_up(edges: Edges, username: str) -> str:
    """Sign up and log in over gRPC; the bearer token."""
    edges.posts.SignUp(microposts_pb2.SignUpRequest(
        username=username, email=f'{username}@example.com', password=PASSWORD))
    return edges.posts.LogIn(microposts_pb2.LogInRequest(
        username=username, password=PASSWORD)).access_token


def test_the_scenario_gives_what_rest_gives(edges):
    posts = edges.posts
    alice, bob = sign_up(edges, 'alice'), sign_up(edges, 'bob')
    profile = posts.GetUser(microposts_pb2.UserRef(username='alice'))
    rest_profile = edges.rest.get('/api/v1/users/alice').json
    assert like_rest(profile, rest_profile) == rest_profile

    written = posts.CreatePost(microposts_pb2.PostFields(text='hello @bob', referenced='bob'),
                               metadata=bearer(alice))
    rest_post = edges.rest.get(f'/api/v1/users/alice/collection/{written.id}').json
    assert like_rest(written, rest_post) == rest_post
    assert rest_post['referenced'] == 'bob'

    followed = posts.Follow(microposts_pb2.FollowRequest(username='alice'),
                            metadata=bearer(bob))
    assert followed.created and followed.user.username == 'alice'
    assert not followed.user.HasField('followers_count')  # counted for GetUser only
    counted = posts.GetUser(microposts_pb2.UserRef(username='alice'))
    assert (counted.followers_count, counted.following_count, counted.posts_count) == (1, 0, 1)
    following = posts.ListFollowing(microposts_pb2.CollectionRequest(username='bob'))
    rest_following = edges.rest.get('/api/v1/users/bob/following').json['result']
    assert [like_rest(user, rest) for user, rest in zip(following.result, rest_following,
                                                        strict=True)] == rest_following
    followers = posts.ListFollowers(microposts_pb2.CollectionRequest(username='alice'))
    assert [user.username for user in followers.result] == ['bob']

    timeline = posts.Timeline(microposts_pb2.PageRequest(), metadata=bearer(bob))
    rest_timeline = edges.rest.get('/api/v1/users/bob/timeline', headers={
        'Authorization': f'Bearer {bob}'}).json['result']
    assert [like_rest(post, rest) for post, rest in zip(timeline.result, rest_timeline,
                                                        strict=True)] == rest_timeline
    assert (timeline.next_page, timeline.previous_page) == (0, 0)

    found = posts.Search(microposts_pb2.SearchRequest(text='hello'))
    rest_found = edges.rest.get('/api/v1/search?text=hello').json['result']
    assert [like_rest(post, rest) for post, rest in zip(found.result, rest_found,
                                                        strict=True)] == rest_found
    assert [post.id for post in found.result] == [written.id]

    edited = posts.EditPost(microposts_pb2.EditPostRequest(
        id=written.id, post=microposts_pb2.PostFields(text='hello again'),
        update_mask=FieldMask(paths=['text', 'referenced'])), metadata=bearer(alice))
    rest_post = edges.rest.get(f'/api/v1/users/alice/collection/{written.id}').json
    assert like_rest(edited, rest_post) == rest_post
    assert (rest_post['text'], rest_post['referenced']) == ('hello again', None)
    assert not written.HasField('edited') and edited.edited == rest_post['edited'] is not None
    collection = posts.ListCollection(microposts_pb2.CollectionRequest(username='alice'))
    assert [post.text for post in collection.result] == ['hello again']

    posts.DeletePost(microposts_pb2.PostId(id=written.id), metadata=bearer(alice))
    with pytest.raises(grpc.RpcError) as gone:
        posts.GetPost(microposts_pb2.PostRef(username='alice', id=written.id))
    assert gone.value.code() == grpc.StatusCode.NOT_FOUND
    rest_gone = edges.rest.get(f'/api/v1/users/alice/collection/{written.id}', status=404)
    assert error_of(gone.value) == rest_gone.json['error']
    posts.Unfollow(microposts_pb2.UserRef(username='alice'), metadata=bearer(bob))
    assert not posts.ListFollowers(microposts_pb2.CollectionRequest(username='alice')).result


def test_an_import_and_its_reports_match_rest(edges):
    request = analyzer_pb2.ImportRequest(
        citizens=[analyzer_pb2.Citizen(**citizen) for citizen in CITIZENS])
    import_id = edges.analyzer.CreateImport(request).import_id
    ref = analyzer_pb2.ImportRef(import_id=import_id)
    rest_citizens = edges.rest.get(f'/imports/{import_id}/citizens').json['data']
    assert [fields_of(citizen) for citizen in edges.analyzer.ListCitizens(ref).data] \
        == rest_citizens == CITIZENS

    changed = edges.analyzer.PatchCitizen(analyzer_pb2.PatchCitizenRequest(
        import_id=import_id, citizen_id=3,
        citizen=analyzer_pb2.Citizen(name='Пётр Петров', relatives=[1]),
        update_mask=FieldMask(paths=['name', 'relatives'])))
    rest_citizens = edges.rest.get(f'/imports/{import_id}/citizens').json['data']
    assert fields_of(changed) == rest_citizens[2]
    assert sorted(rest_citizens[0]['relatives']) == [2, 3]

    rest_birthdays = edges.rest.get(f'/imports/{import_id}/citizens/birthdays').json['data']
    months = edges.analyzer.Birthdays(ref).months
    assert {str(month.month): [fields_of(presents) for presents in month.presents]
            for month in months} == rest_birthdays
    rest_ages = edges.rest.get(f'/imports/{import_id}/towns/stat/percentile/age').json['data']
    assert [fields_of(town) for town in edges.analyzer.AgePercentiles(ref).data] == rest_ages
    listed = edges.analyzer.ListImports(Empty()).data
    assert [summary.import_id for summary in listed] == [import_id]


def test_bad_input_carries_the_rest_rule_messages(edges):
    bad = {'username': 'a!', 'email': 'nobody', 'password': 'short'}
    with pytest.raises(grpc.RpcError) as refused:
        edges.posts.SignUp(microposts_pb2.SignUpRequest(**bad))
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    rest = edges.rest.post_json('/api/v1/users', bad, status=400).json['error']
    assert error_of(refused.value) == rest
    assert set(rest['fields']) == {'username', 'email', 'password'}
    assert refused.value.details() == rest['message']

    with pytest.raises(grpc.RpcError) as missing:
        edges.posts.SignUp(microposts_pb2.SignUpRequest(username='carol'))
    rest = edges.rest.post_json('/api/v1/users', {'username': 'carol'}, status=400).json
    assert error_of(missing.value) == rest['error']

    citizen = dict(CITIZENS[2], birth_date='31.02.1990', relatives=[9])
    with pytest.raises(grpc.RpcError) as invalid_import:
        edges.analyzer.CreateImport(analyzer_pb2.ImportRequest(
            citizens=[analyzer_pb2.Citizen(**citizen)]))
    rest = edges.rest.post_json('/imports', {'citizens': [citizen]}, status=400).json
    assert invalid_import.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    rest['error'].pop('problems')  # the upload page's rows: REST's only (metadata is small)
    assert error_of(invalid_import.value) == rest['error']


def test_a_call_without_a_token_is_unauthenticated(edges):
    with pytest.raises(grpc.RpcError) as refused:
        edges.posts.CreatePost(microposts_pb2.PostFields(text='hello'))
    assert refused.value.code() == grpc.StatusCode.UNAUTHENTICATED
    assert error_of(refused.value)['code'] == 'unauthorized'
    with pytest.raises(grpc.RpcError) as forged:
        edges.posts.Timeline(microposts_pb2.PageRequest(), metadata=bearer('forged'))
    assert forged.value.code() == grpc.StatusCode.UNAUTHENTICATED


def test_health_and_reflection_answer(edges):
    health = health_pb2_grpc.HealthStub(edges.channel)
    for service in ('', 'warble.MicroPosts', 'warble.Analyzer'):
        answer = health.Check(health_pb2.HealthCheckRequest(service=service), timeout=5)
        assert answer.status == health_pb2.HealthCheckResponse.SERVING
    services = ProtoReflectionDescriptorDatabase(edges.channel).get_services()
    assert {'warble.MicroPosts', 'warble.Analyzer', 'grpc.health.v1.Health'} <= set(services)


def test_deadlines_and_message_limits_hold(edges):
    token = sign_up(edges, 'alice')
    with pytest.raises(grpc.RpcError) as late:
        edges.posts.Search(microposts_pb2.SearchRequest(text='hello'), timeout=0.000_001)
    assert late.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED
    with pytest.raises(grpc.RpcError) as oversized:
        edges.posts.CreatePost(microposts_pb2.PostFields(text='x' * (MESSAGE_LIMIT + 1)),
                               metadata=bearer(token))
    assert oversized.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert not edges.posts.ListCollection(
        microposts_pb2.CollectionRequest(username='alice')).result


def test_a_protected_analyzer_wants_an_analyst_or_an_api_key(protected_edges):
    edges = protected_edges
    token = sign_up(edges, 'alice')
    with pytest.raises(grpc.RpcError) as anonymous:
        edges.analyzer.ListImports(Empty())
    assert anonymous.value.code() == grpc.StatusCode.UNAUTHENTICATED
    with pytest.raises(grpc.RpcError) as no_role:
        edges.analyzer.ListImports(Empty(), metadata=bearer(token))
    assert no_role.value.code() == grpc.StatusCode.PERMISSION_DENIED
    rest = edges.rest.get('/imports', headers={'Authorization': f'Bearer {token}'}, status=403)
    assert error_of(no_role.value) == rest.json['error']
    RoleController().grant('alice', 'analyst')
    assert not edges.analyzer.ListImports(Empty(), metadata=bearer(token)).data
    key = ApiKeyController().create('reports')
    assert not edges.analyzer.ListImports(Empty(), metadata=[(API_KEY_METADATA, key)]).data


@pytest.fixture
def roomy_edges(environ, tmp_path):
    """Both edges, with messages up to 64 MiB (the default)."""
    with edges_on(environ, tmp_path / 'rpc.log',
                  WARBLE_GRPC_MAX_MESSAGE_BYTES=str(64 * 2**20)) as both:
        yield both


def test_an_import_past_its_deadline_is_not_stored(roomy_edges):
    citizens = make_import(citizens=20_000, relations=100, seed=18)['citizens']
    request = analyzer_pb2.ImportRequest(
        citizens=[analyzer_pb2.Citizen(**citizen) for citizen in citizens])
    with pytest.raises(grpc.RpcError) as late:
        roomy_edges.analyzer.CreateImport(request, timeout=0.3)
    assert late.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED
    time.sleep(3)  # the server stops at its next chunk and rolls back
    assert not roomy_edges.analyzer.ListImports(Empty(), timeout=10).data
    assert not roomy_edges.rest.get('/imports').json['data']


def test_pages_by_post_id_are_the_rest_pages(edges):
    alice = sign_up(edges, 'alice')
    for number in range(5):
        edges.posts.CreatePost(microposts_pb2.PostFields(text=f'p{number}'),
                               metadata=bearer(alice))
    rest = edges.rest.get('/api/v1/users/alice/timeline?order=newest&size=2',
                          headers={'Authorization': f'Bearer {alice}'}).json
    first = edges.posts.Timeline(microposts_pb2.PageRequest(
        order=microposts_pb2.NEWEST, size=2), metadata=bearer(alice))
    assert [str(post.id) for post in first.result] == [post['id'] for post in rest['result']]
    assert f'before={first.older}&' in rest['next'] and first.newer == 0
    older = edges.posts.ListCollection(microposts_pb2.CollectionRequest(
        username='alice', before=first.older, size=2))
    assert [post.text for post in older.result] == ['p2', 'p1']
    with pytest.raises(grpc.RpcError) as both:
        edges.posts.ListFeed(microposts_pb2.PageRequest(before=1, after=2))
    assert error_of(both.value) == edges.rest.get('/api/v1/microposts?before=1&after=2',
                                                  status=400).json['error']


def test_without_a_limit_on_calls_in_flight_the_server_still_answers(environ, tmp_path):
    """`server.max_in_flight` 0 turns the limit off, for gRPC as for REST (gRPC's own 0 would
    refuse every call with RESOURCE_EXHAUSTED)."""
    with edges_on(environ, tmp_path / 'rpc.log', WARBLE_SERVER_MAX_IN_FLIGHT='0') as both:
        checked = health_pb2_grpc.HealthStub(both.channel).Check(health_pb2.HealthCheckRequest())
        assert checked.status == health_pb2.HealthCheckResponse.SERVING
        page = both.posts.ListFeed(microposts_pb2.PageRequest())
        assert list(page.result) == []
