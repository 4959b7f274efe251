"""The Analyzer's HTTP contract: imports, listing, PATCH on both sides of a relation, 404s."""
import json

import pytest
import webtest

import api
from lib import config
from tests.harness.analyzer import assert_symmetric, post_import, relations, sample, stored_rows
from tests.harness.citizens import make_import


def citizens_of(app, import_id: int) -> list[dict]:
    return app.get(f'/imports/{import_id}/citizens').json['data']


def test_import_is_201_with_its_id_and_reads_back_the_same(app):
    answer = app.post_json('/imports', {'citizens': sample()}, status=201)
    assert answer.content_type == 'application/json'
    assert answer.json == {'data': {'import_id': answer.json['data']['import_id']}}
    assert citizens_of(app, answer.json['data']['import_id']) == sample()


def test_citizens_come_back_by_id_with_sorted_relatives(app):
    body = make_import(300, 120, seed=7)
    import_id = post_import(app, body['citizens'][::-1])
    stored = citizens_of(app, import_id)
    assert [citizen['citizen_id'] for citizen in stored] == list(range(1, 301))
    expected = {citizen['citizen_id']: {**citizen, 'relatives': sorted(citizen['relatives'])}
                for citizen in body['citizens']}
    assert stored == [expected[citizen_id] for citizen_id in range(1, 301)]


def test_imports_are_listed_newest_first_with_their_size(app):
    assert app.get('/imports').json == {'data': []}
    first = post_import(app, sample())
    second = post_import(app, [{**sample()[0], 'relatives': []}, sample()[2]])
    listed = app.get('/imports').json['data']
    assert [(item['import_id'], item['citizens']) for item in listed] == [(second, 2), (first, 3)]
    assert all(item['created'].endswith('Z') and 'T' in item['created'] for item in listed)


def test_ten_thousand_citizens_over_the_general_body_limit_are_accepted(app, settings):
    body = make_import(10_000, 1_000, seed=8)
    assert len(json.dumps(body)) > settings.server.max_body_bytes
    app.post_json('/imports', body, status=201)
    assert stored_rows() == (1, 10_000, 2_000)


def test_import_over_its_own_limit_is_a_json_413_and_stores_nothing(environ):
    settings = config.load({**environ, 'WARBLE_SERVER_MAX_IMPORT_BYTES': '2000'})
    small = webtest.TestApp(api.create_wsgi(settings))
    error = small.post_json('/imports', make_import(20, 5, seed=1), status=413).json['error']
    assert error == {'code': 'payload_too_large', 'fields': {},
                     'message': 'The request body exceeds 2000 bytes.'}
    assert small.get('/imports').json == {'data': []}


def test_marriage_adds_the_relative_on_both_sides(app):
    import_id = post_import(app, sample())
    changed = app.patch_json(f'/imports/{import_id}/citizens/3', {'relatives': [1]}).json['data']
    assert changed == {**sample()[2], 'relatives': [1]}
    stored = citizens_of(app, import_id)
    assert [citizen['relatives'] for citizen in stored] == [[2, 3], [1], [1]]


def test_divorce_removes_the_relative_on_both_sides(app):
    import_id = post_import(app, sample())
    changed = app.patch_json(f'/imports/{import_id}/citizens/2', {'relatives': []}).json['data']
    assert changed['relatives'] == []
    assert [citizen['relatives'] for citizen in citizens_of(app, import_id)] == [[], [], []]


def test_new_relatives_replace_the_old_ones_on_every_side(app):
    citizens = make_import(40, 60, seed=9)['citizens']
    import_id = post_import(app, citizens)
    before = {citizen['citizen_id']: set(citizen['relatives']) for citizen in citizens}
    new = sorted(set(range(2, 40, 3)) - {5})
    assert app.patch_json(f'/imports/{import_id}/citizens/5',
                          {'relatives': new}).json['data']['relatives'] == new
    after = {citizen['citizen_id']: set(citizen['relatives'])
             for citizen in citizens_of(app, import_id)}
    for citizen_id in range(1, 41):
        expected = before[citizen_id] - {5} | ({5} if citizen_id in new else set())
        assert after[citizen_id] == (set(new) if citizen_id == 5 else expected)
    assert_symmetric(citizens_of(app, import_id))


def test_patch_with_thousands_of_relatives_reaches_every_side(app):
    import_id = post_import(app, make_import(7000, 0, seed=10)['citizens'])
    everyone = list(range(2, 7001))
    answer = app.patch_json(f'/imports/{import_id}/citizens/1', {'relatives': everyone})
    assert answer.json['data']['relatives'] == everyone
    assert all(citizen['relatives'] == [1] for citizen in citizens_of(app, import_id)[1:])
    app.patch_json(f'/imports/{import_id}/citizens/1', {'relatives': everyone[::2]})
    stored = citizens_of(app, import_id)
    assert stored[0]['relatives'] == everyone[::2]
    assert [citizen['relatives'] for citizen in stored[1:3]] == [[1], []]
    assert_symmetric(stored)


