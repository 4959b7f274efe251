"""A large body is walked against its schema's shape before anything of it is built: the walk
names where it departs, stops at a bound, and keeps almost nothing of what it reads."""
import io
import json
import tracemalloc

import pytest

from controllers.citizen_rules import IMPORT
from lib.utils.jsonshape import JSONError, TooDeep, shape_of, shape_problems
from tests.harness.analyzer import sample

SHAPE = shape_of(IMPORT)
MIB = 2**20


def repeated(item: bytes, size: int, before: bytes = b'{"citizens":[', after: bytes = b']}'):
    return before + b','.join([item] * ((size - len(before) - len(after)) // (len(item) + 1))) \
        + after


def walked(text: bytes) -> tuple[dict, int]:
    """The problems of a walk, and the most Python memory it held at once."""
    tracemalloc.start()
    try:
        problems = shape_problems(io.BytesIO(text), SHAPE, 100, 32)
        return problems, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_valid_import_has_no_problems():
    assert shape_problems(io.BytesIO(json.dumps({'citizens': sample()}).encode()), SHAPE, 100,
                          32) == {}


@pytest.mark.parametrize(('text', 'first', 'problem'), [
    (repeated(b'{}', 64 * MIB), 'citizens.0', 'missing field(s): apartment, birth_date'),
    (repeated(b'[]', 64 * MIB), 'citizens.0', 'must be an object, not an array'),
    (repeated(b'"ab"', 64 * MIB), 'citizens.0', 'must be an object, not a string'),
    (repeated(b'[]', 64 * MIB, b'{"citizens":[[', b']]}'), 'citizens.0', 'not an array'),
    (repeated(b'[]', 64 * MIB, b'{"citizens":[{"relatives":[', b']}]}'),
     'citizens.0.relatives.0', 'must be an integer, not an array'),
    (repeated(b'[]', 64 * MIB, b'{"citizens":[],"junk":[', b']}'), 'body',
     'unexpected field(s): junk'),
], ids=['empty-objects', 'arrays', 'strings', 'nested-arrays', 'arrays-as-relatives',
        'unknown-field'])
def test_64_mib_of_the_wrong_shape_is_refused_holding_one_read_of_events(text, first, problem):
    problems, peak = walked(text)
    assert 1 <= len(problems) <= 100
    name, message = next(iter(problems.items()))
    assert name == first and problem in message
    assert peak < 40 * MIB  # the events of one 512 KiB read of `[`, each ~66 bytes, at most


def test_problems_stop_at_the_limit():
    assert len(shape_problems(io.BytesIO(repeated(b'{}', MIB)), SHAPE, 7, 32)) == 7


@pytest.mark.parametrize('text', [
    b'[' * 33 + b']' * 33,
    b'{"citizens":' + b'[' * 32 * MIB + b']' * 32 * MIB + b'}',  # skipped as it is not a citizen
])
def test_nesting_deeper_than_the_limit_raises(text):
    with pytest.raises(TooDeep):
        shape_problems(io.BytesIO(text), shape_of({'type': 'object'}), 100, 32)


def test_nesting_to_the_limit_is_walked():
    assert shape_problems(io.BytesIO(b'[' * 32 + b']' * 32), shape_of({}), 100, 32) == {}


def test_text_that_is_not_json_raises():
    with pytest.raises(JSONError):
        shape_problems(io.BytesIO(b'{"citizens": [' + b'{}, ' * 10 + b'nope'), shape_of({}), 100,
                       32)
