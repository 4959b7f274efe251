"""POST /imports refuses every broken rule of the citizen table with a 400 naming the field,
and stores nothing; the edge values the rules allow are stored as given."""
import datetime as dt
import json

import pytest

from tests.harness.analyzer import post_import, sample, stored_rows

TOO_LONG = 'д' * 257
BROKEN = [  # (field, value, words expected in the message or None)
    ('citizen_id', -1, None), ('citizen_id', '3', None), ('citizen_id', True, None),
    ('citizen_id', None, None), ('citizen_id', 3.5, None), ('citizen_id', 2**31, None),
    ('town', '', None), ('town', '   ', 'letter or digit'), ('town', '-/-', 'letter or digit'),
    ('town', '___', 'letter or digit'), ('town', TOO_LONG, None), ('town', 7, None),
    ('town', None, None), ('street', '', None), ('street', ' , ', 'letter or digit'),
    ('street', TOO_LONG, None), ('building', '', None), ('building', '№', 'letter or digit'),
    ('building', TOO_LONG, None), ('building', ['2'], None),
    ('apartment', -1, None), ('apartment', '2', None), ('apartment', False, None),
    ('apartment', None, None), ('apartment', 2.5, None), ('apartment', 2**31, None),
    ('name', '', None), ('name', '    ', 'not only spaces'), ('name', '\t \n', 'not only spaces'),
    ('name', TOO_LONG, None), ('name', 5, None), ('name', None, None),
    *[('birth_date', day, 'not a real date') for day in (
        '31.02.2000', '29.02.2023', '29.02.1900', '00.01.2000', '01.13.2000', '01.01.0000',
        '31.04.2021')],
    ('birth_date', '2000-01-01', 'DD.MM.YYYY'), ('birth_date', '1.1.2000', 'DD.MM.YYYY'),
    ('birth_date', '01.01.2000\n', None), ('birth_date', '٠١.٠١.٢٠٠٠', 'DD.MM.YYYY'),
    ('birth_date', '01.01.9999', 'not before today'), ('birth_date', 1012000, None),
    ('birth_date', None, None),
    ('gender', 'Male', None), ('gender', 'other', None), ('gender', '', None),
    ('gender', None, None), ('gender', 1, None),
    ('relatives', '1', None), ('relatives', None, None), ('relatives', [None], None),
    ('relatives', ['1'], None), ('relatives', [True], None), ('relatives', [-1], None),
    ('relatives', [1.5], None), ('relatives', [3], 'own relative'),
    ('relatives', [9], 'no citizen 9'), ('relatives', [1], 'not among the relatives of 1'),
]


@pytest.mark.parametrize(('field', 'value', 'words'), BROKEN,
                         ids=[f'{field}={value!r:.20}' for field, value, _ in BROKEN])
def test_one_broken_field_is_400_naming_it_and_stores_nothing(app, field, value, words):
    citizens = sample()
    citizens[2][field] = value
    error = app.post_json('/imports', {'citizens': citizens}, status=400).json['error']
    assert error['code'] == 'invalid'
    (name, problem), = error['fields'].items()
    assert name.startswith(f'citizens.2.{field}')  # relatives.0 when an item is wrong
    if words:
        assert words in problem
    assert stored_rows() == (0, 0, 0)


def test_birth_date_today_or_tomorrow_is_400(app):
    today = dt.datetime.now(dt.UTC).date()
    for day in (today, today + dt.timedelta(days=1)):
        citizens = sample()
        citizens[2]['birth_date'] = day.strftime('%d.%m.%Y')
        fields = app.post_json('/imports', {'citizens': citizens}, status=400).json['error'][
            'fields']
        assert fields == {'citizens.2.birth_date': f'{citizens[2]["birth_date"]} is not before '
                                                   'today'}
    assert stored_rows() == (0, 0, 0)


@pytest.mark.parametrize('field', ['citizen_id', 'town', 'name', 'birth_date', 'relatives'])
def test_missing_field_is_400(app, field):
    citizens = sample()
    del citizens[2][field]
    fields = app.post_json('/imports', {'citizens': citizens}, status=400).json['error']['fields']
    assert fields == {'citizens.2': f"'{field}' is a required property"}
    assert stored_rows() == (0, 0, 0)


