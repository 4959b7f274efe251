"""Generated requests (schemathesis) against every operation of /openapi.json, MicroPosts and the
Analyzer: valid ones and invalid ones, in-process and through a live gunicorn. No answer is a
server error, and every answer has a documented status, content type and schema."""
import hypothesis
import jsonschema
import pytest
import requests
import schemathesis
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import ignored_auth, positive_data_acceptance

import api
from controllers.access import ApiKeyController
from controllers.imports import ImportController
from controllers.seed import SeedController
from tests.harness.analyzer import sample
from tests.harness.apiclient import CheckedApp, sign_up, sign_up_over_http
from tests.harness.servers import start_web, stop

EXAMPLES = 30
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
# Event streams never end, so no generated call could read a whole answer: their refusals and
# events are checked in tests/test_streams.py.
STREAMS = r'/stream$'



def seed() -> None:
    """Users, follows and posts, and an Analyzer import, for generated ids to find."""
    seeder = SeedController()
    for step in (seeder.users(10), seeder.follows(3), seeder.posts(100)):
        list(step)
    ImportController().create(sample())


@pytest.fixture
def schema(settings):
    seed()
    return schemathesis.openapi.from_wsgi('/openapi.json', api.create_wsgi(settings))


def fuzz(schema, path_regex: str, headers: dict | None = None, username: str = '',
         examples: int = EXAMPLES, excluded: tuple = ()) -> int:
    """Run generated cases, valid and invalid (where it takes input), of each operation
    matching `path_regex`, as the user of `headers` and `username`; how many operations ran."""
    operations = 0
    for result in (schema.include(path_regex=path_regex).exclude(path_regex=STREAMS)
                   .get_all_operations()):
        for mode in MODES:
            try:
                exercise(result.ok(), mode, headers, username, examples, excluded)
            except hypothesis.errors.Unsatisfiable:
                assert mode is GenerationMode.NEGATIVE  # nothing to make invalid: no input
        operations += 1
    return operations


def exercise(operation, mode: GenerationMode, headers: dict | None, username: str,
             examples: int, excluded: tuple = ()) -> None:
    """Generated cases of one operation, each answer checked against the document.

    Semantic 400s (wrong password, unknown referenced user) are documented answers to
    schema-valid requests, so that one check is left out."""
    @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
    @hypothesis.settings(max_examples=examples, deadline=None, database=None,
                         suppress_health_check=list(hypothesis.HealthCheck))
    def run(case):
        if username and 'username' in (case.path_parameters or {}):
            case.path_parameters['username'] = username
        if mode is GenerationMode.NEGATIVE:
            hypothesis.assume(not body_fits_document(case))
        credentials = headers
        if mode is GenerationMode.NEGATIVE and 'Authorization' not in (case.headers or {}):
            credentials = None  # left out on purpose: the answer must be a refusal
        case.call_and_validate(headers=credentials,
                               excluded_checks=[positive_data_acceptance, *excluded])

    run()


def body_fits_document(case) -> bool:
    """Whether a body made to break its schema fits it all the same: schemathesis breaks a
    `pattern` by appending "*", which the e-mail pattern allows at the end."""
    content = case.operation.definition.raw.get('requestBody', {}).get('content', {})
    schema = content.get(case.media_type, {}).get('schema')
    return schema is not None and jsonschema.Draft202012Validator(schema).is_valid(case.body)


def test_anonymous_requests_get_documented_answers(schema):
    assert fuzz(schema, r'^/api/v1/') == 42


def test_a_users_own_requests_get_documented_answers(settings, schema):
    headers = sign_up(CheckedApp(api.create_wsgi(settings)), 'fuzzer')
    assert fuzz(schema, r'^/api/v1/users/\{username\}', headers, 'fuzzer') == 29


def test_analyzer_requests_get_documented_answers(schema):
    assert fuzz(schema, r'^/imports') == 6


def test_the_live_server_gives_documented_answers_to_every_operation(postgres_environ,
                                                                     tmp_path):
    seed()
    process, url = start_web(postgres_environ, tmp_path / 'web.log', workers=1)
    try:
        live = schemathesis.openapi.from_url(f'{url}/openapi.json')
        headers = sign_up_over_http(url, 'fuzzer')
        assert fuzz(live, r'^/(api|imports)', headers, 'fuzzer', examples=10) == 48
    finally:
        stop(process)


def test_a_protected_live_analyzer_gives_documented_answers(postgres_environ, tmp_path):
    seed()
    key = ApiKeyController().create('fuzzer')
    process, url = start_web(dict(postgres_environ, WARBLE_ANALYZER_PROTECTED='true'),
                             tmp_path / 'web.log', workers=1)
    try:
        live = schemathesis.openapi.from_url(f'{url}/openapi.json')
        # schemathesis takes any success beside a cookie it made up for a wrong one, though
        # the valid key alone lets the request in; the refusals are in test_analyzer_access.
        assert fuzz(live, r'^/imports', {'X-API-Key': key}, examples=10,
                    excluded=(ignored_auth,)) == 6
        assert requests.get(f'{url}/imports', timeout=10).status_code == 401
        assert requests.get(f'{url}/imports', headers={'X-API-Key': key}, timeout=10).ok
    finally:
        stop(process)
