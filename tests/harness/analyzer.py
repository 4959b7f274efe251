"""Helpers for the Analyzer's tests: a small import, row counts, the symmetry check."""
from __future__ import annotations

import copy

from models.citizens import Citizen, CitizenImport, Relative

SAMPLE = [
    {'citizen_id': 1, 'town': 'Москва', 'street': 'Льва Толстого', 'building': '16к7стр5',
     'apartment': 7, 'name': 'Иванов Иван Иванович', 'birth_date': '26.12.1986',
     'gender': 'male', 'relatives': [2]},
    {'citizen_id': 2, 'town': 'Москва', 'street': 'Льва Толстого', 'building': '16к7стр5',
     'apartment': 7, 'name': 'Иванов Сергей Иванович', 'birth_date': '01.04.1997',
     'gender': 'male', 'relatives': [1]},
    {'citizen_id': 3, 'town': 'Керчь', 'street': 'Иосифа Бродского', 'building': '2',
     'apartment': 2, 'name': 'Романова Мария Леонидовна', 'birth_date': '23.11.1986',
     'gender': 'female', 'relatives': []},
]


def sample() -> list[dict]:
    """Three citizens: 1 and 2 are relatives, 3 has none."""
    return copy.deepcopy(SAMPLE)


def post_import(app, citizens: list[dict]) -> int:
    return app.post_json('/imports', {'citizens': citizens}, status=201).json['data']['import_id']


def stored_rows() -> tuple[int, int, int]:
    """How many imports, citizens and relations rows the database holds."""
    return CitizenImport.select().count(), Citizen.select().count(), Relative.select().count()


def relations(citizens: list[dict]) -> set[tuple[int, int]]:
    return {(citizen['citizen_id'], relative)
            for citizen in citizens for relative in citizen['relatives']}


def assert_symmetric(citizens: list[dict]) -> None:
    pairs = relations(citizens)
    one_way = {pair for pair in pairs if pair[::-1] not in pairs}
    assert not one_way, f'one-way relations: {sorted(one_way)}'
