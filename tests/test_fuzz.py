"""Generated requests (schemathesis) against every MicroPosts operation: no answer is a server
error, and every answer has a documented status, content type and schema."""
import hypothesis
import pytest
import schemathesis
from schemathesis.specs.openapi.checks import positive_data_acceptance

import api
from controllers.seed import SeedController
from tests.apiclient import CheckedApp, sign_up

EXAMPLES = 15


@pytest.fixture
def schema(settings):
    seeder = SeedController()
    for step in (seeder.users(10), seeder.follows(3), seeder.posts(100)):
        list(step)
    return schemathesis.openapi.from_wsgi('/openapi.json', api.create_wsgi(settings))


def fuzz(schema, path_regex: str, headers: dict | None = None, username: str = '') -> int:
    """Run generated cases of each operation matching `path_regex`; how many operations ran.

    Semantic 400s (wrong password, unknown referenced user) are documented answers to
    schema-valid requests, so that one check is left out."""
    operations = 0
    for result in schema.include(path_regex=path_regex).get_all_operations():
        operation = result.ok()

        @hypothesis.given(case=operation.as_strategy())
        @hypothesis.settings(max_examples=EXAMPLES, deadline=None, database=None,
                             suppress_health_check=list(hypothesis.HealthCheck))
        def run(case):
            if username and 'username' in (case.path_parameters or {}):
                case.path_parameters['username'] = username
            case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

        run()
        operations += 1
    return operations


def test_anonymous_requests_get_documented_answers(schema):
    assert fuzz(schema, r'^/api/v1/') == 22


def test_a_users_own_requests_get_documented_answers(settings, schema):
    headers = sign_up(CheckedApp(api.create_wsgi(settings)), 'fuzzer')
    assert fuzz(schema, r'^/api/v1/users/\{username\}', headers, 'fuzzer') == 13
