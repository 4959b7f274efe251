"""The OpenAPI document covers every MicroPosts route, and the client used by the API tests
rejects answers that the document does not describe."""
import json
import re

import bottle
import jsonschema
import pytest

import api
from api.openapi import PARAMETER
from api.spec import operation
from tests.harness.apiclient import CheckedApp

ENDPOINTS = {
    ('post', '/api/v1/users'): {'201', '400', '403', '409', '429'},
    ('get', '/api/v1/users'): {'200', '400'},
    ('put', '/api/v1/users/{username}/avatar'): {'200', '400', '401', '403', '429'},
    ('delete', '/api/v1/users/{username}/avatar'): {'204', '401', '403'},
    ('get', '/api/v1/users/{username}/avatar/{file}'): {'200', '304', '404'},
    ('post', '/api/v1/token'): {'200', '400', '429'},
    ('delete', '/api/v1/token'): {'204', '400', '401', '403'},
    ('get', '/api/v1/session'): {'200'},
    ('post', '/api/v1/session'): {'200', '400', '403', '429'},
    ('delete', '/api/v1/session'): {'204', '403'},
    ('get', '/api/v1/users/{username}'): {'200', '400', '404'},
    ('patch', '/api/v1/users/{username}'): {'200', '400', '401', '403'},
    ('get', '/api/v1/users/{username}/collection'): {'200', '400', '404'},
    ('post', '/api/v1/users/{username}/collection'): {'201', '400', '401', '403', '429'},
    ('get', '/api/v1/users/{username}/collection/{post_id}'): {'200', '400', '404'},
    ('put', '/api/v1/users/{username}/collection/{post_id}'):
        {'200', '400', '401', '403', '404'},
    ('patch', '/api/v1/users/{username}/collection/{post_id}'):
        {'200', '400', '401', '403', '404'},
    ('delete', '/api/v1/users/{username}/collection/{post_id}'): {'204', '401', '403', '404'},
    ('get', '/api/v1/users/{username}/timeline'): {'200', '400', '401', '403', '404'},
    ('get', '/api/v1/users/{username}/timeline/stream'): {'200', '400', '401', '403', '404'},
    ('get', '/api/v1/users/{username}/following'): {'200', '400', '404'},
    ('post', '/api/v1/users/{username}/following'):
        {'200', '201', '400', '401', '403', '429'},
    ('delete', '/api/v1/users/{username}/following/{other}'): {'204', '401', '403', '404'},
    ('get', '/api/v1/users/{username}/followers'): {'200', '400', '404'},
    ('get', '/api/v1/users/{username}/notifications'): {'200', '400', '401', '403'},
    ('get', '/api/v1/users/{username}/notifications/unread'): {'200', '401', '403'},
    ('post', '/api/v1/users/{username}/notifications/read'): {'200', '400', '401', '403'},
    ('post', '/api/v1/users/{username}/exports'): {'200', '202', '400', '401', '403'},
    ('get', '/api/v1/users/{username}/exports'): {'200', '401', '403'},
    ('get', '/api/v1/users/{username}/exports/{export_id}'): {'200', '401', '403', '404'},
    ('get', '/api/v1/users/{username}/exports/{export_id}/download'):
        {'200', '401', '403', '404', '409', '410'},
    ('get', '/api/v1/search'): {'200', '400'},
    ('get', '/api/v1/microposts'): {'200', '400'},
    ('get', '/api/v1/microposts/stream'): {'200', '400'},
    ('get', '/api/v1/stats/daily'): {'200', '400'},
    ('get', '/api/v1/users/{username}/account'): {'200', '401', '403'},
    ('put', '/api/v1/users/{username}/password'): {'200', '400', '401', '403', '429'},
    ('post', '/api/v1/users/{username}/email'): {'202', '400', '401', '403', '409', '429'},
    ('post', '/api/v1/email-confirmations'): {'200', '400', '409'},
    ('post', '/api/v1/password-resets'): {'202', '400', '403', '429'},
    ('post', '/api/v1/password-resets/completion'): {'200', '400', '403'},
    ('get', '/api/v1/users/{username}/sessions'): {'200', '401', '403'},
    ('delete', '/api/v1/users/{username}/sessions/{token_id}'): {'204', '401', '403', '404'},
    ('delete', '/api/v1/users/{username}'): {'204', '400', '401', '403', '429'},
}


