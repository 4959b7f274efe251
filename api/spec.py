"""Request schemas, used twice: to validate input and to generate the OpenAPI document.

A route declares its operation with `@operation(...)` just above the function; the same schema
objects then check the query and JSON body before the route runs and describe it in
`/openapi.json`. Nothing is kept twice.
"""
from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from typing import Any, BinaryIO

import bottle

from api.errors import error_response
from controllers.errors import Invalid
from lib.utils.jsonshape import JSONError, Shape, TooDeep, shape_of, shape_problems
from lib.utils.problems import LIMIT, Problems, summary
from lib.utils.schemaexplain import compile_explainer
from lib.utils.schemakit import Check, Unsupported, compile_check

_explainers: dict[int, Callable[[Any, Problems], None]] = {}
_quick_checks: dict[int, Check] = {}
_shapes: dict[int, Shape] = {}
MAX_DEPTH = 32  # nesting of arrays and objects in a request; the deepest valid one has 4
WALK_BYTES = 256 * 1024  # a larger body is walked against its schema's shape before parsing
INTEGER = re.compile(r'-?[0-9]{1,18}')  # ASCII digits: `isdigit` takes "³", which int() refuses


def compiled(schema: dict) -> tuple[Check, Callable[[Any, Problems], None]]:
    """The quick yes/no check of `schema` and the function that says why a value does not
    fit it; made once per schema, when its operation is declared."""
    key = id(schema)
    if key not in _explainers:
        try:
            _quick_checks[key] = compile_check(schema)
        except Unsupported:  # `anyOf`, `const`: the explainer alone decides
            _quick_checks[key] = lambda value: False
        _explainers[key] = compile_explainer(schema)
    return _quick_checks[key], _explainers[key]


def check(schema: dict, value: Any, what: str = 'body') -> Any:
    """Return `value` if it fits `schema`, else raise Invalid naming each wrong field (the
    first LIMIT of them, and how many more)."""
    quick, explain = compiled(schema)
    problems = Problems(root=what)
    unstorable_strings(value, problems)
    if not problems and quick(value):
        return value
    explain(value, problems)
    if problems:
        raise Invalid(summary(f'The request {what} is not valid.', problems.more),
                      problems.fields, more=problems.more)
    return value


def unstorable_strings(value: Any, problems: Problems) -> None:
    """Add the fields of `value` holding strings no database column may store: with U+0000,
    or with lone surrogates (which `\\ud800` escapes make). Invalid when arrays and objects
    nest deeper than MAX_DEPTH; iterative, so that no depth of input exhausts the stack."""
    if isinstance(value, str):
        problem = string_problem(value)
        if problem:
            problems.add('', problem)
        return
    path: list[str] = []  # keys down to the container on top of `walks`
    walks = [iter(pairs_of(value))]  # one iterator per open container: memory is the depth
    while walks:
        for key, item in walks[-1]:
            if isinstance(item, str):
                problem = string_problem(item)
                if problem:
                    problems.add('.'.join((*path, str(key))), problem)
            elif isinstance(item, dict | list):
                if len(walks) >= MAX_DEPTH:
                    raise too_deep(problems.root)
                path.append(str(key))
                walks.append(iter(pairs_of(item)))
                break
        else:
            walks.pop()
            if path:
                path.pop()


def pairs_of(value: Any):
    if isinstance(value, dict):
        return value.items()
    return enumerate(value) if isinstance(value, list) else ()


def string_problem(text: str) -> str | None:
    if '\x00' in text:
        return 'must not contain NUL characters'
    if not text.isascii():
        try:
            text.encode()
        except UnicodeEncodeError:
            return 'must not contain lone surrogates (invalid Unicode)'
    return None


def too_deep(what: str) -> Invalid:
    return Invalid(f'The request {what} nests arrays and objects too deeply.',
                   {what: f'at most {MAX_DEPTH} levels'})


def shape(schema: dict) -> Shape:
    key = id(schema)
    if key not in _shapes:
        _shapes[key] = shape_of(schema)
    return _shapes[key]


