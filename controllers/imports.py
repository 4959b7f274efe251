"""Imports of citizens: storing one atomically, editing a citizen, listing what is stored."""
from __future__ import annotations

from collections.abc import Callable, Iterable

from controllers import citizen_rules as rules
from controllers.errors import Invalid, NotFound
from lib.utils.datekit import isoformat
from lib.utils.problems import summary
from models import citizens as store
from models.db import transaction

ANALYZE_AFTER = 1000  # citizens; PostgreSQL plans the reports from fresh statistics
FIELDS = ('citizen_id', 'town', 'street', 'building', 'apartment', 'name', 'birth_date',
          'gender')


class ImportController:
    """Stores imports of citizens (validated by `citizen_rules`) and edits single citizens."""

    def create(self, citizens: list[dict], progress: Callable[[int], None] | None = None,
               judged: bool = False) -> dict:
        """Store citizens that fit `citizen_rules.CITIZEN` as a new import, all or nothing;
        `progress(n)` hears of every `n` citizens written. `judged`: the rules were already
        applied to them (`import_check.check_import`), which a second pass would only repeat."""
        problems = None if judged else rules.import_problems(citizens)
        if problems:
            raise Invalid(summary('The import is not valid.', problems.more), problems.fields,
                          more=problems.more)
        with transaction():
            import_id = store.create_import(len(citizens))
            store.insert_citizens(import_id, citizen_rows(citizens), progress)
            store.insert_relatives(import_id, (
                {'citizen_id': int(citizen['citizen_id']), 'relative_id': int(relative)}
                for citizen in citizens for relative in citizen['relatives']))
        if len(citizens) >= ANALYZE_AFTER:
            store.analyze()
        return {'import_id': import_id}

    def patch(self, import_id: int, citizen_id: int, changes: dict) -> dict:
        """Change fields of one citizen (changes fit `citizen_rules.CHANGES`); new relatives
        gain this citizen, former ones lose it. Returns the citizen as now stored."""
        require_import(import_id)
        require_id(citizen_id, f'No citizen {citizen_id} in import {import_id}.')
        wanted = {int(relative) for relative in changes.get('relatives', ())}
        involved = {citizen_id} | wanted
        if 'relatives' in changes:
            involved |= store.relatives_of(import_id, citizen_id)
        while True:  # lock every citizen whose relatives change; retry if that set grew
            with transaction():
                found = store.lock_citizens(import_id, involved)
                if citizen_id not in found:
                    raise NotFound(f'No citizen {citizen_id} in import {import_id}.')
                problems = rules.changes_problems(citizen_id, changes, found)
                if problems:
                    raise Invalid('The changes are not valid.', problems)
                current = store.relatives_of(import_id, citizen_id)
                if 'relatives' not in changes or current <= involved:
                    self._apply(import_id, citizen_id, changes, current, wanted)
                    return self._citizen(import_id, citizen_id)
            involved |= current

    def _apply(self, import_id: int, citizen_id: int, changes: dict, current: set[int],
               wanted: set[int]) -> None:
        values = {name: value for name, value in changes.items() if name != 'relatives'}
        if 'birth_date' in values:
            values['birth_date'] = rules.parse_birth_date(values['birth_date'])
        if 'apartment' in values:
            values['apartment'] = int(values['apartment'])
        if values:
            store.update_citizen(import_id, citizen_id, values)
        if 'relatives' in changes:
            store.unrelate(import_id, citizen_id, current - wanted)
            store.relate(import_id, citizen_id, wanted - current)

    def _citizen(self, import_id: int, citizen_id: int) -> dict:
        row = store.citizen(import_id, citizen_id)
        return {**{name: row[name] for name in FIELDS},
                'birth_date': rules.format_birth_date(row['birth_date']),
                'relatives': sorted(store.relatives_of(import_id, citizen_id))}

    def citizens(self, import_id: int) -> list[dict]:
        """Every citizen of the import, by citizen_id, each with sorted relatives."""
        require_import(import_id)
        people: list[dict] = []
        for row in store.citizens_with_relatives(import_id):
            if not people or people[-1]['citizen_id'] != row['citizen_id']:
                people.append(as_citizen(row))
            if row['relative_id'] is not None:
                people[-1]['relatives'].append(row['relative_id'])
        return people

    def imports(self) -> list[dict]:
        """Every import, newest first."""
        return [{'import_id': record['id'], 'citizens': record['citizens'],
                 'created': isoformat(record['created'])}
                for record in store.imports()]


def as_citizen(row: dict) -> dict:
    """A citizen as the API shows it, without relatives yet, from a stored row."""
    citizen = {name: row[name] for name in FIELDS}
    citizen['birth_date'] = rules.format_birth_date(citizen['birth_date'])
    citizen['relatives'] = []
    return citizen


def citizen_rows(citizens: Iterable[dict]) -> Iterable[dict]:
    """The stored fields of citizens as the API takes them, typed."""
    for citizen in citizens:
        yield {'citizen_id': int(citizen['citizen_id']), 'town': citizen['town'],
               'street': citizen['street'], 'building': citizen['building'],
               'apartment': int(citizen['apartment']), 'name': citizen['name'],
               'birth_date': rules.parse_birth_date(citizen['birth_date']),
               'gender': citizen['gender']}


def require_id(value: int, message: str) -> None:
    if not 0 <= value <= rules.INT32_MAX:
        raise NotFound(message)


def require_import(import_id: int) -> None:
    """Raise NotFound unless the import exists."""
    message = f'No import {import_id}.'
    require_id(import_id, message)
    if not store.import_exists(import_id):
        raise NotFound(message)
