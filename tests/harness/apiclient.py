"""A WebTest client that checks every answer of a documented operation against /openapi.json:
the status must be declared for the operation, and a JSON body must fit its schema."""
from __future__ import annotations

import re

import webtest
from jsonschema import Draft202012Validator

PASSWORD = 'correct horse battery'


class CheckedApp(webtest.TestApp):
    """webtest.TestApp whose answers must match the OpenAPI document of the app."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.document = super().do_request(webtest.TestRequest.blank('/openapi.json')).json
        self.operations = [(re.compile('^' + re.sub(r'\{[^}]+\}', '[^/]+', path) + '$'), item)
                           for path, item in self.document['paths'].items()]
        self.checked = 0

    def do_request(self, req, status=None, expect_errors=None):
        answer = super().do_request(req, status, expect_errors)
        operation = self.operation(req.method, req.path)
        if operation is not None:
            self.conform(operation, answer)
        return answer

    def operation(self, method: str, path: str) -> dict | None:
        for pattern, item in self.operations:
            if pattern.match(path) and method.lower() in item:
                return item[method.lower()]
        return None

    def conform(self, operation: dict, answer) -> None:
        declared = operation['responses'].get(str(answer.status_int))
        assert declared is not None, (
            f'{operation["operationId"]} answered {answer.status_int}, which is not documented')
        content = declared.get('content', {}).get('application/json')
        if content is None:
            assert answer.status_int == 204 or not answer.body or \
                not answer.content_type.endswith('json'), 'an undocumented body'
        elif answer.content_type == 'application/json':
            schema = content['schema']
            if '$ref' in schema:
                schema = self.document['components']['schemas'][schema['$ref'].split('/')[-1]]
            Draft202012Validator(schema).validate(answer.json)
        self.checked += 1


def sign_up(client: webtest.TestApp, username: str, email: str | None = None) -> dict:
    """Create a user and log in; the headers that authenticate as them."""
    client.post_json('/api/v1/users', {'username': username, 'password': PASSWORD,
                                       'email': email or f'{username}@example.com'}, status=201)
    return log_in(client, username)


def log_in(client: webtest.TestApp, username: str) -> dict:
    answer = client.post_json('/api/v1/token', {'grant_type': 'password', 'username': username,
                                                'password': PASSWORD})
    return {'Authorization': f'Bearer {answer.json["access_token"]}'}


def ask_token(client: webtest.TestApp, username: str = 'alice', password: str = PASSWORD,
              status: int = 200, address: str = '10.0.0.1', **headers: str) -> webtest.TestResponse:
    """`POST /api/v1/token` from the client address `address`; the answer."""
    return client.post_json('/api/v1/token', {'grant_type': 'password', 'username': username,
                                              'password': password},
                            extra_environ={'REMOTE_ADDR': address}, headers=headers,
                            status=status)


def post(client: webtest.TestApp, username: str, headers: dict, text: str, **extra) -> dict:
    """Write a post as `username`; the micropost."""
    return client.post_json(f'/api/v1/users/{username}/collection', {'text': text, **extra},
                            headers=headers, status=201).json


def sign_up_over_http(url: str, username: str) -> dict:
    """`sign_up` against a running server at `url`."""
    import requests
    requests.post(f'{url}/api/v1/users', timeout=10, json={
        'username': username, 'password': PASSWORD, 'email': f'{username}@example.com'})
    answer = requests.post(f'{url}/api/v1/token', timeout=10, json={
        'grant_type': 'password', 'username': username, 'password': PASSWORD})
    return {'Authorization': f'Bearer {answer.json()["access_token"]}'}
