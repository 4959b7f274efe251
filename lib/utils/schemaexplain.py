"""Why a value does not fit a JSON Schema, in one linear pass that keeps a bounded list.

jsonschema's `iter_errors` runs every keyword, so a `pattern` still runs on a string that
already failed `maxLength`, and it makes an error object for every problem, however many.
Here each value is checked in order (type, then sizes, then patterns, which only run on
strings of an allowed length), each field gets one problem, and `Problems` keeps the first
hundred and counts the rest. The messages read like jsonschema's and never echo long input.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from lib.utils.problems import Problems
from lib.utils.schemakit import (
    ANNOTATIONS,
    ARRAY,
    NUMBER,
    OBJECT,
    STRING,
    Unsupported,
    compile_pattern,
)

Path = tuple | None  # (parent path, key), built as the walk goes down; names only on problems
Explain = Callable[[Any, Path, Problems], None]
KNOWN = ANNOTATIONS | OBJECT | ARRAY | STRING | NUMBER | {'type', 'enum', 'const', 'anyOf'}
DESCRIBED = ('pattern', 'minLength', 'maxLength', 'anyOf')
JSON_TYPES = ('null', 'boolean', 'integer', 'number', 'string', 'array', 'object')
BRIEF = 40  # characters of a value a message may quote


def compile_explainer(schema: dict) -> Callable[[Any, Problems], None]:
    """A function adding to `Problems` what in a value breaks `schema`; raises Unsupported
    for keywords it does not know."""
    explain = _compile(schema)

    def run(value: Any, problems: Problems) -> None:
        explain(value, None, problems)
    return run


def field_name(path: Path) -> str:
    """`citizens.2.town`; empty for the value itself."""
    parts = []
    while path is not None:
        path, key = path
        parts.append(str(key))
    return '.'.join(reversed(parts))


def _compile(schema: dict) -> Explain:
    unknown = set(schema) - KNOWN
    if unknown:
        raise Unsupported(', '.join(sorted(unknown)))
    steps = [step for step in (_type_step(schema), _value_step(schema), _object_step(schema),
                               _array_step(schema), _string_step(schema), _number_step(schema),
                               _any_of_step(schema)) if step is not None]

    def explain(value: Any, path: Path, problems: Problems) -> None:
        for step in steps:
            problem = step(value, path, problems)
            if problem:  # one problem per field: the first found
                problems.add(field_name(path), problem)
                return
    return explain


def json_type(value: Any) -> str:
    if value is None:
        return 'null'
    if isinstance(value, bool):
        return 'boolean'
    if isinstance(value, int):
        return 'integer'
    if isinstance(value, float):
        return 'integer' if value.is_integer() else 'number'
    if isinstance(value, str):
        return 'string'
    if isinstance(value, list):
        return 'array'
    return 'object' if isinstance(value, dict) else 'unknown'


def brief(value: Any) -> str:
    """A value as a message may quote it: short values whole, long ones by their kind."""
    if isinstance(value, dict | list) or isinstance(value, str) and len(value) > BRIEF:
        return f'the {json_type(value)}'  # not even made into text: it may be long
    text = repr(value)
    return text if len(text) <= BRIEF else f'the {json_type(value)}'


def _type_step(schema: dict):
    names = schema.get('type')
    if names is None:
        return None
    names = (names,) if isinstance(names, str) else tuple(names)
    if not set(names) <= set(JSON_TYPES):
        raise Unsupported(f'type {names}')
    allowed = set(names) | ({'integer'} if 'number' in names else set())
    expected = ', '.join(repr(name) for name in names)

    def step(value, path, problems):
        if json_type(value) not in allowed:
            return f'{brief(value)} is not of type {expected}'
        return None
    return step


def _value_step(schema: dict):
    if 'enum' not in schema and 'const' not in schema:
        return None
    options = schema['enum'] if 'enum' in schema else [schema['const']]
    keys = {_key(option) for option in options}

    def step(value, path, problems):
        if _key(value) not in keys:
            if 'const' in schema:
                return f'{options[0]!r} was expected'
            return f'{brief(value)} is not one of {options!r}'
        return None
    return step


def _key(value: Any) -> str:
    """A hashable stand-in for a JSON value (True and 1 differ, as in JSON Schema)."""
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True)
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # 1.0 equals 1
    return f'{json_type(value)}:{value!r}'


def _object_step(schema: dict):
    if not OBJECT & set(schema):
        return None
    extra = schema.get('additionalProperties', True)
    if extra not in (True, False):
        raise Unsupported('additionalProperties with a schema')
    properties = {name: _compile(rule) for name, rule in schema.get('properties', {}).items()}
    required = list(schema.get('required', ()))
    fewest, most = schema.get('minProperties', 0), schema.get('maxProperties', float('inf'))

    def step(value, path, problems):
        if not isinstance(value, dict):
            return None
        problem = None
        missing = [name for name in required if name not in value]
        if missing:
            problem = '; '.join(f"'{name}' is a required property" for name in missing)
        elif len(value) < fewest:
            problem = 'should be non-empty' if fewest == 1 else \
                f'should have at least {fewest} properties'
        elif len(value) > most:
            problem = f'should have at most {most} properties'
        elif not extra and not value.keys() <= properties.keys():
            problem = unexpected(value.keys() - properties.keys())
        for name, item in value.items():  # the fields' own problems, under their names
            rule = properties.get(name)
            if rule is not None:
                rule(item, (path, name), problems)
        return problem
    return step


def unexpected(names: set[str]) -> str:
    shown = sorted(names)[:10]
    rest = f' and {len(names) - len(shown)} more' if len(names) > len(shown) else ''
    return f'unexpected field(s): {", ".join(name[:BRIEF] for name in shown)}{rest}'


def _array_step(schema: dict):
    if not ARRAY & set(schema):
        return None
    item = _compile(schema['items']) if 'items' in schema else None
    fewest, most = schema.get('minItems', 0), schema.get('maxItems', float('inf'))
    unique = schema.get('uniqueItems', False)

    def step(value, path, problems):
        if not isinstance(value, list):
            return None
        problem = None
        if len(value) < fewest:
            problem = f'should have at least {fewest} items'
        elif len(value) > most:
            problem = f'should have at most {most} items'
        elif unique and len({_key(each) for each in value}) != len(value):
            problem = f'{brief(value)} has non-unique elements'
        if item is not None:
            for position, each in enumerate(value):
                item(each, (path, position), problems)
        return problem
    return step


def _string_step(schema: dict):
    if not STRING & set(schema):
        return None
    fewest, most = schema.get('minLength', 0), schema.get('maxLength', float('inf'))
    search = compile_pattern(schema['pattern']).search if 'pattern' in schema else None
    described = schema.get('description')

    def step(value, path, problems):
        if not isinstance(value, str):
            return None
        if len(value) < fewest:  # sizes first: a pattern runs on strings of a fit length only
            return described or f'should have at least {fewest} characters'
        if len(value) > most:
            return described or f'should have at most {most} characters'
        if search is not None and search(value) is None:
            return described or f'does not match {schema["pattern"]!r}'
        return None
    return step


def _number_step(schema: dict):
    if not NUMBER & set(schema):
        return None
    lowest, highest = schema.get('minimum', float('-inf')), schema.get('maximum', float('inf'))

    def step(value, path, problems):
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        if value < lowest:
            return f'{brief(value)} is less than the minimum of {lowest}'
        if value > highest:
            return f'{brief(value)} is greater than the maximum of {highest}'
        return None
    return step


def _any_of_step(schema: dict):
    if 'anyOf' not in schema:
        return None
    options = [_compile(option) for option in schema['anyOf']]
    message = schema.get('description') or 'is not valid under any of the given schemas'

    def step(value, path, problems):
        for option in options:
            found = Problems(limit=0)  # counts only
            option(value, None, found)
            if not found:
                return None
        return message
    return step
