"""Roles and Analyzer access: with `analyzer.protected` on, only analysts (token or session) and
programs with an API key reach `/imports`; roles are granted by `manage.py` and shown to their
owner."""
import pytest

import api
from controllers.access import ApiKeyController, RoleController
from lib import config
from tests.harness.analyzer import sample
from tests.harness.apiclient import PASSWORD, CheckedApp, sign_up
from tests.test_manage import manage

IMPORT = {'citizens': sample()}


@pytest.fixture
def guarded(settings, environ):
    """The app with the Analyzer protected, as the web role runs it."""
    return CheckedApp(api.create_wsgi(config.load({**environ,
                                                   'WARBLE_ANALYZER_PROTECTED': 'true'})))


def test_the_web_role_protects_the_analyzer_development_does_not():
    assert config.load({'WARBLE_ROLE': 'web'}).analyzer.protected is True
    assert config.load({}).analyzer.protected is False


def test_without_protection_anyone_uses_the_analyzer(client):
    client.post_json('/imports', IMPORT, status=201)
    client.get('/imports', status=200)


@pytest.mark.parametrize('method, path', [
    ('get', '/imports'), ('post', '/imports'), ('get', '/imports/1/citizens'),
    ('patch', '/imports/1/citizens/1'), ('get', '/imports/1/citizens/birthdays'),
    ('get', '/imports/1/towns/stat/percentile/age'),
])
def test_protected_every_analyzer_request_without_credentials_is_401(guarded, method, path):
    if method == 'get':
        answer = guarded.get(path, status=401)
    else:
        answer = getattr(guarded, f'{method}_json')(path, {'name': 'x'}, status=401)
    assert answer.json['error']['code'] == 'unauthorized'
    assert 'X-API-Key' in answer.json['error']['message']


def test_protected_the_document_says_which_credentials_the_analyzer_takes(guarded):
    paths = guarded.get('/openapi.json').json['paths']
    for path in ('/imports', '/imports/{import_id}/citizens'):
        assert paths[path]['get']['security'] == [{'bearer': []}, {'session': []},
                                                  {'apikey': []}]
        assert {'401', '403'} <= set(paths[path]['get']['responses'])


def test_protected_a_user_without_the_analyst_role_is_403(guarded):
    alice = sign_up(guarded, 'alice')
    answer = guarded.get('/imports', headers=alice, status=403)
    assert answer.json['error']['code'] == 'forbidden'
    assert 'analyst' in answer.json['error']['message']


def test_protected_an_analyst_uses_the_analyzer_with_a_token_or_a_session(guarded):
    alice = sign_up(guarded, 'alice')
    RoleController().grant('alice', 'analyst')
    created = guarded.post_json('/imports', IMPORT, headers=alice, status=201).json
    import_id = created['data']['import_id']
    guarded.get(f'/imports/{import_id}/citizens', headers=alice, status=200)
    session = guarded.post_json('/api/v1/session', {'username': 'alice', 'password': PASSWORD})
    guarded.get('/imports', status=200)  # the session cookie
    guarded.patch_json(f'/imports/{import_id}/citizens/1', {'name': 'Ann'}, status=200,
                       headers={'X-CSRF-Token': session.json['csrf_token']})
    RoleController().revoke('alice', 'analyst')
    guarded.get('/imports', headers=alice, status=403)


def test_protected_a_program_uses_the_analyzer_with_an_api_key_until_it_is_revoked(guarded):
    key = ApiKeyController().create('reports-job')
    guarded.post_json('/imports', IMPORT, headers={'X-API-Key': key}, status=201)
    guarded.get('/imports', headers={'X-API-Key': key}, status=200)
    guarded.get('/imports', headers={'X-API-Key': key[:-1] + 'x'}, status=401)
    guarded.get('/imports', headers={'X-API-Key': key, 'Authorization': 'Bearer wrong'},
                status=401)  # credentials given are judged, whatever else comes along
    ApiKeyController().revoke('reports-job')
    guarded.get('/imports', headers={'X-API-Key': key}, status=401)


def test_roles_are_shown_to_their_owner_only(client, alice, bob):
    assert client.get('/api/v1/users/alice', headers=alice).json['roles'] == []
    RoleController().grant('alice', 'analyst')
    assert client.get('/api/v1/users/alice', headers=alice).json['roles'] == ['analyst']
    assert 'roles' not in client.get('/api/v1/users/alice', headers=bob).json
    assert 'roles' not in client.get('/api/v1/users/alice').json


def test_manage_grants_revokes_and_makes_api_keys(client, alice, environ):
    granted = manage(environ, 'grant', 'alice', 'analyst')
    assert granted.returncode == 0 and 'now has the role analyst' in granted.stdout
    assert RoleController().roles_of(1) == ['analyst']
    unknown = manage(environ, 'grant', 'alice', 'admin')
    assert unknown.returncode != 0 and 'analyst' in unknown.stderr
    assert manage(environ, 'revoke', 'alice', 'analyst').returncode == 0
    assert RoleController().roles_of(1) == []
    made = manage(environ, 'apikey', 'create', 'nightly')
    key = made.stdout.strip()
    assert made.returncode == 0 and key.startswith('wak_') and 'once' in made.stderr
    assert ApiKeyController().resolve(key) == {'api_key': 'nightly'}
    assert 'nightly' in manage(environ, 'apikey', 'list').stdout
    assert key not in manage(environ, 'apikey', 'list').stdout
    assert manage(environ, 'apikey', 'revoke', 'nightly').returncode == 0
    assert ApiKeyController().resolve(key) is None