def read_json_body(schema: dict) -> Any:
    """The request body parsed as JSON, or Invalid with a reason; 415 unless it says it is
    JSON, so that no HTML form (which cannot send that type across sites) passes for one. A
    large body is parsed only once a walk over it found it of the schema's shape, so no part
    of it is built that the schema does not allow."""
    if not is_json(bottle.request.environ.get('CONTENT_TYPE', '')):
        raise error_response(415, 'The request body must be JSON, sent as '
                                  '"Content-Type: application/json".',
                             fields={'Content-Type': 'must be application/json'})
    if bottle.request.content_length > WALK_BYTES:
        refuse_misshapen(bottle.request.body, schema)
    raw = bottle.request.body.read()
    if not raw:
        raise Invalid('The request body is empty; JSON was expected.')
    try:
        return json.loads(raw)
    except UnicodeDecodeError:
        raise Invalid('The request body is not valid UTF-8.') from None
    except RecursionError:
        raise too_deep('body') from None
    except ValueError as exc:
        raise Invalid(f'The request body is not valid JSON ({exc}).') from None


def refuse_misshapen(body: BinaryIO, schema: dict) -> None:
    """Invalid, naming the first LIMIT places, when the body departs from the schema's shape
    (the walk stops there); else the body is left to be read again from its start."""
    try:
        problems = shape_problems(body, shape(schema), LIMIT, MAX_DEPTH)
    except TooDeep:
        raise too_deep('body') from None
    except JSONError as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else 'malformed'
        raise Invalid(f'The request body is not valid JSON ({reason}).') from None
    if problems:
        unread = ' The rest of it was not checked.' if len(problems) >= LIMIT else ''
        raise Invalid(f'The request body is not valid.{unread}', problems)
    body.seek(0)


def is_json(content_type: str) -> bool:
    """`application/json`, alone or with a UTF-8 charset (JSON is UTF-8)."""
    kind, *parameters = (part.strip().lower() for part in content_type.split(';'))
    return kind == 'application/json' and all(
        parameter.replace('"', '') in ('charset=utf-8', '') for parameter in parameters)


VALIDATED_QUERY = 'warble.query'  # where the request's environ keeps its validated query


def validated_query(schema: dict) -> dict:
    """The query of the current request checked against `schema`, once per request (the page
    cache names answers by it before the route reads it)."""
    environ = bottle.request.environ
    if VALIDATED_QUERY not in environ:
        environ[VALIDATED_QUERY] = check(schema, coerce_query(schema, bottle.request.query),
                                         'query')
    return environ[VALIDATED_QUERY]


def coerce_query(schema: dict, query: bottle.FormsDict) -> dict:
    """Query strings to the types the schema asks for, before validation; a parameter given
    twice is refused, since which one counts would be a guess."""
    properties = schema.get('properties', {})
    values = {}
    repeated = sorted(name for name in query if len(query.getall(name)) > 1)
    if repeated:
        raise Invalid('The query string gives a parameter more than once.',
                      {name[:64]: 'given more than once' for name in repeated[:LIMIT]})
    for name in query:
        text = query.getunicode(name)
        if text is None:
            raise Invalid('The query string is not valid UTF-8.', {name: 'not valid UTF-8'})
        kind = properties.get(name, {}).get('type')
        if kind == 'integer' and INTEGER.fullmatch(text):
            values[name] = int(text)
        elif kind == 'boolean' and text in ('true', 'false'):
            values[name] = text == 'true'
        else:
            values[name] = text
    return values


def operation(summary: str, *, tags: tuple[str, ...] = (), query: dict | None = None,
              body: dict | None = None, responses: dict[int, Any] | None = None,
              security: bool | tuple[str, ...] | Callable[[], tuple[str, ...]] = False
              ) -> Callable:
    """Declare an operation; validated `query` and `body` are passed to the route as keywords.
    `security`: True for a bearer token or session, or the names of the accepted schemes (or
    a function giving them, when the settings decide)."""
    for schema in (query, body):  # a schema the checks do not understand fails here, at import
        if schema is not None:
            compiled(schema)

    def decorate(callback: Callable) -> Callable:
        @functools.wraps(callback)
        def wrapper(*args, **kwargs):
            if query is not None:
                kwargs['query'] = validated_query(query)
            if body is not None:
                kwargs['body'] = check(body, read_json_body(body))
            return callback(*args, **kwargs)
        wrapper.operation = {'summary': summary, 'tags': list(tags), 'query': query,
                             'body': body, 'responses': responses or {}, 'security': security}
        return wrapper
    return decorate
