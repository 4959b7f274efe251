"""Random, valid imports of citizens for the Analyzer's benchmark and tests."""
from __future__ import annotations

import datetime as dt
import random

TOWNS = ('Москва', 'Санкт-Петербург', 'Казань', 'Новосибирск', 'Екатеринбург', 'Омск',
         'Самара', 'Ростов-на-Дону', 'Уфа', 'Пермь', 'Воронеж', 'Волгоград', 'Тверь', 'Керчь')
STREETS = ('Ленина', 'Мира', 'Садовая', 'Лесная', 'Школьная', 'Новая', 'Полевая', 'Речная')
NAMES = ('Иван', 'Мария', 'Пётр', 'Анна', 'Сергей', 'Ольга', 'Дмитрий', 'Елена', 'Алексей')
SURNAMES = ('Иванов', 'Петров', 'Смирнов', 'Кузнецов', 'Попов', 'Соколов', 'Лебедев')
FIRST_DAY = dt.date(1930, 1, 1).toordinal()
LAST_DAY = dt.date(2020, 12, 31).toordinal()


def make_import(citizens: int = 10_000, relations: int = 1_000, seed: int | None = None) -> dict:
    """An import body: `citizens` people with `relations` distinct two-way relations."""
    rng = random.Random(seed)
    people = [make_citizen(rng, citizen_id) for citizen_id in range(1, citizens + 1)]
    pairs = set()
    while len(pairs) < min(relations, citizens * (citizens - 1) // 2):
        one, other = rng.sample(range(citizens), 2)
        pairs.add((min(one, other), max(one, other)))
    for one, other in pairs:
        people[one]['relatives'].append(people[other]['citizen_id'])
        people[other]['relatives'].append(people[one]['citizen_id'])
    return {'citizens': people}


def make_citizen(rng: random.Random, citizen_id: int) -> dict:
    born = dt.date.fromordinal(rng.randint(FIRST_DAY, LAST_DAY))
    return {
        'citizen_id': citizen_id,
        'town': rng.choice(TOWNS),
        'street': rng.choice(STREETS),
        'building': f'{rng.randint(1, 200)}к{rng.randint(1, 9)}стр{rng.randint(1, 5)}',
        'apartment': rng.randint(1, 500),
        'name': f'{rng.choice(SURNAMES)} {rng.choice(NAMES)}',
        'birth_date': born.strftime('%d.%m.%Y'),
        'gender': rng.choice(('male', 'female')),
        'relatives': [],
    }
