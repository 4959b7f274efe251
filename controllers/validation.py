"""Checking a value against a JSON Schema: the one validator of every edge and of the
management commands. A schema is compiled once; a value that does not fit raises `Invalid`
naming its wrong fields, and a large JSON document can be walked against the schema's shape
before it is parsed."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, BinaryIO

from controllers.errors import Invalid
from lib.utils.jsonshape import JSONError, Shape, TooDeep, shape_of, shape_walk
from lib.utils.problems import LIMIT, Problems, summary
from lib.utils.schemaexplain import compile_explainer
from lib.utils.schemakit import Check, Unsupported, compile_check

_explainers: dict[int, Callable[[Any, Problems], None]] = {}
_quick_checks: dict[int, Check] = {}
_shapes: dict[int, Shape] = {}
MAX_DEPTH = 32  # nesting of arrays and objects in a document; the deepest valid one has 4


def compiled(schema: dict) -> tuple[Check, Callable[[Any, Problems], None]]:
    """The quick yes/no check of `schema` and the function that says why a value does not
    fit it; made once per schema (an edge compiles its schemas when it declares them)."""
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
    """Invalid for a document nesting deeper than MAX_DEPTH."""
    return Invalid(f'The request {what} nests arrays and objects too deeply.',
                   {what: f'at most {MAX_DEPTH} levels'})


def shape(schema: dict) -> Shape:
    """The shape of `schema` that `refuse_misshapen` walks a document against; made once."""
    key = id(schema)
    if key not in _shapes:
        _shapes[key] = shape_of(schema)
    return _shapes[key]


def refuse_misshapen(body: BinaryIO, schema: dict, label: str = '') -> None:
    """Invalid, naming the first LIMIT places, when the body departs from the schema's shape
    (the walk stops there); else the body is left to be read again from its start. The
    Invalid's `labels` hold, by the path of each object, its integer field named `label`."""
    try:
        walk = shape_walk(body, shape(schema), LIMIT, MAX_DEPTH, label)
    except TooDeep:
        raise too_deep('body') from None
    except JSONError as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else 'malformed'
        raise Invalid(f'The request body is not valid JSON ({reason}).') from None
    if walk.problems:
        unread = ' The rest of it was not checked.' if len(walk.problems) >= LIMIT else ''
        refusal = Invalid(f'The request body is not valid.{unread}', walk.problems)
        refusal.labels = walk.labels
        raise refusal
    body.seek(0)
