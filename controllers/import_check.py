"""Checking an uploaded import whole: the schema's problems and the rules' (repeated ids, dates,
relatives) found in one pass, so a file is refused once with everything to fix in it.

A refusal keeps the error shape of every edge (`fields` by JSON path, `more`) and adds
`problems`: the same findings as a list that names each citizen by its `citizen_id` and the
field in plain words, as the Analyzer's upload page shows them. The list is made from the
bounded `fields` (at most `problems.LIMIT`), so it costs nothing more for a large upload.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from controllers.citizen_rules import FIELDS, FITS, INT32_MAX, import_problems
from controllers.errors import Invalid
from controllers.validation import compiled, unstorable_strings
from lib.utils.problems import LIMIT, Problems, summary

# `citizens.12`, `citizens.12.gender`, `citizens.12.relatives.3`
PATH = re.compile(r'^citizens\.(\d+)(?:\.([^.]+))?(?:\.(\d+))?$')
# The schema's messages that quote the value they refuse: `'other' is not one of [...]`.
QUOTING = re.compile(r'^(.*) (?:is not of type|is not one of|is less than the minimum|'
                     r'is greater than the maximum|has non-unique elements)\b')
SCHEMA_WORDS = ('is not of type', 'is not one of', 'is less than the minimum',
                'is greater than the maximum', 'should have', 'does not match', 'must be ')
REQUIRED = re.compile(r"'([^']+)' is a required property")
WHERE = re.compile(r'line (\d+) column (\d+)')  # in a JSON parser's message
REPEATED_ID = re.compile(r'^citizen_id (\d+) repeats ')
WHOLE_FILE = 'The file must be a JSON object holding a list of citizens: {"citizens": [...]}.'


def expected(field: str) -> str:
    """What the rule book asks of a citizen field, in words."""
    rule = FIELDS[field]
    if 'enum' in rule:
        return ' or '.join(f'"{option}"' for option in rule['enum'])
    if field == 'relatives':
        return 'a list of the citizen_id of each relative, each once'
    if rule.get('type') == 'integer':
        return f'a whole number from 0 to {INT32_MAX}'
    return rule.get('description') or f'a {rule.get("type", "value")}'


def check_import(schema: dict, read: Callable[..., Any]) -> Any:
    """The body `read(schema)` gives if it fits `schema` (`citizen_rules.IMPORT`) and the
    rules; else Invalid naming every problem found (the first LIMIT), with `problems`."""
    try:
        body = read(schema, label='citizen_id')
        problems = Problems()
        unstorable_strings(body, problems)
    except Invalid as refusal:  # not JSON, too deep, a large body of the wrong shape
        raise listed(refusal, None) from None
    quick, explain = compiled(schema)
    if problems or not quick(body):
        explain(body, problems)
    shaped = not problems  # the schema's problems come first
    citizens = body.get('citizens') if isinstance(body, dict) else None
    if isinstance(citizens, list) and not problems.full():
        import_problems(citizens, problems)
    if problems:
        what = 'import' if shaped else 'request body'
        raise listed(Invalid(summary(f'The {what} is not valid.', problems.more),
                             problems.fields, more=problems.more), citizens)
    return body


def listed(refusal: Invalid, citizens: list | None) -> Invalid:
    """`refusal` with its `problems` listed by citizen and field (`citizens`: the parsed list,
    when there is one, whose ids name the citizens)."""
    rows = []
    for name, message in refusal.fields.items():
        rows.extend(problem_rows(name, message, citizens, refusal.labels))
    if not rows:  # no field named: not JSON, an empty body
        rows.append({'citizen_id': None, 'position': None, 'field': None,
                     'message': plain_refusal(refusal.message)})
    rows.sort(key=lambda row: (row['position'] is not None, row['position'] or 0))
    refusal.problems = rows[:LIMIT]
    return refusal


def plain_refusal(message: str) -> str:
    """The message of a refusal of the whole body, without a parser's own words."""
    if 'not valid JSON' in message:
        where = WHERE.search(message)
        near = f' (near line {where[1]}, column {where[2]})' if where else ''
        return f'The file is not valid JSON{near}: check that it was saved as JSON, whole.'
    if 'UTF-8' in message:
        return 'The file is not UTF-8 text: save it as UTF-8.'
    if 'empty' in message:
        return 'The file is empty.'
    return message


def problem_rows(name: str, message: str, citizens: list | None,
                 labels: dict[str, int]) -> list[dict]:
    """The problems one entry of `fields` stands for, each naming its citizen and field (by
    the parsed `citizens`, else the `labels` a walk of the unparsed body found)."""
    found = PATH.match(name)
    if not found:
        return [{'citizen_id': None, 'position': None, 'field': None, 'message': WHOLE_FILE
                 if name in ('body', 'citizens') else f'{name}: {message}'}]
    position, field, item = int(found[1]), found[2], found[3]
    citizen_id = citizen_id_at(citizens, position)
    if citizens is None:
        citizen_id = labels.get(f'citizens.{position}')
        citizen_id = citizen_id if FITS['citizen_id'](citizen_id) else None
    row = {'citizen_id': citizen_id, 'position': position}
    if field is None:  # the citizen as a whole
        missing = REQUIRED.findall(message)
        if missing:
            return [{**row, 'field': each, 'message': 'is missing'} for each in missing]
        if message.startswith('missing field(s): '):  # the walk of a large body
            return [{**row, 'field': each.strip(), 'message': 'is missing'}
                    for each in message.removeprefix('missing field(s): ').split(',')]
        if message.startswith('unexpected field(s): '):
            return [{**row, 'field': None, 'message': 'has fields a citizen does not have: '
                     + message.removeprefix('unexpected field(s): ')}]
        return [{**row, 'field': None, 'message': 'must be an object of citizen fields'}]
    return [{**row, 'field': field, 'message': plain(field, message, item is not None)}]


def plain(field: str, message: str, item: bool) -> str:
    """A field's problem in plain words: what the field must be, and what it was."""
    if field not in FIELDS:
        return message
    if 'has non-unique elements' in message:
        return 'names the same relative more than once'
    repeated = REPEATED_ID.match(message)
    if repeated:
        return f'another citizen has citizen_id {repeated[1]} too'
    if message.endswith(' is not before today'):
        return f'{message.removesuffix(" is not before today")} is not in the past'
    if not any(words in message for words in SCHEMA_WORDS) and message != FIELDS[field].get(
            'description'):
        return message  # a rule's own words: dates, relatives
    quoted = QUOTING.match(message)
    was = quoted[1] if quoted else message.split(', not ', 1)[1] if ', not ' in message else ''
    wanted = f'a citizen_id, a whole number from 0 to {INT32_MAX}' if item else expected(field)
    subject = 'each relative must be' if item else 'must be'
    return f'{subject} {wanted}, not {was}' if was else f'{subject} {wanted}'


def citizen_id_at(citizens: list | None, position: int) -> int | None:
    """The `citizen_id` of the citizen at `position`, when it has a valid one."""
    if citizens is None or position >= len(citizens) or not isinstance(citizens[position], dict):
        return None
    citizen_id = citizens[position].get('citizen_id')
    return int(citizen_id) if FITS['citizen_id'](citizen_id) else None
