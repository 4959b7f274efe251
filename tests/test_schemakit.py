"""The quick schema check never accepts what jsonschema refuses, and accepts valid citizens; the
explainer that says why finds a problem exactly when jsonschema does."""
import random

import pytest
from jsonschema import Draft202012Validator

from controllers.citizen_rules import CHANGES, CITIZEN, IMPORT
from controllers.micropost_rules import TOKEN_REQUEST
from lib.utils.problems import Problems
from lib.utils.schemaexplain import compile_explainer
from lib.utils.schemakit import Unsupported, compile_check
from tests.harness.citizens import make_import

POOL = [None, True, False, 0, -1, 1, 1.0, 1.5, 2**31 - 1, 2**31, '', ' ', 'a', '1', '_',
        '01.01.2000', '31.02.2000', '1.1.2000', '01.01.2000\n', 'male', 'female', 'Male',
        [], [1], [2, 3], [1, 1], [1, 1.0], [1, True], [True], ['1'], [None], [-1], {}, {'a': 1},
        'ж' * 256, 'ж' * 257]
OTHER_SCHEMAS = [
    {'type': ['string', 'null'], 'maxLength': 3},
    {'type': 'object', 'minProperties': 2, 'maxProperties': 3},
    {'type': 'array', 'minItems': 1, 'maxItems': 2, 'items': {'type': 'number', 'minimum': 0}},
    {'enum': ['a', 'b']},
    {'uniqueItems': True},
    {'minimum': 1, 'description': 'no type: other kinds pass'},
    {'type': 'object', 'additionalProperties': True, 'required': ['a'],
     'properties': {'a': {'type': 'boolean'}}},
]


def mutated(rng: random.Random, citizen: dict) -> dict:
    citizen = dict(citizen)
    for _ in range(rng.randint(1, 3)):
        action = rng.random()
        if action < 0.7:
            citizen[rng.choice(sorted(citizen) or ['x'])] = rng.choice(POOL)
        elif action < 0.85 and citizen:
            del citizen[rng.choice(sorted(citizen))]
        else:
            citizen[rng.choice(['extra', 'age'])] = rng.choice(POOL)
    return citizen


@pytest.mark.parametrize('schema', [CITIZEN, CHANGES], ids=['citizen', 'changes'])
def test_quick_check_never_accepts_what_jsonschema_refuses(schema):
    rng = random.Random(4)
    quick, full = compile_check(schema), Draft202012Validator(schema)
    citizens = make_import(200, 50, seed=4)['citizens']
    if schema is CHANGES:
        citizens = [{name: value for name, value in citizen.items()
                     if name != 'citizen_id' and rng.random() < 0.5} for citizen in citizens]
    accepted = 0
    for _ in range(5000):
        value = mutated(rng, rng.choice(citizens))
        if quick(value):
            accepted += 1
            assert full.is_valid(value), value
    assert accepted > 100, 'some mutations are still valid and pass the quick check'


@pytest.mark.parametrize('schema', OTHER_SCHEMAS)
def test_quick_check_agrees_with_jsonschema_on_plain_values(schema):
    quick, full = compile_check(schema), Draft202012Validator(schema)
    values = POOL + [{'a': True}, {'a': 1}, {'a': True, 'b': 2}, {'a': 1, 'b': 2, 'c': 3, 'd': 4},
                     [0.5], [0.5, 2, 3], [-1], ['x', 'x'], ['x', 'y']]
    for value in values:
        if quick(value):
            assert full.is_valid(value), value


def test_quick_check_accepts_valid_imports():
    body = make_import(2000, 500, seed=5)
    assert compile_check(IMPORT)(body) is True
    assert Draft202012Validator(IMPORT).is_valid(body)


def test_integral_float_is_left_to_jsonschema():
    quick = compile_check({'type': 'integer'})
    assert quick(1) and not quick(True) and not quick(1.0)
    assert Draft202012Validator({'type': 'integer'}).is_valid(1.0)


@pytest.mark.parametrize('schema', [
    {'$ref': '#/x'}, {'oneOf': [{'type': 'string'}]}, {'enum': [1, 2]},
    {'type': 'object', 'additionalProperties': {'type': 'string'}},
    {'type': 'array', 'items': {'anyOf': []}},
])
def test_unknown_keywords_are_refused(schema):
    with pytest.raises(Unsupported):
        compile_check(schema)


EXPLAINED = [CITIZEN, CHANGES, *OTHER_SCHEMAS, TOKEN_REQUEST]


@pytest.mark.parametrize('schema', EXPLAINED)
def test_explainer_finds_a_problem_exactly_when_jsonschema_does(schema):
    rng = random.Random(7)
    explain, full = compile_explainer(schema), Draft202012Validator(schema)
    citizens = make_import(100, 30, seed=7)['citizens']
    values = POOL + [mutated(rng, rng.choice(citizens)) for _ in range(2000)] + [
        {'grant_type': 'password', 'username': 'a', 'password': 'b'},
        {'grant_type': 'other', 'username': 'a', 'password': 'b'},
        {'client_id': 'a', 'client_secret': 'b'}, {'client_id': 'a'}, [1, 1.0], [1, True]]
    for value in values:
        problems = Problems()
        explain(value, problems)
        assert (not problems) == full.is_valid(value), (value, problems.fields)


def test_explainer_names_one_problem_per_field_and_counts_past_the_limit():
    problems = Problems(limit=3)
    compile_explainer(IMPORT)({'citizens': [{}] * 5 + [{**citizen, 'town': ''}
                                                       for citizen in make_import(2)['citizens']]},
                              problems)
    assert list(problems.fields) == ['citizens.0', 'citizens.1', 'citizens.2']
    assert problems.more == 4 and len(problems) == 7