def test_patch_changes_only_the_given_fields(app):
    import_id = post_import(app, sample())
    changes = {'name': 'Иванова Мария Леонидовна', 'town': 'Москва', 'street': 'Льва Толстого',
               'building': '16к7стр5', 'apartment': 7, 'birth_date': '29.02.2000'}
    changed = app.patch_json(f'/imports/{import_id}/citizens/3', changes).json['data']
    assert changed == {**sample()[2], **changes}
    assert citizens_of(app, import_id) == sample()[:2] + [changed]
    gender = app.patch_json(f'/imports/{import_id}/citizens/1', {'gender': 'female'}).json['data']
    assert gender == {**sample()[0], 'gender': 'female'}


def test_patch_touches_only_its_own_import(app):
    first, second = post_import(app, sample()), post_import(app, sample())
    app.patch_json(f'/imports/{first}/citizens/1', {'relatives': [3], 'name': 'Пётр'})
    assert citizens_of(app, second) == sample()
    assert relations(citizens_of(app, first)) == {(1, 3), (3, 1)}


@pytest.mark.parametrize(('changes', 'field'), [
    ({}, 'body'), ({'citizen_id': 4}, 'body'), ({'age': 3}, 'body'), ({'name': None}, 'name'),
    ({'name': '  '}, 'name'), ({'apartment': '7'}, 'apartment'), ({'gender': 'm'}, 'gender'),
    ({'birth_date': '30.02.2001'}, 'birth_date'), ({'birth_date': '01.01.3000'}, 'birth_date'),
    ({'relatives': [2, 2]}, 'relatives'), ({'relatives': [1]}, 'relatives'),
    ({'relatives': [2, 9]}, 'relatives'), ({'relatives': None}, 'relatives'),
    ({'relatives': [3], 'town': ''}, 'town'),
])
def test_invalid_patch_is_400_and_changes_nothing(app, changes, field):
    import_id = post_import(app, sample())
    error = app.patch_json(f'/imports/{import_id}/citizens/1', changes, status=400).json['error']
    assert error['code'] == 'invalid' and list(error['fields']) == [field]
    assert citizens_of(app, import_id) == sample()
    assert stored_rows() == (1, 3, 2)


@pytest.mark.parametrize('path', [
    '/imports/{other}/citizens', '/imports/{other}/citizens/birthdays',
    '/imports/{other}/towns/stat/percentile/age', '/imports/{huge}/citizens',
    '/imports/-1/citizens'])
def test_reading_an_unknown_import_is_404(app, path):
    import_id = post_import(app, sample())
    url = path.format(other=import_id + 1, huge=2**63)
    error = app.get(url, status=404).json['error']
    assert error['code'] == 'not_found' and 'No import' in error['message']


@pytest.mark.parametrize(('import_shift', 'citizen_id', 'message'), [
    (1, 1, 'No import'), (0, 4, 'No citizen 4'), (0, 2**40, 'No citizen'), (0, -3, 'No citizen'),
])
def test_patching_an_unknown_import_or_citizen_is_404(app, import_shift, citizen_id, message):
    import_id = post_import(app, sample())
    error = app.patch_json(f'/imports/{import_id + import_shift}/citizens/{citizen_id}',
                           {'name': 'Кто-то'}, status=404).json['error']
    assert error['code'] == 'not_found' and message in error['message']
    assert citizens_of(app, import_id) == sample()


def test_paths_with_a_trailing_slash_or_a_name_for_an_id_are_404(app):
    import_id = post_import(app, sample())
    for path in (f'/imports/{import_id}/citizens/', '/imports/', '/imports/abc/citizens'):
        assert app.get(path, status=404).json['error']['code'] == 'not_found'


def test_openapi_documents_every_analyzer_operation(app):
    paths = app.get('/openapi.json').json['paths']
    assert set(paths['/imports']) == {'get', 'post'}
    assert set(paths['/imports/{import_id}/citizens/{citizen_id}']) == {'patch'}
    for path in ('/imports/{import_id}/citizens', '/imports/{import_id}/citizens/birthdays',
                 '/imports/{import_id}/towns/stat/percentile/age'):
        assert set(paths[path]['get']['responses']) == {'200', '401', '403', '404', '503'}
        assert 'security' not in paths[path]['get']  # unless analyzer.protected
    post = paths['/imports']['post']
    citizen = post['requestBody']['content']['application/json']['schema']['properties'][
        'citizens']['items']
    assert citizen['additionalProperties'] is False
    assert set(citizen['required']) == {'citizen_id', 'town', 'street', 'building', 'apartment',
                                        'name', 'birth_date', 'gender', 'relatives'}
    patch = paths['/imports/{import_id}/citizens/{citizen_id}']['patch']
    assert 'citizen_id' not in patch['requestBody']['content']['application/json']['schema'][
        'properties']
    assert [parameter['name'] for parameter in patch['parameters']] == ['import_id', 'citizen_id']
