"""Search: case-insensitive substrings of post texts (and usernames), from the trigram index."""
import pytest

from tests.harness.apiclient import post, sign_up

SEARCH = '/api/v1/search'


@pytest.fixture
def posts(client):
    alice, bob = sign_up(client, 'alice'), sign_up(client, 'bob_the_builder')
    return {
        'hello': post(client, 'alice', alice, 'Hello Wonderful World'),
        'percent': post(client, 'bob_the_builder', bob, 'Sale: 50% off, under_score'),
        'quote': post(client, 'bob_the_builder', bob, 'He said "wonderful" twice'),
        'plain': post(client, 'alice', alice, '500 offers, underXscore'),
    }, alice


def found(client, query: str) -> list[str]:
    return [item['text'] for item in client.get(f'{SEARCH}?{query}').json['result']]


def test_text_matches_substrings_ignoring_case_newest_first(client, posts):
    assert found(client, 'text=WONDER') == ['He said "wonderful" twice',
                                            'Hello Wonderful World']
    assert found(client, 'text=lo%20wo') == ['Hello Wonderful World']
    assert found(client, 'text=wonderx') == []


def test_wildcards_and_quotes_are_plain_characters(client, posts):
    assert found(client, 'text=50%25%20off') == ['Sale: 50% off, under_score']
    assert found(client, 'text=under_sc') == ['Sale: 50% off, under_score']
    assert found(client, 'text=%22wonderful%22') == ['He said "wonderful" twice']


def test_username_narrows_to_authors_whose_name_contains_it(client, posts):
    assert found(client, 'text=wonderful&username=BUILD') == ['He said "wonderful" twice']
    assert found(client, 'text=wonderful&username=_') == ['He said "wonderful" twice']
    assert found(client, 'text=wonderful&username=carol') == []


def test_edits_and_deletes_are_searched_at_once(client, posts):
    created, alice = posts
    client.patch_json(created['hello']['href'], {'text': 'Goodbye moon'}, headers=alice)
    assert found(client, 'text=hello') == []
    assert found(client, 'text=MOON') == ['Goodbye moon']
    client.delete(created['hello']['href'], headers=alice, status=204)
    assert found(client, 'text=moon') == []


def test_results_are_paged(client, posts):
    page = client.get(f'{SEARCH}?text=wonderful&size=1').json
    assert [item['text'] for item in page['result']] == ['He said "wonderful" twice']
    assert page['next'] == 'http://localhost/api/v1/search?text=wonderful&size=1&page=2'


@pytest.mark.parametrize('query', ['', 'text=ab', 'text=', 'username=alice',
                                   'text=abc&username=', f'text={"x" * 256}', 'text=ab%00c',
                                   'text=abc&username=a%00'])
def test_missing_or_too_short_text_is_400(client, query):
    answer = client.get(f'{SEARCH}?{query}', status=400)
    assert answer.json['error']['fields']
