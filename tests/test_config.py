"""Settings: defaults, role overlays, environment overrides, and the errors that stop start-up."""
import json

import pytest

from lib import config


@pytest.fixture
def etc(tmp_path):
    (tmp_path / 'config.json').write_text(json.dumps({
        'server': {'port': 8080, 'debug': False, 'ratio': 0.5, 'hosts': ['a']},
        'mail': {'password': '', 'host': 'localhost'},
    }))
    (tmp_path / 'web.json').write_text(json.dumps({'server': {'port': 8000}}))
    return tmp_path


def test_defaults_are_read_with_attribute_access(etc):
    settings = config.load({}, etc)
    assert settings.server.port == 8080
    assert settings.mail.host == 'localhost'
    assert settings.role == 'default'


def test_role_overlay_is_merged_over_the_defaults(etc):
    settings = config.load({'WARBLE_ROLE': 'web'}, etc)
    assert settings.server.port == 8000
    assert settings.server.ratio == 0.5


def test_environment_overrides_single_values_with_types(etc):
    settings = config.load({'WARBLE_ROLE': 'web', 'WARBLE_SERVER_PORT': '9000',
                            'WARBLE_SERVER_DEBUG': 'true', 'WARBLE_SERVER_RATIO': '2',
                            'WARBLE_SERVER_HOSTS': 'x, y'}, etc)
    assert (settings.server.port, settings.server.debug) == (9000, True)
    assert settings.server.ratio == 2.0 and settings.server.hosts == ['x', 'y']


@pytest.mark.parametrize('variable, value, message', [
    ('WARBLE_SERVER_PORT', 'eighty', 'server.port: expected int'),
    ('WARBLE_SERVER_DEBUG', 'maybe', 'server.debug: expected bool'),
    ('WARBLE_SERVER_NOPE', '1', 'server.nope: unknown key'),
    ('WARBLE_NOPE_PORT', '1', 'nope.port: unknown key'),
])
def test_bad_environment_values_name_the_key(etc, variable, value, message):
    with pytest.raises(config.ConfigError, match=message):
        config.load({variable: value}, etc)


def test_unknown_key_in_an_overlay_names_the_key(etc):
    (etc / 'web.json').write_text(json.dumps({'server': {'prot': 1}}))
    with pytest.raises(config.ConfigError, match=r'server\.prot: unknown key in web\.json'):
        config.load({'WARBLE_ROLE': 'web'}, etc)


def test_wrong_type_in_an_overlay_names_the_key(etc):
    (etc / 'web.json').write_text(json.dumps({'server': {'port': '8000'}}))
    with pytest.raises(config.ConfigError, match=r'server\.port: expected int, got str'):
        config.load({'WARBLE_ROLE': 'web'}, etc)


def test_booleans_are_not_integers(etc):
    (etc / 'web.json').write_text(json.dumps({'server': {'port': True}}))
    with pytest.raises(config.ConfigError, match='server.port: expected int, got bool'):
        config.load({'WARBLE_ROLE': 'web'}, etc)


def test_missing_role_overlay_is_an_error(etc):
    with pytest.raises(config.ConfigError, match="no overlay .*nope.json"):
        config.load({'WARBLE_ROLE': 'nope'}, etc)


def test_secrets_come_from_the_environment_or_a_named_file(etc, tmp_path):
    assert config.load({'WARBLE_MAIL_PASSWORD': 's3cret'}, etc).mail.password == 's3cret'
    secret = tmp_path / 'secret.txt'
    secret.write_text('from-file\n')
    settings = config.load({'WARBLE_MAIL_PASSWORD_FILE': str(secret)}, etc)
    assert settings.mail.password == 'from-file'


def test_a_secret_in_a_committed_file_is_refused(etc):
    (etc / 'web.json').write_text(json.dumps({'mail': {'password': 'oops'}}))
    with pytest.raises(config.ConfigError, match='mail.password: secrets come from the env'):
        config.load({'WARBLE_ROLE': 'web'}, etc)


def test_settings_are_read_only(etc):
    settings = config.load({}, etc)
    with pytest.raises(AttributeError):
        settings.server.port = 1


def test_the_shipped_files_load_for_every_role():
    for role in ('', 'web', 'worker', 'test'):
        settings = config.load({'WARBLE_ROLE': role} if role else {})
        assert settings.database.url
