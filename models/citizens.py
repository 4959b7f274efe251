"""The Analyzer's store: imports, their citizens, and relations kept in both directions."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from operator import itemgetter

import peewee

from lib.utils.datekit import utcnow
from models.db import BaseModel, database, is_postgres

CHUNK = 1000


class CitizenImport(BaseModel):
    """One upload of citizens; `citizens` counts them."""

    created = peewee.DateTimeField(default=utcnow)
    citizens = peewee.IntegerField()

    class Meta:
        table_name = 'imports'


class Citizen(BaseModel):
    """A citizen of one import, known by `citizen_id` within it."""

    import_id = peewee.IntegerField()
    citizen_id = peewee.IntegerField()
    town = peewee.TextField()  # sizes of input columns: see models/db.py
    street = peewee.TextField()
    building = peewee.TextField()
    apartment = peewee.IntegerField()
    name = peewee.TextField()
    birth_date = peewee.DateField()
    gender = peewee.TextField()

    class Meta:
        table_name = 'citizens'
        primary_key = peewee.CompositeKey('import_id', 'citizen_id')


class Relative(BaseModel):
    """`relative_id` is a relative of `citizen_id`; the reverse row always exists too."""

    import_id = peewee.IntegerField()
    citizen_id = peewee.IntegerField()
    relative_id = peewee.IntegerField()

    class Meta:
        table_name = 'relatives'
        primary_key = peewee.CompositeKey('import_id', 'citizen_id', 'relative_id')


CITIZEN_FIELDS = tuple(field.name for field in Citizen._meta.sorted_fields
                       if field.name != 'import_id')
RELATIVE_FIELDS = ('import_id', 'citizen_id', 'relative_id')


def create_import(count: int) -> int:
    """A new import of `count` citizens; its id."""
    return CitizenImport.create(citizens=count).id


def import_exists(import_id: int) -> bool:
    return CitizenImport.select().where(CitizenImport.id == import_id).exists()


def imports() -> list[dict]:
    """Every import (`{"id", "citizens", "created"}`), newest first."""
    return list(CitizenImport.select(CitizenImport.id, CitizenImport.citizens,
                                     CitizenImport.created)
                .order_by(CitizenImport.id.desc()).dicts())


def insert_citizens(import_id: int, citizens: Iterable[dict],
                    progress: Callable[[int], None] | None = None) -> None:
    """Write citizens (dicts of `CITIZEN_FIELDS`, typed) into the import; `progress(n)` is
    told of every chunk of `n` written."""
    values = itemgetter(*CITIZEN_FIELDS)
    bulk_insert(Citizen, ('import_id', *CITIZEN_FIELDS),
                ((import_id, *values(citizen)) for citizen in citizens), progress)


def insert_relatives(import_id: int, relations: Iterable[dict]) -> None:
    """Write relations `{"citizen_id", "relative_id"}` as given (each direction its own)."""
    bulk_insert(Relative, RELATIVE_FIELDS, ((import_id, relation['citizen_id'],
                                             relation['relative_id']) for relation in relations))


def update_citizen(import_id: int, citizen_id: int, values: dict) -> None:
    """Change fields (`CITIZEN_FIELDS` names, typed) of one citizen."""
    Citizen.update(values).where((Citizen.import_id == import_id)
                                 & (Citizen.citizen_id == citizen_id)).execute()


def citizen(import_id: int, citizen_id: int) -> dict:
    """The `CITIZEN_FIELDS` of one citizen, who must exist."""
    return (Citizen.select(*(getattr(Citizen, name) for name in CITIZEN_FIELDS))
            .where((Citizen.import_id == import_id) & (Citizen.citizen_id == citizen_id))
            .dicts().get())


def bulk_insert(model: type[BaseModel], fields: Sequence[str], rows: Iterable[tuple],
                progress: Callable[[int], None] | None = None) -> None:
    """Insert rows (tuples of the values of `fields`, in that order) quickly: COPY on
    PostgreSQL, batched statements on SQLite. `progress(n)` is told of every chunk of `n` rows
    written."""
    columns = [model._meta.fields[name].column_name for name in fields]
    table = model._meta.table_name
    if is_postgres():
        with database.cursor() as cursor, cursor.copy(
                f'COPY {table} ({", ".join(columns)}) FROM STDIN') as copy:
            for chunk in chunks(rows):
                for row in chunk:
                    copy.write_row(row)
                if progress:
                    progress(len(chunk))
        return
    statement = f'INSERT INTO {table} ({", ".join(columns)}) VALUES ' \
                f'({", ".join("?" * len(columns))})'
    cursor = database.cursor()
    for chunk in chunks(rows):
        cursor.executemany(statement, [[value.isoformat() if type(value) is dt.date else value
                                        for value in row] for row in chunk])
        if progress:
            progress(len(chunk))


def chunks(items: Iterable) -> Iterator[list]:
    """Lists of up to CHUNK items: bounded statements, whatever the input's size."""
    items = iter(items)
    while chunk := list(islice(items, CHUNK)):
        yield chunk


