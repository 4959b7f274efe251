"""Pages: `page` and `size` bounds, `next`/`previous` links, empty and last pages."""
import pytest

from tests.harness.apiclient import post, sign_up

COLLECTION = '/api/v1/users/alice/collection'


@pytest.fixture
def alice(client):
    headers = sign_up(client, 'alice')
    for number in range(1, 6):
        post(client, 'alice', headers, f'post {number}')
    return headers


def texts(page: dict) -> list[str]:
    return [item['text'] for item in page['result']]


def test_empty_collection_is_an_empty_page_without_links(client):
    sign_up(client, 'bob')
    answer = client.get('/api/v1/users/bob/collection')
    assert answer.json == {'next': None, 'previous': None, 'result': []}


def test_pages_link_to_their_neighbours_with_absolute_urls(client, alice):
    first = client.get(f'{COLLECTION}?size=2').json
    assert texts(first) == ['post 5', 'post 4'] and first['previous'] is None
    assert first['next'] == f'http://localhost{COLLECTION}?size=2&page=2'
    second = client.get(first['next']).json
    assert texts(second) == ['post 3', 'post 2']
    assert second['previous'] == f'http://localhost{COLLECTION}?size=2&page=1'
    last = client.get(second['next']).json
    assert last == {'next': None, 'previous': second['next'].replace('page=3', 'page=2'),
                    'result': last['result']}
    assert texts(last) == ['post 1']


def test_a_full_last_page_has_no_next(client, alice):
    page = client.get(f'{COLLECTION}?size=5').json
    assert len(page['result']) == 5 and page['next'] is None


def test_a_page_past_the_end_is_empty_and_links_back(client, alice):
    page = client.get(f'{COLLECTION}?page=9&size=2').json
    assert page == {'next': None, 'previous': f'http://localhost{COLLECTION}?size=2&page=8',
                    'result': []}


def test_size_defaults_to_20_and_goes_from_1_to_100(client, alice):
    assert len(client.get(COLLECTION).json['result']) == 5
    assert texts(client.get(f'{COLLECTION}?size=1').json) == ['post 5']
    assert len(client.get(f'{COLLECTION}?size=100').json['result']) == 5


@pytest.mark.parametrize('query, field', [
    ('size=0', 'size'), ('size=101', 'size'), ('size=ten', 'size'), ('page=0', 'page'),
    ('page=-1', 'page'), ('page=1.5', 'page'), ('page=', 'page'), ('order=asc', 'order'),
    ('sort=asc', 'query'),
])
def test_anything_else_in_the_query_is_400(client, alice, query, field):
    answer = client.get(f'{COLLECTION}?{query}', status=400)
    assert field in answer.json['error']['fields']


def test_links_keep_the_other_query_parameters(client, alice):
    page = client.get('/api/v1/search?text=POST&size=2').json
    assert page['next'] == 'http://localhost/api/v1/search?text=POST&size=2&page=2'


@pytest.mark.parametrize('path', [COLLECTION, '/api/v1/microposts',
                                  '/api/v1/users/alice/followers'])
@pytest.mark.parametrize('page', [9, 10001, 2**31 - 1])
def test_every_list_past_its_end_is_an_empty_page(client, alice, path, page):
    answer = client.get(f'{path}?page={page}&size=100')
    assert answer.status == '200 OK'
    assert answer.json['result'] == [] and answer.json['next'] is None
    assert answer.json['previous'].endswith(f'page={page - 1}')


def test_the_timeline_past_its_end_is_an_empty_page(client, alice):
    answer = client.get('/api/v1/users/alice/timeline?page=20000', headers=alice)
    assert answer.json == {'next': None, 'result': [],
                           'previous': 'http://localhost/api/v1/users/alice/timeline?page=19999'}


def test_a_page_number_past_any_list_is_400(client, alice):
    answer = client.get(f'{COLLECTION}?page={2**31}', status=400)
    assert 'page' in answer.json['error']['fields']