def test_every_endpoint_is_documented_with_its_statuses(client):
    paths = client.document['paths']
    documented = {(method, path): set(paths[path][method]['responses']) - {'413', '415', '503'}
                  for path in paths for method in paths[path] if path.startswith('/api/v1/')}
    assert documented == ENDPOINTS


def test_every_operation_documents_the_database_outage_and_bodies_their_limit(client):
    for path, item in client.document['paths'].items():
        for method, declared in item.items():
            assert '503' in declared['responses'], (method, path)
            assert ('413' in declared['responses']) == ('requestBody' in declared), path
            assert ('415' in declared['responses']) == ('requestBody' in declared), path


def test_every_api_route_declares_an_operation(settings):
    for route in api.create_app(settings).routes:
        if route.rule.startswith('/api/'):
            assert hasattr(route.callback, 'operation'), route.rule


def test_writes_and_the_timeline_need_a_bearer_token(client):
    paths = client.document['paths']
    secured = {(method, path) for path in paths for method in paths[path]
               if 'security' in paths[path][method] and path.startswith('/api/')}
    assert secured == {(method, path) for method, path in ENDPOINTS
                       if '401' in ENDPOINTS[method, path]}
    assert client.document['components']['securitySchemes']['bearer']['scheme'] == 'bearer'


def test_query_parameters_come_from_the_validating_schema(client):
    search = client.document['paths']['/api/v1/search']['get']
    parameters = {item['name']: item for item in search['parameters']}
    assert set(parameters) == {'text', 'username', 'page', 'size', 'callback'}
    assert parameters['text']['required'] is True
    assert parameters['size']['schema']['maximum'] == 100


def test_path_parameters_match_the_routes(client):
    for path, item in client.document['paths'].items():
        for declared in item.values():
            names = {p['name'] for p in declared['parameters'] if p['in'] == 'path'}
            assert names == {name for name, _kind in PARAMETER.findall(
                path.replace('{', '<').replace('}', '>'))}


def test_post_ids_are_documented_as_decimal_strings_in_answers_and_paths(client):
    item = client.document['paths']['/api/v1/users/{username}/collection/{post_id}']
    for declared in item.values():
        post_id, = (p for p in declared['parameters'] if p['name'] == 'post_id')
        assert post_id['schema']['type'] == 'string'
        assert re.fullmatch(post_id['schema']['pattern'], str(2**63 - 1))
    schemas = json.dumps(client.document)
    assert '"id": {"type": "integer"' not in schemas


def checked_app_answering(answer: dict, status: int = 200) -> CheckedApp:
    app = bottle.Bottle()

    @app.get('/thing')
    @operation('A thing', responses={200: {'type': 'object', 'required': ['name']}})
    def thing():
        bottle.response.status = status
        return answer

    app.route('/openapi.json', 'GET', lambda: api.openapi.build_document(app))
    return CheckedApp(app)


def test_the_checking_client_rejects_an_answer_outside_its_schema():
    assert checked_app_answering({'name': 'ok'}).get('/thing').json == {'name': 'ok'}
    with pytest.raises(jsonschema.ValidationError):
        checked_app_answering({}).get('/thing')


def test_the_checking_client_rejects_an_undocumented_status():
    with pytest.raises(AssertionError, match='answered 202, which is not documented'):
        checked_app_answering({'name': 'ok'}, status=202).get('/thing')


def test_patterns_python_reads_over_unicode_are_left_out_of_the_document(client):
    """ECMA-262, the dialect of JSON Schema, reads `\\W` as ASCII: `[^\\W_]` there would refuse
    the town "Москва", which the app accepts."""
    assert '\\\\W' not in json.dumps(client.document)
    town = client.document['paths']['/imports']['post']['requestBody']['content'][
        'application/json']['schema']['properties']['citizens']['items']['properties']['town']
    assert 'pattern' not in town and 'letter or digit' in town['description']


def test_the_formats_the_server_checks_are_documented(client):
    paths = client.document['paths']
    sign_up = paths['/api/v1/users']['post']['requestBody']['content']['application/json']
    assert sign_up['schema']['properties']['email']['format'] == 'email'
    days = {parameter['name']: parameter['schema']
            for parameter in paths['/api/v1/stats/daily']['get']['parameters']}
    assert days['from']['format'] == days['to']['format'] == 'date'
