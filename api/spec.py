"""Operations: the HTTP side of the request schemas, which are used twice, to validate input
and to generate the OpenAPI document.

A route declares its operation with `@operation(...)` just above the function; the same schema
objects (from the rule books in `controllers/`) then check the query and JSON body before the
route runs and describe it in `/openapi.json`. Reading the query and the body from the request
is here; checking a value against a schema is `controllers.validation`.
"""
from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from typing import Any

import bottle

from api.errors import error_response
from controllers.errors import Invalid
from controllers.validation import check, compiled, refuse_misshapen, too_deep
from lib.utils.problems import LIMIT

WALK_BYTES = 256 * 1024  # a larger body is walked against its schema's shape before parsing
INTEGER = re.compile(r'-?[0-9]{1,18}')  # ASCII digits: `isdigit` takes "³", which int() refuses


def read_json_body(schema: dict, label: str = '') -> Any:
    """The request body parsed as JSON, or Invalid with a reason; 415 unless it says it is
    JSON, so that no HTML form (which cannot send that type across sites) passes for one. A
    large body is parsed only once a walk over it found it of the schema's shape, so no part
    of it is built that the schema does not allow; a refusal of that walk names its objects by
    their integer field `label`."""
    if not is_json(bottle.request.environ.get('CONTENT_TYPE', '')):
        raise error_response(415, 'The request body must be JSON, sent as '
                                  '"Content-Type: application/json".',
                             fields={'Content-Type': 'must be application/json'})
    if bottle.request.content_length > WALK_BYTES:
        refuse_misshapen(bottle.request.body, schema, label)
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
        values[name] = coerce_value(properties.get(name, {}).get('type'), text)
    return values


def coerce_value(kind: str | None, text: str) -> Any:
    """A query value as the schema's `kind` when it reads as one; else the text, which
    validation then judges."""
    if kind == 'integer' and INTEGER.fullmatch(text):
        return int(text)
    if kind == 'boolean' and text in ('true', 'false'):
        return text == 'true'
    return text


def checked_body(schema: dict, read: Callable[[dict], Any]) -> Any:
    """The body `read(schema)` gives, checked against `schema`: how operations check bodies
    unless they name a check of their own."""
    return check(schema, read(schema))


def operation(summary: str, *, tags: tuple[str, ...] = (), query: dict | None = None,
              body: dict | None = None, responses: dict[int, Any] | None = None,
              security: bool | tuple[str, ...] | Callable[[], tuple[str, ...]] = False,
              upload: dict[str, dict] | None = None,
              body_check: Callable[[dict, Callable[..., Any]], Any] = checked_body
              ) -> Callable:
    """Declare an operation; validated `query` and `body` are passed to the route as keywords.
    `security`: True for a bearer token or session, or the names of the accepted schemes (or
    a function giving them, when the settings decide). `upload`: the media types of a body
    that is not JSON (a picture), for the document; the route reads it. `body_check(schema,
    read)` reads the body with `read(schema)` (`label=`: the field that names the objects of a
    refusal) and checks it (a service's rule book may check more at once)."""
    for schema in (query, body):  # a schema the checks do not understand fails here, at import
        if schema is not None:
            compiled(schema)

    def decorate(callback: Callable) -> Callable:
        @functools.wraps(callback)
        def wrapper(*args, **kwargs):
            if query is not None:
                kwargs['query'] = validated_query(query)
            if body is not None:
                kwargs['body'] = body_check(body, read_json_body)
            return callback(*args, **kwargs)
        wrapper.operation = {'summary': summary, 'tags': list(tags), 'query': query,
                             'body': body, 'responses': responses or {}, 'security': security,
                             'upload': upload}
        return wrapper
    return decorate
