"""`GET /openapi.json` from the `@operation` declarations of the routes, and `/docs`."""
from __future__ import annotations

import re

import bottle

from api.assets import static_prefix
from api.schemas import ID
from lib.utils.problems import LIMIT
from lib.version import version

app = bottle.Bottle()

PROBLEM = {
    'type': 'object',
    'required': ['citizen_id', 'position', 'field', 'message'],
    'properties': {
        'citizen_id': {'type': ['integer', 'null'],
                       'description': 'the citizen, when it has a valid citizen_id'},
        'position': {'type': ['integer', 'null'], 'minimum': 0,
                     'description': "the citizen's place in the list, from 0; null for the "
                                    'file as a whole'},
        'field': {'type': ['string', 'null'],
                  'description': 'the field; null for the citizen or the file as a whole'},
        'message': {'type': 'string', 'description': 'what is wrong, in plain words'}},
}
ERROR = {
    'type': 'object',
    'required': ['error'],
    'properties': {'error': {
        'type': 'object',
        'required': ['code', 'message', 'fields'],
        'properties': {'code': {'type': 'string'}, 'message': {'type': 'string'},
                       'fields': {'type': 'object', 'additionalProperties': {'type': 'string'},
                                  'description': f'the first {LIMIT} problems, by field'},
                       'more': {'type': 'integer', 'minimum': 1,
                                'description': 'problems found but not listed in fields'},
                       'problems': {
                           'type': 'array', 'maxItems': LIMIT, 'items': PROBLEM,
                           'description': 'POST /imports: the problems of `fields` by citizen '
                                          'and field, in plain words, ordered as in the file'}},
    }},
}
PARAMETER = re.compile(r'<([A-Za-z_][A-Za-z0-9_]*)(?::([a-z]+))?>')
# Path parameters that name a row by its 64-bit id: strings, as in JSON.
TIME_ORDERED = {'post_id', 'token_id', 'export_id'}
# Classes that ECMA-262, the regular expressions of JSON Schema, reads as ASCII only, while
# Python's `re`, which checks the patterns here, reads them over all of Unicode.
UNICODE_IN_PYTHON_ONLY = re.compile(r'(?<!\\)\\[wWdDbB]')


def build_document(root: bottle.Bottle) -> dict:
    """An OpenAPI 3.1 document of every route of `root` that declares an operation."""
    paths: dict[str, dict] = {}
    for route in root.routes:
        declared = getattr(route.callback, 'operation', None)
        if declared is None:
            continue
        path = PARAMETER.sub(r'{\1}', route.rule)
        paths.setdefault(path, {})[route.method.lower()] = describe(route, declared)
    return {
        'openapi': '3.1.0',
        'info': {'title': 'Warble', 'version': version(),
                 'description': 'MicroPosts, a microblog, and the Analyzer of citizens imports.'},
        'paths': portable(paths),
        'components': {
            'schemas': {'Error': ERROR},
            'securitySchemes': {
                'bearer': {'type': 'http', 'scheme': 'bearer'},
                'session': {'type': 'apiKey', 'in': 'cookie', 'name': 'warble_session',
                            'description': 'Set by POST /api/v1/session; writes also need the '
                                           'X-CSRF-Token header of the session.'},
                'apikey': {'type': 'apiKey', 'in': 'header', 'name': 'X-API-Key',
                           'description': 'Made by `manage.py apikey create NAME`; accepted '
                                          'by the Analyzer.'}},
        },
    }


def portable(schema):
    """`schema` without the patterns that mean otherwise in ECMA-262 (`[^\\W_]` would refuse
    "Москва"); their descriptions still say what is expected."""
    if isinstance(schema, list):
        return [portable(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    return {key: portable(value) for key, value in schema.items()
            if not (key == 'pattern' and isinstance(value, str) and
                    UNICODE_IN_PYTHON_ONLY.search(value))}


def describe(route: bottle.Route, declared: dict) -> dict:
    operation = {'summary': declared['summary'], 'tags': declared['tags'],
                 'operationId': f'{route.method.lower()}_{route.callback.__name__}',
                 'parameters': path_parameters(route.rule) + query_parameters(declared['query']),
                 'responses': responses({**always(declared), **declared['responses']})}
    if declared['body'] is not None:
        operation['requestBody'] = {'required': True, 'content': {
            'application/json': {'schema': declared['body']}}}
    if declared.get('upload'):
        operation['requestBody'] = {'required': True, 'content': declared['upload']}
    schemes = declared['security']
    schemes = schemes() if callable(schemes) else schemes  # as the settings have it now
    if schemes:
        schemes = ('bearer', 'session') if schemes is True else schemes
        operation['security'] = [{scheme: []} for scheme in schemes]
    if 'callback' in (declared['query'] or {}).get('properties', {}):
        for status, answer in operation['responses'].items():  # JSONP: the answer as a script
            if status.startswith('2') and 'content' in answer:
                answer['content']['application/javascript'] = {'schema': {'type': 'string'}}
    return operation


def always(declared: dict) -> dict:
    """Answers any operation may give: 503 while the database is unreachable, and 413 for a
    body over the limit or 415 for one that does not say it is JSON."""
    takes_body = declared['body'] is not None or declared.get('upload')
    return {503: None, **({413: None, 415: None} if takes_body else {})}


def path_parameters(rule: str) -> list[dict]:
    return [{'name': name, 'in': 'path', 'required': True, 'schema': path_schema(name, kind)}
            for name, kind in PARAMETER.findall(rule)]


def path_schema(name: str, kind: str) -> dict:
    if name in TIME_ORDERED:
        return ID
    return {'type': 'integer', 'minimum': 0} if kind == 'int' else {'type': 'string'}


def query_parameters(schema: dict | None) -> list[dict]:
    if not schema:
        return []
    required = set(schema.get('required', ()))
    return [{'name': name, 'in': 'query', 'required': name in required, 'schema': prop}
            for name, prop in schema.get('properties', {}).items()]


def responses(declared: dict) -> dict:
    """Declared answers: a schema, or None (an error body for 4xx/5xx, no body otherwise), or
    `{"content": {media type: ...}}` for an answer that is not JSON (a picture)."""
    answers = {}
    for status, schema in declared.items():
        if schema is None and status >= 400:
            schema = {'$ref': '#/components/schemas/Error'}
        answer = {'description': bottle.HTTP_CODES.get(status, str(status))}
        if schema is not None and set(schema) == {'content'}:
            answer['content'] = schema['content']
        elif schema is not None:
            answer['content'] = {'application/json': {'schema': schema}}
        answers[str(status)] = answer
    return answers


@app.get('/openapi.json')
def openapi_document() -> dict:
    return build_document(bottle.request.app)


@app.get('/docs')
def docs_page() -> str:
    return bottle.template('docs', static=static_prefix())
