"""Set-up: the locks decide what goes to lib/vendor and env/, and a second run installs nothing."""
import os
import subprocess
import time

from lib import bootstrap
from tests.harness.servers import ROOT


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


def test_package_lists_older_than_what_is_installed_are_stale(tmp_path):
    lists, status = tmp_path / 'lists', tmp_path / 'status'
    lists.mkdir()
    status.write_text('')
    assert bootstrap.apt_lists_stale(lists, status)  # no lists at all
    packages = lists / 'deb_dists_bookworm_main_binary-amd64_Packages.lz4'
    packages.write_text('')
    assert not bootstrap.apt_lists_stale(lists, status)
    older = status.stat().st_mtime - 3600
    os.utime(packages, (older, older))
    assert bootstrap.apt_lists_stale(lists, status)  # installed packages are newer


def test_package_lists_older_than_a_day_are_stale(tmp_path):
    packages = tmp_path / 'x_Packages'
    packages.write_text('')
    day_ago = time.time() - bootstrap.APT_LISTS_MAX_AGE - 60
    os.utime(packages, (day_ago, day_ago))
    assert bootstrap.apt_lists_stale(tmp_path, tmp_path / 'no-status')
