"""`manage.py`: migrate, createuser, routes; each command has --help."""
import subprocess

import pytest

from models.users import User
from tests.harness.servers import PYTHON, ROOT


def manage(environ, *args, stdin=''):
    from lib.bootstrap import child_environ
    return subprocess.run([PYTHON, 'manage.py', *args], cwd=ROOT, input=stdin, text=True,
                          capture_output=True, env=child_environ(**environ), timeout=120)


def test_createuser_creates_a_user_with_a_hashed_password(settings, environ):
    done = manage(environ, 'createuser', 'carol', '--email', 'c@example.com', '--password-stdin',
                  stdin='long enough pw\n')
    assert done.returncode == 0, done.stderr
    user = User.by_username('CAROL')
    assert user.email == 'c@example.com'
    assert user.password_hash.startswith('$argon2id$') and 'long enough' not in user.password_hash


def test_createuser_refuses_a_taken_name_and_a_short_password(settings, environ):
    manage(environ, 'createuser', 'dave', '--email', 'd@example.com', '--password-stdin',
           stdin='quiet lantern orbit\n')
    taken = manage(environ, 'createuser', 'Dave', '--email', 'd@example.com', '--password-stdin',
                   stdin='quiet lantern orbit\n')
    assert taken.returncode != 0 and 'taken' in taken.stderr
    short = manage(environ, 'createuser', 'erin', '--email', 'e@example.com', '--password-stdin',
                   stdin='short\n')
    assert short.returncode != 0 and 'password: at least 8 characters' in short.stderr


def test_migrate_status_lists_applied_migrations(settings, environ):
    done = manage(environ, 'migrate', '--status')
    assert done.returncode == 0
    assert 'applied  0001_users' in done.stdout


def test_routes_lists_every_route(settings, environ):
    done = manage(environ, 'routes')
    assert 'GET     /status' in done.stdout and 'api.status.service_status' in done.stdout


@pytest.mark.parametrize('command', ['migrate', 'createuser', 'seed', 'import-citizens',
                                     'export-citizens', 'shell', 'routes', 'grant', 'revoke',
                                     'apikey'])
def test_every_command_has_help(command):
    done = subprocess.run([PYTHON, 'manage.py', command, '--help'], cwd=ROOT, text=True,
                          capture_output=True, timeout=60)
    assert done.returncode == 0 and f'usage: manage.py {command}' in done.stdout
