"""The birthdays and age-percentile reports, checked against independent computations."""
import datetime as dt
import random
from collections import Counter, defaultdict

import numpy as np
import pytest

from controllers.reports import Tally, percentile
from tests.harness.analyzer import post_import, sample
from tests.harness.citizens import make_import

MONTHS = [str(month) for month in range(1, 13)]


def born(citizen: dict) -> dt.date:
    return dt.datetime.strptime(citizen['birth_date'], '%d.%m.%Y').date()


def expected_birthdays(citizens: list[dict]) -> dict:
    by_id = {citizen['citizen_id']: citizen for citizen in citizens}
    presents = Counter()
    for citizen in citizens:
        for relative in citizen['relatives']:
            presents[born(by_id[relative]).month, citizen['citizen_id']] += 1
    return {month: [{'citizen_id': citizen_id, 'presents': presents[int(month), citizen_id]}
                    for citizen_id in sorted(by_id) if presents[int(month), citizen_id]]
            for month in MONTHS}


def expected_percentiles(citizens: list[dict], today: dt.date | None = None) -> list[dict]:
    today = today or dt.datetime.now(dt.UTC).date()
    ages = defaultdict(list)
    for citizen in citizens:
        birthday_to_come = today.strftime('%m%d') < born(citizen).strftime('%m%d')
        ages[citizen['town']].append(today.year - born(citizen).year - birthday_to_come)
    return [{'town': town, **{f'p{p}': round(float(np.percentile(ages[town], p, method='linear')),
                                              2) for p in (50, 75, 99)}}
            for town in sorted(ages)]


def test_percentile_matches_numpy_linear_on_random_data():
    rng = random.Random(11)
    for _ in range(1500):
        values = [rng.randint(0, 110) for _ in range(rng.randint(1, 80))]
        if rng.random() < 0.3:
            values = [value + rng.random() for value in values]
        for percent in (50, 75, 99, 0, 100, rng.uniform(0, 100)):
            expected = float(np.percentile(values, percent, method='linear'))
            assert percentile(sorted(values), percent) == expected, (values, percent)


def test_percentile_of_a_tally_matches_numpy_on_its_values():
    rng = random.Random(15)
    for _ in range(500):
        counts = sorted({rng.randint(0, 110): rng.randint(1, 9)
                         for _ in range(rng.randint(1, 30))}.items())
        values = [value for value, count in counts for _ in range(count)]
        assert list(Tally(counts)) == values
        for percent in (50, 75, 99, 0, 100, rng.uniform(0, 100)):
            expected = float(np.percentile(values, percent, method='linear'))
            assert percentile(Tally(counts), percent) == expected, (counts, percent)


def test_birthdays_of_the_sample_name_who_buys_for_whom(app):
    import_id = post_import(app, sample())
    report = app.get(f'/imports/{import_id}/citizens/birthdays').json['data']
    assert report == {**{month: [] for month in MONTHS},
                      '4': [{'citizen_id': 1, 'presents': 1}],
                      '12': [{'citizen_id': 2, 'presents': 1}]}


def test_birthdays_match_an_independent_count_on_random_data(app):
    citizens = make_import(600, 500, seed=12)['citizens']
    for citizen in citizens[:40]:  # several relatives born the same month: presents above 1
        citizen['birth_date'] = '15.06.1980'
    import_id = post_import(app, citizens)
    report = app.get(f'/imports/{import_id}/citizens/birthdays').json['data']
    assert list(report) == MONTHS
    assert report == expected_birthdays(citizens)
    assert max(entry['presents'] for month in MONTHS for entry in report[month]) > 1


def test_birthdays_without_relatives_are_twelve_empty_months(app):
    import_id = post_import(app, [{**citizen, 'relatives': []} for citizen in sample()])
    assert app.get(f'/imports/{import_id}/citizens/birthdays').json == {
        'data': {month: [] for month in MONTHS}}


def test_age_percentiles_match_numpy_on_random_data(app):
    citizens = make_import(900, 10, seed=13)['citizens']
    import_id = post_import(app, citizens)
    report = app.get(f'/imports/{import_id}/towns/stat/percentile/age').json['data']
    assert report == expected_percentiles(citizens)
    assert any(row['p99'] != round(row['p99']) for row in report), 'interpolated values show'


@pytest.mark.parametrize(('shift', 'age'), [(0, 32), (-1, 32), (1, 31)])
def test_age_counts_whole_years_on_todays_utc_date(app, shift, age):
    day = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=shift)
    citizen = {**sample()[2], 'birth_date': day.replace(year=day.year - 32).strftime('%d.%m.%Y')}
    import_id = post_import(app, [citizen])
    report = app.get(f'/imports/{import_id}/towns/stat/percentile/age').json['data']
    assert report == [{'town': 'Керчь', 'p50': age, 'p75': age, 'p99': age}]


def test_reports_follow_a_patch(app):
    citizens = make_import(200, 150, seed=14)['citizens']
    import_id = post_import(app, citizens)
    changes = {'birth_date': '01.01.1950', 'town': 'Тверь', 'relatives': [2, 3, 4]}
    app.patch_json(f'/imports/{import_id}/citizens/1', changes)
    citizens = app.get(f'/imports/{import_id}/citizens').json['data']
    assert citizens[0] == {**citizens[0], **changes}
    assert app.get(f'/imports/{import_id}/citizens/birthdays').json['data'] == \
        expected_birthdays(citizens)
    assert app.get(f'/imports/{import_id}/towns/stat/percentile/age').json['data'] == \
        expected_percentiles(citizens)


@pytest.mark.parametrize('today', ['2027-02-28', '2027-03-01', '2028-02-28', '2028-02-29',
                                   '2026-12-31', '2027-01-01'])
def test_ages_around_leap_days_and_new_year(app, monkeypatch, today):
    births = ['29.02.2000', '28.02.2000', '01.03.2000', '31.12.1999', '01.01.2000',
              '29.02.1996', '01.03.1996', '28.02.1999', '01.03.1999']
    citizens = [{**sample()[2], 'citizen_id': number, 'birth_date': birth}
                for number, birth in enumerate(births, 1)]
    import_id = post_import(app, citizens)
    monkeypatch.setattr('controllers.reports.today', lambda: dt.date.fromisoformat(today))
    assert app.get(f'/imports/{import_id}/towns/stat/percentile/age').json['data'] == \
        expected_percentiles(citizens, dt.date.fromisoformat(today))
