"""Imports of citizens: storing one atomically, editing a citizen, listing what is stored."""
from __future__ import annotations

from collections.abc import Callable, Iterable

from controllers import citizen_rules as rules
from controllers.errors import Invalid, NotFound
from lib.utils.datekit import isoformat
from lib.utils.problems import summary
from models import citizens as store
from models.citizens import Citizen, CitizenImport, Relative
from models.db import database

ANALYZE_AFTER = 1000  # citizens; PostgreSQL plans the reports from fresh statistics
FIELDS = ('citizen_id', 'town', 'street', 'building', 'apartment', 'name', 'birth_date',
          'gender')


class ImportController:
    """Stores imports of citizens (validated by `citizen_rules`) and edits single citizens."""

    def create(self, citizens: list[dict], progress: Callable[[int], None] | None = None) -> dict:
        """Store citizens that fit `citizen_rules.CITIZEN` as a new import, all or nothing;
        `progress(n)` hears of every `n` citizens written."""
        problems = rules.import_problems(citizens)
        if problems:
            raise Invalid(summary('The import is not valid.', problems.more), problems.fields,
                          more=problems.more)
        with database.atomic():
            record = CitizenImport.create(citizens=len(citizens))
            store.bulk_insert(Citizen, citizen_rows(record.id, citizens), progress)
            store.bulk_insert(Relative, (
                (record.id, int(citizen['citizen_id']), int(relative))
                for citizen in citizens for relative in citizen['relatives']))
        if len(citizens) >= ANALYZE_AFTER:
            store.analyze()
        return {'import_id': record.id}

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
            with database.atomic():
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
            Citizen.update(values).where((Citizen.import_id == import_id)
                                         & (Citizen.citizen_id == citizen_id)).execute()
        if 'relatives' in changes:
            store.unrelate(import_id, citizen_id, current - wanted)
            store.relate(import_id, citizen_id, wanted - current)

    def _citizen(self, import_id: int, citizen_id: int) -> dict:
        row = Citizen.get((Citizen.import_id == import_id) & (Citizen.citizen_id == citizen_id))
        return {**{name: getattr(row, name) for name in FIELDS},
                'birth_date': rules.format_birth_date(row.birth_date),
                'relatives': sorted(store.relatives_of(import_id, citizen_id))}

    def citizens(self, import_id: int) -> list[dict]:
        """Every citizen of the import, by citizen_id, each with sorted relatives."""
        require_import(import_id)
        people: list[dict] = []
        for *columns, relative_id in store.citizens_with_relatives(import_id):
            if not people or people[-1]['citizen_id'] != columns[1]:  # after the import id
                people.append(as_citizen(columns))
            if relative_id is not None:
                people[-1]['relatives'].append(relative_id)
        return people

    def imports(self) -> list[dict]:
        """Every import, newest first."""
        return [{'import_id': record.id, 'citizens': record.citizens,
                 'created': isoformat(record.created)}
                for record in CitizenImport.select().order_by(CitizenImport.id.desc())]


def as_citizen(columns: list) -> dict:
    """A citizen dict from the columns of `Citizen`, in order, without the import id."""
    citizen = dict(zip(FIELDS, columns[1:], strict=True))
    citizen['birth_date'] = rules.format_birth_date(citizen['birth_date'])
    citizen['relatives'] = []
    return citizen


def citizen_rows(import_id: int, citizens: Iterable[dict]) -> Iterable[tuple]:
    """Rows for `Citizen`, in its field order."""
    for citizen in citizens:
        yield (import_id, int(citizen['citizen_id']), citizen['town'], citizen['street'],
               citizen['building'], int(citizen['apartment']), citizen['name'],
               rules.parse_birth_date(citizen['birth_date']), citizen['gender'])


def require_id(value: int, message: str) -> None:
    if not 0 <= value <= rules.INT32_MAX:
        raise NotFound(message)


def require_import(import_id: int) -> None:
    """Raise NotFound unless the import exists."""
    message = f'No import {import_id}.'
    require_id(import_id, message)
    if not CitizenImport.select().where(CitizenImport.id == import_id).exists():
        raise NotFound(message)
