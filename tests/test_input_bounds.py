"""Every check is linear in its input and bounded in what it keeps: each pattern of the project
finishes on hostile input of its largest allowed size and of 1 MiB, and a body with countless
problems is refused with the first hundred named, the count of the rest, and memory in
proportion to the body."""
import json
import re
import tracemalloc

import pytest

import api
from api.decorators import CALLBACK
from api.middleware import VALID_REQUEST_ID
from api.spec import INTEGER
from controllers.citizen_rules import IMPORT
from controllers.errors import Invalid
from controllers.mentions import MENTION
from controllers.micropost_rules import EMAIL, USERNAME_RULE
from controllers.validation import check
from lib.utils.problems import LIMIT
from tests.harness.analyzer import stored_rows
from tests.test_analyzer_cli import manage

MIB = 1024 * 1024
MODULE_PATTERNS = [EMAIL, USERNAME_RULE, MENTION, CALLBACK, VALID_REQUEST_ID, INTEGER]


def schema_strings(schema, found: list) -> list:
    """Every string schema with a `pattern` under `schema`."""
    if isinstance(schema, dict):
        if 'pattern' in schema:
            found.append(schema)
        for value in schema.values():
            schema_strings(value, found)
    elif isinstance(schema, list):
        for value in schema:
            schema_strings(value, found)
    return found


def declared_schemas() -> list[dict]:
    """The query and body schemas of every declared operation."""
    schemas = []
    for resource in api.RESOURCES:
        for route in resource.app.routes:
            declared = getattr(route.callback, 'operation', None) or {}
            schemas += [declared[part] for part in ('query', 'body') if declared.get(part)]
    return schemas


def patterned() -> list[dict]:
    found = []
    for schema in declared_schemas():
        schema_strings(schema, found)
    return found


def hostile(pattern: str, size: int) -> list[str]:
    """Strings of `size` characters built to make a backtracking matcher try every split:
    long runs of each character the pattern names (and some it does not), ending in each way
    that can fail."""
    characters = set(re.sub(r'\\.', '', pattern)) | set('a0_.@ -\t\né№')
    strings = []
    for char in sorted(characters):
        run = char * size
        strings += [run, run[:-1] + '!', run[:-1] + '@', run[:-1] + '\n',
                    'a@' + run[:-3] + '@', f'a@b{run}'[:size - 1] + '@',
                    ('a' + char) * (size // 2) + '@']
    return strings


@pytest.mark.timeout(300)
def test_every_pattern_finishes_on_hostile_input_of_its_largest_size_and_of_1_mib():
    schemas = patterned()
    assert any(schema.get('format') == 'email' for schema in schemas)  # the one that hung
    searches = {(schema['pattern'], schema.get('maxLength', 256)) for schema in schemas}
    searches |= {(pattern.pattern, 256) for pattern in MODULE_PATTERNS}
    tried = 0
    for pattern, largest in sorted(searches):
        search = re.compile(pattern).search
        for size in (largest, MIB):
            for text in hostile(pattern, size):
                search(text)
                tried += 1
    assert tried > 1000


@pytest.mark.timeout(120)
def test_a_1_mib_email_is_refused_naming_the_field_and_a_long_valid_one_accepted():
    from controllers.micropost_rules import NEW_USER
    for email in ('a@' + '.' * MIB + '@', 'a@' + 'b.' * (MIB // 2), 'x' * MIB):
        with pytest.raises(Invalid) as refused:
            check(NEW_USER, {'username': 'mallory', 'password': 'p' * 12, 'email': email})
        assert refused.value.fields == {'email': 'a valid e-mail address'}
    longest = 'a' * 240 + '@example.org'
    body = {'username': 'mallory', 'password': 'p' * 12, 'email': longest}
    assert len(longest) <= 254 and check(NEW_USER, body) == body


@pytest.mark.timeout(120)
def test_1_mib_strings_in_every_citizen_field_are_refused_by_their_size():
    citizen = {'citizen_id': 1, 'town': '_' * MIB, 'street': ' ' * MIB, 'building': '-' * MIB,
               'apartment': 1, 'name': ' ' * MIB, 'birth_date': '0' * MIB, 'gender': 'x' * MIB,
               'relatives': []}
    with pytest.raises(Invalid) as refused:
        check(IMPORT, {'citizens': [citizen]})
    assert set(refused.value.fields) == {f'citizens.0.{name}' for name in (
        'town', 'street', 'building', 'name', 'birth_date', 'gender')}


def empty_citizens(size: int) -> bytes:
    count = (size - len('{"citizens":[]}')) // 3
    return ('{"citizens":[' + ','.join(['{}'] * count) + ']}').encode()


def test_90_kb_of_empty_citizens_is_400_listing_100_problems_and_counting_the_rest(app):
    body = empty_citizens(90_000)
    count = body.count(b'{}')
    answer = app.post('/imports', body, content_type='application/json', status=400)
    error = answer.json['error']
    assert len(error['fields']) == LIMIT
    assert error['more'] == count - LIMIT
    assert f'{count - LIMIT} more problems not listed' in error['message']
    assert error['fields']['citizens.0'].startswith("'citizen_id' is a required property")
    assert len(answer.body) < 40_000
    assert stored_rows() == (0, 0, 0)


def test_a_refused_body_costs_memory_in_proportion_to_its_size(app):
    """Parsing the JSON costs about 25 times the body ([{}] is 3 bytes and a dict 64); what
    validation adds must not grow with the number of problems (it once reached 10,000×)."""
    for size in (90_000, 180_000):
        body = empty_citizens(size)
        tracemalloc.start()
        try:
            app.post('/imports', body, content_type='application/json', status=400)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert peak < 40 * len(body), f'{peak} bytes for a body of {len(body)}'


def test_problems_found_after_validation_are_bounded_too(app):
    citizens = [{'citizen_id': 1, 'town': 'A', 'street': 'B', 'building': '1', 'apartment': 1,
                 'name': 'N', 'birth_date': '01.01.3000', 'gender': 'male', 'relatives': []}
                for _ in range(500)]
    error = app.post_json('/imports', {'citizens': citizens}, status=400).json['error']
    assert len(error['fields']) == LIMIT
    assert error['more'] > 0 and 'not listed' in error['message']


def test_import_citizens_command_lists_100_problems_and_the_count(settings, environ, tmp_path):
    source = tmp_path / 'broken.json'
    source.write_text(json.dumps({'citizens': [{}] * 350}))
    refused = manage(environ, 'import-citizens', str(source))
    assert refused.returncode != 0
    lines = refused.stderr.strip().splitlines()
    assert sum(line.startswith('  citizens.') for line in lines) == LIMIT
    assert lines[-1] == '  ... and 250 more'
    assert stored_rows() == (0, 0, 0)


def test_a_final_line_break_does_not_slip_past_a_pattern_ending_in_dollar(client, alice):
    followed = client.post_json('/api/v1/users/alice/following', {'username': 'alice\n'},
                                headers=alice, status=400)
    assert set(followed.json['error']['fields']) == {'username'}
    stats = client.get('/api/v1/stats/daily?from=2026-01-01%0A&to=2026-01-02', status=400)
    assert set(stats.json['error']['fields']) == {'from'}
    assert client.get('/api/v1/microposts?callback=show%0A', status=400)
