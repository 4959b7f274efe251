"""The Analyzer's citizen rules: JSON Schemas (the one source for validation and OpenAPI), and
the checks a schema cannot express: real dates in the past and two-way relatives."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from controllers.validation import compiled
from lib.utils.problems import Problems

INT32_MAX = 2**31 - 1  # ids and apartments are stored as 32-bit integers
ID = {'type': 'integer', 'minimum': 0, 'maximum': INT32_MAX}
ADDRESS = {'type': 'string', 'minLength': 1, 'maxLength': 256, 'pattern': r'[^\W_]',
           'description': '1 to 256 characters with at least one letter or digit'}
FIELDS = {
    'citizen_id': ID,
    'town': ADDRESS,
    'street': ADDRESS,
    'building': ADDRESS,
    'apartment': ID,
    'name': {'type': 'string', 'minLength': 1, 'maxLength': 256, 'pattern': r'\S',
             'description': '1 to 256 characters, not only spaces'},
    'birth_date': {'type': 'string', 'maxLength': 10,
                   'pattern': r'^[0-9]{2}\.[0-9]{2}\.[0-9]{4}$',
                   'description': 'a date as DD.MM.YYYY', 'examples': ['17.04.1997']},
    'gender': {'type': 'string', 'enum': ['male', 'female']},
    'relatives': {'type': 'array', 'items': ID, 'uniqueItems': True,
                  'description': 'citizen_id of each relative in the same import'},
}
CITIZEN = {'type': 'object', 'required': list(FIELDS), 'additionalProperties': False,
           'properties': FIELDS}
IMPORT = {'type': 'object', 'required': ['citizens'], 'additionalProperties': False,
          'properties': {'citizens': {'type': 'array', 'items': CITIZEN}}}
CHANGES = {'type': 'object', 'minProperties': 1, 'additionalProperties': False,
           'properties': {name: rule for name, rule in FIELDS.items() if name != 'citizen_id'}}


def today() -> dt.date:
    """Today's date in UTC, the reference for birth dates and ages."""
    return dt.datetime.now(dt.UTC).date()


def parse_birth_date(text: str) -> dt.date:
    """The date of a `DD.MM.YYYY` string that fits the schema; ValueError if not a real date."""
    return dt.date(int(text[6:]), int(text[3:5]), int(text[:2]))


def format_birth_date(born: dt.date) -> str:
    return f'{born.day:02}.{born.month:02}.{born.year:04}'


def birth_date_problem(text: str, now: dt.date) -> str | None:
    try:
        born = parse_birth_date(text)
    except ValueError:
        return f'{text} is not a real date'
    return None if born < now else f'{text} is not before today'


def import_problems(citizens: list, problems: Problems | None = None) -> Problems:
    """What breaks the rules in citizens: repeated ids, dates, relatives. Only fields that fit
    their schema are judged (a field that does not is the schema's problem), so that one pass
    over a broken file finds these problems beside the schema's."""
    problems = Problems() if problems is None else problems
    now = today()
    position_of = {}
    judged = []  # (position, citizen_id, relatives) of citizens whose id and relatives fit
    for position, citizen in enumerate(citizens):
        if not isinstance(citizen, dict):
            continue
        citizen_id = citizen.get('citizen_id')
        if FITS['citizen_id'](citizen_id):
            if citizen_id in position_of:
                problems.add(f'citizens.{position}.citizen_id',
                             f'citizen_id {citizen_id} repeats citizens.{position_of[citizen_id]}')
            position_of.setdefault(citizen_id, position)
            if FITS['relatives'](citizen.get('relatives')):
                judged.append((position, citizen_id, citizen['relatives']))
        if FITS['birth_date'](citizen.get('birth_date')):
            problem = birth_date_problem(citizen['birth_date'], now)
            if problem:
                problems.add(f'citizens.{position}.birth_date', problem)
    pairs = {(citizen_id, relative) for _, citizen_id, relatives in judged
             for relative in relatives}
    listing = {citizen_id for _, citizen_id, _ in judged}  # whose relatives can be read
    for position, citizen_id, relatives in judged:
        for relative in relatives:
            problem = relative_problem(citizen_id, relative, position_of)
            if problem is None and relative in listing and (relative, citizen_id) not in pairs:
                problem = (f'{relative} is a relative of {citizen_id} but {citizen_id} '
                           f'is not among the relatives of {relative}')
            if problem:
                problems.add(f'citizens.{position}.relatives', problem)
                break
    return problems


def fits(schema: dict) -> Callable[[Any], bool]:
    """Whether a value fits `schema`: the quick check, else the explainer finds nothing (the
    quick check may refuse what the schema allows, such as 2.0 for an integer)."""
    quick, explain = compiled(schema)

    def check(value: Any) -> bool:
        if quick(value):
            return True
        found = Problems(limit=0)  # counts only
        explain(value, found)
        return not found
    return check


FITS = {name: fits(rule) for name, rule in FIELDS.items()}


def changes_problems(citizen_id: int, changes: dict, known: set[int]) -> dict[str, str]:
    """What breaks the rules in changes that fit CHANGES, given the import's citizen ids."""
    problems = {}
    if 'birth_date' in changes:
        problem = birth_date_problem(changes['birth_date'], today())
        if problem:
            problems['birth_date'] = problem
    for relative in changes.get('relatives', ()):
        problem = relative_problem(citizen_id, relative, known)
        if problem:
            problems['relatives'] = problem
            break
    return problems


def relative_problem(citizen_id: int, relative: int, known) -> str | None:
    if relative == citizen_id:
        return f'citizen {citizen_id} cannot be their own relative'
    if relative not in known:
        return f'no citizen {relative} in this import'
    return None
