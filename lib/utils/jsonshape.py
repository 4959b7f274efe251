"""Walk a JSON text against the shape of a schema as a stream of parse events, building nothing.

In Python, JSON values cost many times the text they are written in: `json.loads` of 64 MiB
of `{}`s takes 1.6 GB and half a minute. A large body is walked first: every container, key
or value whose kind the schema does not allow, and every object missing a required field, is a
problem, its contents skipped unbuilt; the walk stops at `limit` problems. Only a text of the
right shape is then parsed, so what it costs in memory is bounded by what the schema lets a
text of that size hold.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import BinaryIO

import ijson
from ijson import JSONError  # noqa: F401 - what shape_problems raises

EVENTS = {'object': 'start_map', 'array': 'start_array', 'string': 'string',
          'integer': 'number', 'number': 'number', 'boolean': 'boolean', 'null': 'null'}
ARTICLES = {'start_map': 'an object', 'start_array': 'an array', 'string': 'a string',
            'number': 'a number', 'boolean': 'a boolean', 'null': 'null'}
NAMES = {'object': 'an object', 'array': 'an array', 'string': 'a string', 'integer': 'an integer',
         'number': 'a number', 'boolean': 'a boolean', 'null': 'null'}
PAUSE_MASK = 2**14 - 1  # a pause every 16,384 items of an array lets other requests run
SKIP_BUDGET = 100_000  # events passed over unbuilt before the walk stops looking further
READ_BYTES = 2**19  # the parser's reads: it holds the events of one read, and scans a string
# again at each read it spans (64 MiB of one string: 1.6 s)


@dataclass
class Shape:
    """What a schema allows, as the walk asks it: the events a value may start with, and for
    containers the shapes of their fields or items."""

    events: frozenset[str]
    expected: str
    properties: dict[str, Shape] = field(default_factory=dict)
    required: frozenset[str] = frozenset()
    extra: Shape | None = None  # None: no field beyond `properties`
    items: Shape | None = None  # None only while ANYTHING is made


ANYTHING = Shape(frozenset(ARTICLES), 'anything')
ANYTHING.extra = ANYTHING.items = ANYTHING


def shape_of(schema: dict) -> Shape:
    """The shape of a JSON Schema's `type`, `properties`, `required`, `additionalProperties`
    and `items`; what else it says is left to the validator that runs after the walk."""
    if not isinstance(schema, dict) or not schema:
        return ANYTHING
    kinds = schema.get('type', list(EVENTS))
    kinds = [kinds] if isinstance(kinds, str) else kinds
    events = frozenset(EVENTS[kind] for kind in kinds)
    extra = schema.get('additionalProperties', True)
    return Shape(
        events, ' or '.join(NAMES[kind] for kind in kinds),
        {name: shape_of(rule) for name, rule in schema.get('properties', {}).items()},
        frozenset(schema.get('required', ())),
        None if extra is False else shape_of(extra), shape_of(schema.get('items')))


class ShapeWalk:
    """One walk of a text; `problems` by JSON path, and `labels`: by the path of each object,
    the integer of its field named `label` (an import's `citizen_id`), to name its problems."""

    def __init__(self, stream: BinaryIO, limit: int, max_depth: int, label: str = ''):
        self.limit, self.max_depth = limit, max_depth
        self.problems: dict[str, str] = {}
        self.label = label
        self.labels: dict[str, int] = {}
        self._events = ijson.basic_parse(stream, use_float=True, buf_size=READ_BYTES)
        self._skipped = 0

    def run(self, shape: Shape) -> dict[str, str]:
        try:
            event, _ = next(self._events)
            self._value(event, shape, ())
        except _Enough:
            pass
        return self.problems

    def _value(self, event: str, shape: Shape, path: tuple) -> None:
        if len(path) >= self.max_depth and event in ('start_map', 'start_array'):
            raise TooDeep(self.max_depth)
        if event not in shape.events:
            self._problem(path, f'must be {shape.expected}, not {ARTICLES[event]}')
            if event in ('start_map', 'start_array'):
                self._skip(len(path) + 1)
        elif event == 'start_map':
            self._object(shape, path)
        elif event == 'start_array':
            self._array(shape.items, path)

    def _object(self, shape: Shape, path: tuple) -> None:
        seen, unexpected = set(), []
        for _, key in self._events:
            if key is None:  # the end of the object
                missing = shape.required - seen
                if missing:
                    self._problem(path, f'missing field(s): {", ".join(sorted(missing))}')
                return
            seen.add(key)
            event, value = next(self._events)
            if key == self.label and event == 'number' and isinstance(value, int):
                self.labels['.'.join(map(str, path))] = value
            inner = shape.properties.get(key, shape.extra)
            if inner is not None:
                self._value(event, inner, (*path, key))
                continue
            if len(unexpected) < 10:
                unexpected.append(key[:100])
                self._problem(path, f'unexpected field(s): {", ".join(unexpected)}')
            if event in ('start_map', 'start_array'):
                self._skip(len(path) + 1)

    def _array(self, items: Shape, path: tuple) -> None:
        walk_into = items.events & {'start_map', 'start_array'}
        for index, (event, _) in enumerate(self._events):
            if index and not index & PAUSE_MASK:
                time.sleep(0)  # under gevent, a switch to the worker's other requests
            if event == 'end_array':
                return
            if event in walk_into or event not in items.events:
                self._value(event, items, (*path, index))

    def _skip(self, depth: int) -> None:
        """Pass over the rest of the container just opened at `depth`, building none of it."""
        opened = depth
        for event, _ in self._events:
            self._skipped += 1
            if self._skipped > SKIP_BUDGET:
                raise _Enough
            if event in ('start_map', 'start_array'):
                depth += 1
                if depth > self.max_depth:
                    raise TooDeep(self.max_depth)
            elif event in ('end_map', 'end_array'):
                depth -= 1
                if depth < opened:
                    return

    def _problem(self, path: tuple, message: str) -> None:
        self.problems['.'.join(map(str, path)) or 'body'] = message
        if len(self.problems) >= self.limit:
            raise _Enough


class TooDeep(ValueError):
    """Arrays and objects nest deeper than the walk's `max_depth`."""


class _Enough(Exception):
    """The walk has found as many problems as it reports, or passed over enough."""


def shape_problems(stream: BinaryIO, shape: Shape, limit: int, max_depth: int) -> dict[str, str]:
    """Where the JSON text read from `stream` departs from `shape`, at most `limit` places by
    JSON path, with arrays and objects nested at most `max_depth` deep (else TooDeep). Raises
    `JSONError` when the text is not JSON."""
    return ShapeWalk(stream, limit, max_depth).run(shape)


def shape_walk(stream: BinaryIO, shape: Shape, limit: int, max_depth: int,
               label: str) -> ShapeWalk:
    """`shape_problems`, keeping the walk: its `problems`, and the `labels` of the objects."""
    walk = ShapeWalk(stream, limit, max_depth, label)
    walk.run(shape)
    return walk