def analyze() -> None:
    """Refresh PostgreSQL's planner statistics after a large import."""
    if is_postgres():
        database.execute_sql('ANALYZE citizens, relatives')


def lock_citizens(import_id: int, citizen_ids: Iterable[int]) -> set[int]:
    """Lock these citizens' rows (PostgreSQL), in id order so that no two writers deadlock;
    return the ids that exist."""
    found = set()
    for chunk in chunks(sorted(citizen_ids)):
        query = (Citizen.select(Citizen.citizen_id)
                 .where((Citizen.import_id == import_id) & Citizen.citizen_id.in_(chunk))
                 .order_by(Citizen.citizen_id))
        if is_postgres():
            query = query.for_update()
        found.update(citizen_id for (citizen_id,) in query.tuples())
    return found


def relatives_of(import_id: int, citizen_id: int) -> set[int]:
    query = Relative.select(Relative.relative_id).where(
        (Relative.import_id == import_id) & (Relative.citizen_id == citizen_id))
    return {relative_id for (relative_id,) in query.tuples()}


def relate(import_id: int, citizen_id: int, relative_ids: Iterable[int]) -> None:
    """Make each of `relative_ids` a relative of `citizen_id`, both ways."""
    bulk_insert(Relative, RELATIVE_FIELDS, (row for relative_id in relative_ids for row in (
        (import_id, citizen_id, relative_id), (import_id, relative_id, citizen_id))))


def unrelate(import_id: int, citizen_id: int, relative_ids: Iterable[int]) -> None:
    """Remove each of `relative_ids` from the relatives of `citizen_id`, both ways."""
    for chunk in chunks(relative_ids):
        Relative.delete().where((Relative.import_id == import_id) & (
            ((Relative.citizen_id == citizen_id) & Relative.relative_id.in_(chunk))
            | ((Relative.relative_id == citizen_id) & Relative.citizen_id.in_(chunk))
        )).execute()


def citizens_with_relatives(import_id: int) -> Iterator[dict]:
    """The `CITIZEN_FIELDS` and a `relative_id` (or None) per relation, by citizen_id then
    relative_id: one statement, so one consistent snapshot."""
    return (Citizen.select(*(getattr(Citizen, name) for name in CITIZEN_FIELDS),
                           Relative.relative_id)
            .join(Relative, peewee.JOIN.LEFT_OUTER, on=(
                (Relative.import_id == Citizen.import_id)
                & (Relative.citizen_id == Citizen.citizen_id)))
            .where(Citizen.import_id == import_id)
            .order_by(Citizen.citizen_id, Relative.relative_id)
            .dicts().iterator())


def relatives_birth_dates(import_id: int) -> dict[int, list[dt.date]]:
    """The birth dates of each citizen's relatives, by citizen_id, for an import."""
    query = (Relative.select(Relative.citizen_id, Citizen.birth_date)
             .join(Citizen, on=((Citizen.import_id == Relative.import_id)
                                & (Citizen.citizen_id == Relative.relative_id)))
             .where(Relative.import_id == import_id))
    return grouped(query)


def age_counts_by_town(import_id: int, now: dt.date) -> dict[str, list[tuple[int, int]]]:
    """How many of an import's citizens are of each age in whole years on `now`, as
    `(age, count)` pairs by ascending age, by town: a few hundred rows, not one per citizen."""
    age = (peewee.Value(now.year) - born_year()
           - peewee.Case(None, [(birthday_to_come(now), 1)], 0))
    # Grouped by position: PostgreSQL would not match `age`, parameters and all, to the SELECT's.
    # Age first: SQLite sorts the rows to group them, and integers compare faster than text.
    query = (Citizen.select(Citizen.town, age, peewee.fn.COUNT(peewee.SQL('*')))
             .where(Citizen.import_id == import_id)
             .group_by(peewee.SQL('2'), peewee.SQL('1')))
    counts = defaultdict(list)
    for town, years, count in sorted(database.execute(query)):
        counts[town].append((years, count))
    return counts


def born_year() -> peewee.Node:
    """The year of `birth_date` as an integer: a date on PostgreSQL; on SQLite, ISO text whose
    cast to INTEGER takes the leading digits, the year."""
    if is_postgres():
        return peewee.fn.date_part('year', Citizen.birth_date).cast('integer')
    return Citizen.birth_date.cast('integer')


def birthday_to_come(now: dt.date) -> peewee.Node:
    """Whether the month and day of `birth_date` come after those of `now`."""
    if is_postgres():  # against that day of the birth year: cheaper than taking the date apart
        if (now.month, now.day) == (2, 29):  # not a day of most years: "from 1 March" instead
            return Citizen.birth_date >= peewee.fn.make_date(born_year(), 3, 1)
        return Citizen.birth_date > peewee.fn.make_date(born_year(), now.month, now.day)
    return peewee.fn.substr(Citizen.birth_date, 6) > f'{now.month:02}-{now.day:02}'


def grouped(query: peewee.Select) -> dict:
    """The second column of a two-column query's rows, listed by the first."""
    groups = defaultdict(list)
    for key, value in query.tuples().iterator():
        groups[key].append(value)
    return groups
