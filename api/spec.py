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
from typing import Any

import bottle
from jsonschema import Draft202012Validator

from controllers.errors import Invalid
from lib.utils.schemakit import Check, Unsupported, compile_check

_validators: dict[int, Draft202012Validator] = {}
_quick_checks: dict[int, Check | None] = {}
# Failures explained by the schema's own `description` rather than by jsonschema's message.
DESCRIBED = ('pattern', 'minLength', 'maxLength', 'anyOf', 'oneOf')
MAX_DEPTH = 32  # nesting of arrays and objects in a request; the deepest valid one has 4
INTEGER = re.compile(r'-?[0-9]{1,18}')  # ASCII digits: `isdigit` takes "³", which int() refuses


def validator(schema: dict) -> Draft202012Validator:
    key = id(schema)
    if key not in _validators:
        _validators[key] = Draft202012Validator(schema)
    return _validators[key]


def quick_check(schema: dict) -> Check | None:
    """The compiled yes/no check of `schema`, or None when it needs jsonschema."""
    key = id(schema)
    if key not in _quick_checks:
        try:
            _quick_checks[key] = compile_check(schema)
        except Unsupported:
            _quick_checks[key] = None
    return _quick_checks[key]


def check(schema: dict, value: Any, what: str = 'body') -> Any:
    """Return `value` if it fits `schema`, else raise Invalid naming each wrong field."""
    fields = unstorable_strings(value, what)
    quick = quick_check(schema)
    if not fields and quick is not None and quick(value):
        return value
    for error in sorted(validator(schema).iter_errors(value), key=lambda e: list(e.path)):
        name = '.'.join(str(part) for part in error.absolute_path) or what
        fields.setdefault(name, describe(error))
    if fields:
        raise Invalid(f'The request {what} is not valid.', fields)
    return value


def unstorable_strings(value: Any, what: str) -> dict[str, str]:
    """The fields of `value` holding strings no database column may store: with U+0000, or
    with lone surrogates (which `\\ud800` escapes make). Invalid when arrays and objects nest
    deeper than MAX_DEPTH; iterative, so that no depth of input exhausts the stack."""
    fields = {}
    if isinstance(value, str):
        problem = string_problem(value)
        return {what: problem} if problem else {}
    containers: list[tuple[Any, tuple[str, ...]]] = [(value, ())]
    while containers:
        container, path = containers.pop()
        if isinstance(container, dict):
            pairs = container.items()
        elif isinstance(container, list):
            pairs = enumerate(container)
        else:
            continue
        if len(path) >= MAX_DEPTH:
            raise too_deep(what)
        for key, item in pairs:
            if isinstance(item, str):
                problem = string_problem(item)
                if problem:
                    fields['.'.join((*path, str(key)))] = problem
            elif isinstance(item, dict | list):
                containers.append((item, (*path, str(key))))
    return dict(sorted(fields.items()))


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


def describe(error) -> str:
    """A short human message for one schema error."""
    if error.validator == 'additionalProperties':
        extra = sorted(set(error.instance) - set(error.schema.get('properties', {})))
        return f'unexpected field(s): {", ".join(extra)}'
    if error.validator in DESCRIBED and 'description' in error.schema:
        return error.schema['description']  # says what is expected, and echoes no input
    return error.message


def read_json_body() -> Any:
    """The request body parsed as JSON, or Invalid with a reason."""
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


def coerce_query(schema: dict, query: bottle.FormsDict) -> dict:
    """Query strings to the types the schema asks for, before validation."""
    properties = schema.get('properties', {})
    values = {}
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
    def decorate(callback: Callable) -> Callable:
        @functools.wraps(callback)
        def wrapper(*args, **kwargs):
            if query is not None:
                kwargs['query'] = check(query, coerce_query(query, bottle.request.query), 'query')
            if body is not None:
                kwargs['body'] = check(body, read_json_body())
            return callback(*args, **kwargs)
        wrapper.operation = {'summary': summary, 'tags': list(tags), 'query': query,
                             'body': body, 'responses': responses or {}, 'security': security}
        return wrapper
    return decorate
