"""A quick yes/no JSON Schema check, compiled from the schema, for large valid bodies.

Full validation with jsonschema takes about a second for 10,000 citizens; this check takes
about 30 ms. It understands the common keywords only (`compile_check` refuses others) and
is never more lenient than jsonschema: when it says no, ask jsonschema, which also says why.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

Check = Callable[[Any], bool]
ANNOTATIONS = {'title', 'description', 'examples', 'default', 'format', 'deprecated',
               'readOnly', 'writeOnly', '$comment'}
OBJECT = {'properties', 'required', 'additionalProperties', 'minProperties', 'maxProperties'}
ARRAY = {'items', 'minItems', 'maxItems', 'uniqueItems'}
STRING = {'minLength', 'maxLength', 'pattern'}
NUMBER = {'minimum', 'maximum'}
TYPES = {'object': (dict,), 'array': (list,), 'string': (str,), 'integer': (int,),
         'number': (int, float), 'boolean': (bool,), 'null': (type(None),)}


class Unsupported(ValueError):
    """The schema uses a keyword this check does not understand."""


def compile_pattern(pattern: str) -> re.Pattern:
    """A JSON Schema `pattern` for `re.search`. A final `$` becomes `\\Z`: in ECMA-262, as
    JSON Schema reads it, `$` is the end of the text, while Python's also matches before a
    final line break ("alice\\n" would pass `^[a-z]+$`)."""
    if pattern.endswith('$') and not pattern.endswith('\\$'):
        pattern = pattern[:-1] + r'\Z'
    return re.compile(pattern)


def compile_check(schema: dict) -> Check:
    """A function telling whether a value fits `schema`; raises Unsupported when unsure."""
    unknown = set(schema) - ANNOTATIONS - OBJECT - ARRAY - STRING - NUMBER - {'type', 'enum'}
    if unknown:
        raise Unsupported(', '.join(sorted(unknown)))
    names = schema.get('type', list(TYPES))
    names = [names] if isinstance(names, str) else names
    if not set(names) <= TYPES.keys():
        raise Unsupported(f'type {names}')
    kinds = {python for name in names for python in TYPES[name]}  # a bool is not an integer
    options = schema.get('enum')
    if options is not None and not all(type(option) is str for option in options):
        raise Unsupported('enum of anything but strings')
    number = number_check(schema)
    by_type = {dict: object_check(schema), list: array_check(schema),
               str: string_check(schema), int: number, float: number}
    if len(kinds) == 1 and options is None:  # the common case, made quicker
        (only,) = kinds
        specific = by_type.get(only)
        if specific is None:
            return lambda value: type(value) is only
        return lambda value: type(value) is only and specific(value)

    def check(value: Any) -> bool:
        if type(value) not in kinds or options is not None and value not in options:
            return False
        specific = by_type.get(type(value))
        return specific is None or specific(value)
    return check


def object_check(schema: dict) -> Check | None:
    if not OBJECT & set(schema):
        return None
    extra = schema.get('additionalProperties', True)
    if extra not in (True, False):
        raise Unsupported('additionalProperties with a schema')
    properties = {name: compile_check(rule) for name, rule in
                  schema.get('properties', {}).items()}
    allowed = properties.keys()
    required = set(schema.get('required', ()))
    fewest, most = schema.get('minProperties', 0), schema.get('maxProperties', float('inf'))

    def check(value: dict) -> bool:
        keys = value.keys()
        if not fewest <= len(value) <= most or not required <= keys \
                or not extra and not keys <= allowed:
            return False
        for name, item in value.items():
            rule = properties.get(name)
            if rule is not None and not rule(item):
                return False
        return True
    return check


def array_check(schema: dict) -> Check | None:
    if not ARRAY & set(schema):
        return None
    item = compile_check(schema['items']) if 'items' in schema else None
    fewest, most = schema.get('minItems', 0), schema.get('maxItems', float('inf'))
    unique = schema.get('uniqueItems', False)

    def check(value: list) -> bool:
        if not fewest <= len(value) <= most:
            return False
        if unique and value and (any(type(each) not in (str, int) for each in value)
                                 or len(set(value)) != len(value)):
            return False
        if item is not None:
            for each in value:
                if not item(each):
                    return False
        return True
    return check


def string_check(schema: dict) -> Check | None:
    if not STRING & set(schema):
        return None
    fewest, most = schema.get('minLength', 0), schema.get('maxLength', float('inf'))
    search = compile_pattern(schema.get('pattern', '')).search
    return lambda value: fewest <= len(value) <= most and search(value) is not None


def number_check(schema: dict) -> Check | None:
    if not NUMBER & set(schema):
        return None
    lowest, highest = schema.get('minimum', float('-inf')), schema.get('maximum', float('inf'))
    return lambda value: lowest <= value <= highest
