"""JSONP: `?callback=name` wraps anonymous GET answers in a call, as JavaScript."""
import json
import re

import pytest

from tests.harness.apiclient import post, sign_up

COLLECTION = '/api/v1/users/alice/collection'


@pytest.fixture
def alice(client):
    headers = sign_up(client, 'alice')
    post(client, 'alice', headers, 'Hello </script> \u2028')
    return headers


def unwrap(name: str, script: str):
    match = re.fullmatch(rf'/\*\*/{re.escape(name)}\((.*)\);', script, re.DOTALL)
    assert match, script
    return json.loads(match.group(1))


@pytest.mark.parametrize('path', [COLLECTION, '/api/v1/users/alice', '/api/v1/microposts',
                                  '/api/v1/search?text=hello', '/api/v1/users/alice/followers'])
def test_callback_wraps_the_json_answer_as_javascript(client, alice, path):
    plain = client.get(path)
    separator = '&' if '?' in path else '?'
    wrapped = client.get(f'{path}{separator}callback=app.show_1')
    assert wrapped.content_type == 'application/javascript'
    assert wrapped.headers['X-Content-Type-Options'] == 'nosniff'
    assert unwrap('app.show_1', wrapped.text) == plain.json


def test_line_separators_are_escaped_in_the_script(client, alice):
    script = client.get(f'{COLLECTION}?callback=show').text
    assert '\u2028' not in script and '\\u2028' in script


def test_the_cached_script_is_the_same_answer(client, alice):
    first = client.get(f'{COLLECTION}?callback=show')
    second = client.get(f'{COLLECTION}?callback=show')
    assert second.text == first.text
    assert second.content_type == 'application/javascript'
    assert second.headers['X-Content-Type-Options'] == 'nosniff'
    assert client.get(COLLECTION).content_type == 'application/json'


@pytest.mark.parametrize('name', ['1abc', 'alert(1)', 'a-b', 'x' * 65, 'a b', '', 'show\n'])
def test_invalid_callback_name_is_400(client, alice, name):
    answer = client.get(COLLECTION, params={'callback': name}, status=400)
    assert answer.content_type == 'application/json'
    assert 'callback' in answer.json['error']['fields']


def test_callback_with_credentials_is_400(client, alice):
    answer = client.get(f'{COLLECTION}?callback=show', headers=alice, status=400)
    assert answer.json['error']['fields'] == {'callback': 'not allowed with credentials'}


def test_callback_on_the_timeline_is_400(client, alice):
    answer = client.get('/api/v1/users/alice/timeline?callback=show', headers=alice, status=400)
    assert answer.json['error']['fields'] == {'query': 'unexpected field(s): callback'}
