"""POST /imports lists every problem of a refused file at once, as `problems` naming each citizen
by its `citizen_id` and the field in plain words, beside the usual `fields`; bounded for any
size of file."""
import json

from tests.harness.analyzer import sample, stored_rows
from tests.harness.citizens import make_import


def refusal(app, body) -> dict:
    return app.post_json('/imports', body, status=400).json['error']


def test_schema_and_rule_problems_are_listed_together_by_citizen_id_and_field(app):
    citizens = sample()
    citizens[0]['gender'] = 'other'
    citizens[1]['apartment'] = '2'
    citizens[2]['birth_date'] = '01.01.2999'
    citizens[2]['relatives'] = [9]
    error = refusal(app, {'citizens': citizens})
    assert error['code'] == 'invalid'
    assert set(error['fields']) == {'citizens.0.gender', 'citizens.1.apartment',
                                    'citizens.2.birth_date', 'citizens.2.relatives'}
    assert error['problems'] == [
        {'citizen_id': 1, 'position': 0, 'field': 'gender',
         'message': 'must be "male" or "female", not \'other\''},
        {'citizen_id': 2, 'position': 1, 'field': 'apartment',
         'message': "must be a whole number from 0 to 2147483647, not '2'"},
        {'citizen_id': 3, 'position': 2, 'field': 'birth_date',
         'message': '01.01.2999 is not in the past'},
        {'citizen_id': 3, 'position': 2, 'field': 'relatives',
         'message': 'no citizen 9 in this import'},
    ]
    assert stored_rows() == (0, 0, 0)


def test_missing_and_unexpected_fields_are_named_one_by_one(app):
    citizens = sample()
    del citizens[1]['town'], citizens[1]['name']
    citizens[2]['age'] = 30
    problems = refusal(app, {'citizens': citizens})['problems']
    assert [(each['citizen_id'], each['field'], each['message']) for each in problems] == [
        (2, 'town', 'is missing'), (2, 'name', 'is missing'),
        (3, None, 'has fields a citizen does not have: age')]


def test_a_citizen_without_a_valid_id_is_named_by_its_place_in_the_list(app):
    citizens = sample()
    citizens[2]['citizen_id'] = 'three'
    citizens[2]['gender'] = 'x'
    problems = refusal(app, {'citizens': citizens})['problems']
    assert {(each['citizen_id'], each['position'], each['field']) for each in problems} == {
        (None, 2, 'citizen_id'), (None, 2, 'gender')}


def test_a_repeated_id_and_a_one_way_relative_read_plainly(app):
    citizens = sample()
    citizens[2]['citizen_id'] = 1
    citizens[1]['relatives'] = []
    problems = refusal(app, {'citizens': citizens})['problems']
    assert [(each['position'], each['field'], each['message']) for each in problems] == [
        (0, 'relatives', '2 is a relative of 1 but 1 is not among the relatives of 2'),
        (2, 'citizen_id', 'another citizen has citizen_id 1 too')]


def test_the_file_as_a_whole_has_no_citizen_or_field(app):
    for body in ({}, [], {'citizens': None}):
        problems = refusal(app, body)['problems']
        assert [(each['citizen_id'], each['position'], each['field']) for each in problems] == [
            (None, None, None)]
        assert 'holding a list of citizens' in problems[0]['message']


def test_invalid_json_is_named_without_the_parsers_words(app):
    error = app.post('/imports', b'{"citizens": [\n  {"citizen_id": 1,}\n]}',
                     content_type='application/json', status=400).json['error']
    assert 'not valid JSON' in error['message']  # the API's message keeps the parser's reason
    (problem,) = error['problems']
    assert problem == {'citizen_id': None, 'position': None, 'field': None,
                       'message': 'The file is not valid JSON (near line 2, column 20): check '
                                  'that it was saved as JSON, whole.'}
    assert 'Expecting' not in problem['message']


def test_ten_thousand_broken_citizens_list_the_first_hundred_and_count_the_rest(app):
    body = make_import(citizens=10_000, relations=100, seed=4)
    for citizen in body['citizens']:
        citizen['gender'] = 'other'
    text = json.dumps(body)
    assert len(text) > 256 * 1024  # walked against the schema's shape before it is parsed
    error = app.post('/imports', text, content_type='application/json',
                     status=400).json['error']
    assert len(error['fields']) == len(error['problems']) == 100
    assert error['more'] == 9_900 and '9900 more problems not listed' in error['message']
    assert [each['citizen_id'] for each in error['problems']] == list(range(1, 101))
    assert {each['field'] for each in error['problems']} == {'gender'}
    assert stored_rows() == (0, 0, 0)


def test_a_large_file_of_the_wrong_shape_names_its_citizens_too(app):
    body = make_import(citizens=3_000, relations=0, seed=5)
    body['citizens'][7]['apartment'] = '12'
    del body['citizens'][9]['gender']
    error = app.post('/imports', json.dumps(body), content_type='application/json',
                     status=400).json['error']
    assert [(each['citizen_id'], each['position'], each['field'], each['message'])
            for each in error['problems']] == [
        (8, 7, 'apartment', 'must be a whole number from 0 to 2147483647, not a string'),
        (10, 9, 'gender', 'is missing')]


def test_a_valid_import_is_stored_as_before(app):
    answer = app.post_json('/imports', {'citizens': sample()}, status=201)
    assert answer.json['data']['import_id'] >= 1
    assert stored_rows() == (1, 3, 2)


def test_citizens_missing_every_field_stay_within_the_bound(app):
    error = refusal(app, {'citizens': [{}] * 150})
    assert len(error['fields']) == 100 and error['more'] == 50
    assert len(error['problems']) == 100  # nine missing fields a citizen: cut at the bound
    assert error['problems'][:9] == [
        {'citizen_id': None, 'position': 0, 'field': field, 'message': 'is missing'}
        for field in ('citizen_id', 'town', 'street', 'building', 'apartment', 'name',
                      'birth_date', 'gender', 'relatives')]
