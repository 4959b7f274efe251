"""`POST /graphql` (queries and mutations), `GET /graphql` (queries only), the published schema
at `/graphql/schema`, and in development a small GraphiQL-like page served from this origin."""
from __future__ import annotations

import json
from collections.abc import Callable

import bottle
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types.graphql import OperationType

from api import jsonout
from api.errors import STATUS_OF
from api.gql import schema
from api.gql.context import Context
from api.gql.types import users_loader
from api.spec import read_json_body
from api.web import links, settings
from controllers import errors
from controllers.validation import check
from lib.config import ROOT

app = bottle.Bottle()

REQUEST = {'type': 'object', 'required': ['query'], 'additionalProperties': False,
           'properties': {'query': {'type': 'string'},
                          'variables': {'type': ['object', 'null']},
                          'operationName': {'type': ['string', 'null']},
                          'extensions': {'type': ['object', 'null']}}}
QUERIES_ONLY = (OperationType.QUERY,)


@app.post('/graphql')
def post_graphql() -> str:
    return answer(lambda: check(REQUEST, read_json_body(REQUEST)), None)


@app.get('/graphql')
def get_graphql() -> str:
    return answer(query_of_url, QUERIES_ONLY)


@app.get('/graphql/schema')
def published_schema() -> str:
    bottle.response.content_type = 'text/plain; charset=utf-8'
    return schema.sdl()


@app.get('/graphiql')
def graphiql() -> str:
    if not settings().graphql.graphiql:
        raise bottle.HTTPError(404)
    return bottle.template('graphiql')


@app.get('/graphiql.js')
def graphiql_script() -> str:
    if not settings().graphql.graphiql:
        raise bottle.HTTPError(404)
    return bottle.static_file('graphiql.js', root=str(ROOT / 'static' / 'js'),
                              mimetype='application/javascript')


def query_of_url() -> dict:
    """The request of a GET: `query`, `variables` (JSON text) and `operationName`."""
    url = bottle.request.query
    request = {'query': url.getunicode('query')}
    if url.getunicode('operationName'):
        request['operationName'] = url.getunicode('operationName')
    if url.getunicode('variables'):
        try:
            request['variables'] = json.loads(url.getunicode('variables'))
        except ValueError:
            raise errors.Invalid('The variables are not valid JSON.',
                                 {'variables': 'not valid JSON'}) from None
    if request['query'] is None:
        raise errors.Invalid('The request needs a query.', {'query': 'required'})
    return check(REQUEST, request, 'query')


def answer(read_request: Callable[[], dict], allowed: tuple[OperationType, ...] | None) -> str:
    """Run the request `read_request()` gives, synchronously; domain errors about the request
    itself answer with their REST status, in GraphQL's `errors` shape."""
    bottle.response.content_type = 'application/json'
    try:
        request = read_request()
    except errors.DomainError as exc:
        status = next(code for kind, code in STATUS_OF.items() if isinstance(exc, kind))
        bottle.response.status = status
        return jsonout.dumps({'errors': [{'message': exc.message, 'extensions': {
            'code': exc.code, 'fields': exc.fields}}]})
    limits, shown = settings().graphql, links()
    try:
        result = schema.build(limits.max_depth, limits.max_tokens, limits.max_aliases,
                              limits.introspection).execute_sync(
            request['query'], variable_values=request.get('variables'),
            operation_name=request.get('operationName'), allowed_operation_types=allowed,
            context_value=Context(shown, users_loader(shown)))
    except InvalidOperationTypeError:
        bottle.response.status = 405
        return jsonout.dumps({'errors': [{
            'message': 'Mutations are sent with POST; GET /graphql answers queries only.',
            'extensions': {'code': 'method_not_allowed', 'fields': {}}}]})
    body: dict = {}
    if result.errors:
        body['errors'] = [schema.formatted(error) for error in result.errors]
        if result.data is None and not any(error.path for error in result.errors):
            bottle.response.status = 400
    if result.data is not None or not result.errors:
        body['data'] = result.data
    return jsonout.dumps(body)

