"""Set-up: the locks decide what goes to lib/vendor and env/, and a second run installs nothing."""
import subprocess

from lib import bootstrap
from tests.servers import ROOT


def test_second_setup_with_unchanged_locks_installs_nothing():
    done = subprocess.run(['python3', '-m', 'lib.bootstrap', '--tests'], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert 'installing' not in done.stderr, done.stderr


def test_pure_python_packages_are_vendored_and_compiled_ones_live_in_env():
    vendored = {path.name for path in bootstrap.VENDOR.iterdir()}
    assert {'bottle.py', 'peewee.py', 'celery', 'redis', 'gunicorn'} <= vendored
    assert not {'gevent', 'greenlet', 'psycopg_binary'} & vendored
    site = next((bootstrap.ENV / 'lib').glob('python3*/site-packages'))
    assert (site / 'gevent').is_dir() and (site / 'psycopg_binary').is_dir()


def test_lock_entries_join_continuations_and_keep_markers(tmp_path):
    lock = tmp_path / 'x.lock'
    lock.write_text('# header\nFoo_Bar==1.0 \\\n    --hash=sha256:aa\n'
                    "dep==2 ; python_version < '3.12' \\\n    --hash=sha256:bb\n"
                    "dep==3 ; python_version >= '3.12' \\\n    --hash=sha256:cc\n    # via foo\n")
    entries = bootstrap.lock_entries(lock)
    assert set(entries) == {'foo-bar', 'dep'}
    assert '--hash=sha256:aa' in entries['foo-bar']
    assert entries['dep'].count('\n') == 1 and 'sha256:cc' in entries['dep']


def test_every_front_end_file_is_installed():
    for package, files in bootstrap.FRONT_END_FILES.items():
        for name in files:
            assert (bootstrap.STATIC_VENDOR / package / name.split('/')[-1]).stat().st_size > 1000