def test_extra_field_is_400_naming_it(app):
    citizens = sample()
    citizens[1]['age'] = 30
    fields = app.post_json('/imports', {'citizens': citizens}, status=400).json['error']['fields']
    assert fields == {'citizens.1': 'unexpected field(s): age'}


def test_repeated_citizen_id_is_400(app):
    citizens = sample()
    citizens[2]['citizen_id'] = 1
    fields = app.post_json('/imports', {'citizens': citizens}, status=400).json['error']['fields']
    assert fields == {'citizens.2.citizen_id': 'citizen_id 1 repeats citizens.0'}
    assert stored_rows() == (0, 0, 0)


def test_repeated_relative_is_400(app):
    citizens = sample()
    citizens[0]['relatives'] = [2, 2]
    fields = app.post_json('/imports', {'citizens': citizens}, status=400).json['error']['fields']
    assert list(fields) == ['citizens.0.relatives'] and 'non-unique' in fields[
        'citizens.0.relatives']


def test_every_broken_citizen_is_named(app):
    citizens = sample()
    citizens[0]['gender'] = 'x'
    citizens[2]['apartment'] = '1'
    fields = app.post_json('/imports', {'citizens': citizens}, status=400).json['error']['fields']
    assert set(fields) == {'citizens.0.gender', 'citizens.2.apartment'}


@pytest.mark.parametrize(('body', 'field'), [
    ([], 'body'), ({}, 'body'), ({'citizens': {}}, 'citizens'), ({'citizens': [1]}, 'citizens.0'),
    ({'citizens': [], 'source': 'x'}, 'body'), ({'citizens': None}, 'citizens'),
])
def test_body_of_the_wrong_shape_is_400(app, body, field):
    fields = app.post_json('/imports', body, status=400).json['error']['fields']
    assert list(fields) == [field]


def test_body_that_is_not_json_is_400(app):
    error = app.post('/imports', b'{"citizens": [', content_type='application/json',
                     status=400).json['error']
    assert 'not valid JSON' in error['message']
    assert stored_rows() == (0, 0, 0)


def test_edge_values_the_rules_allow_are_stored_as_given(app):
    citizens = sample()
    citizens[2].update(citizen_id=0, apartment=0, town='1', street='Ёлочная', building='а',
                       name='  Мария  ', birth_date='29.02.2020')
    citizens[0].update(citizen_id=2**31 - 1, relatives=[2])
    citizens[1].update(relatives=[2**31 - 1])
    import_id = post_import(app, citizens)
    stored = app.get(f'/imports/{import_id}/citizens').json['data']
    assert stored == sorted(citizens, key=lambda citizen: citizen['citizen_id'])


def test_integral_float_counts_as_an_integer_and_is_stored_as_one(app):
    citizens = sample()
    citizens[2]['apartment'] = 2.0
    citizens[0]['relatives'] = [2.0]
    import_id = post_import(app, citizens)
    stored = app.get(f'/imports/{import_id}/citizens').json['data']
    assert stored[2]['apartment'] == 2 and type(stored[2]['apartment']) is int
    assert stored[0]['relatives'] == [2]


def test_same_citizen_ids_in_two_imports_are_fine(app):
    first, second = post_import(app, sample()), post_import(app, sample())
    assert first != second
    assert stored_rows() == (2, 6, 4)


def test_megabytes_of_empty_citizens_are_400_naming_the_first_100_and_store_nothing(app):
    body = '{"citizens":[' + ','.join(['{}'] * 1_000_000) + ']}'
    fields = app.post('/imports', body, content_type='application/json',
                      status=400).json['error']['fields']
    assert list(fields) == [f'citizens.{index}' for index in range(100)]
    assert fields['citizens.99'].startswith('missing field(s): apartment, birth_date')
    assert stored_rows() == (0, 0, 0)


def test_megabytes_of_arrays_inside_one_citizen_are_400_and_store_nothing(app):
    citizen = json.dumps(sample()[0])[:-1] + ', "relatives": [' + ','.join(['[]'] * 1_000_000)
    fields = app.post('/imports', '{"citizens": [' + citizen + ']}]}',
                      content_type='application/json', status=400).json['error']['fields']
    assert fields['citizens.0.relatives.0'] == 'must be an integer, not an array'
    assert stored_rows() == (0, 0, 0)
