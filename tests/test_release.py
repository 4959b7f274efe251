"""The version Warble reports, and the release tarball's rules."""
from __future__ import annotations

import io
import subprocess
import tarfile

import pytest

from fabfile import release
from lib.version import UNKNOWN, describe, version


def test_version_comes_from_the_release_version_file(tmp_path):
    (tmp_path / 'VERSION').write_text('2.3.4-5-gabcdef0\n')
    assert version(tmp_path) == '2.3.4-5-gabcdef0'


def test_version_of_a_checkout_is_git_describe(tmp_path):
    git = ['git', '-c', 'user.name=W', '-c', 'user.email=w@w', '-C', str(tmp_path)]
    subprocess.run([*git, 'init', '-q'], check=True)
    (tmp_path / 'app.py').write_text('')
    subprocess.run([*git, 'add', '-A'], check=True)
    subprocess.run([*git, 'commit', '-q', '-m', 'one'], check=True)
    subprocess.run([*git, 'tag', '3.0.0'], check=True)
    assert version(tmp_path) == '3.0.0'
    (tmp_path / 'app.py').write_text('changed')
    assert describe(tmp_path) == '3.0.0-dirty'


def test_version_outside_git_and_release_is_unknown(tmp_path):
    assert describe(tmp_path) == UNKNOWN


def test_package_refuses_a_version_unfit_for_a_directory(tmp_path):
    with pytest.raises(release.ReleaseError, match='not usable as a directory name'):
        release.build(tmp_path, '../1.0')


def test_a_tarball_without_version_first_is_not_a_release(tmp_path):
    tarball = tmp_path / 'other.tar.gz'
    with tarfile.open(tarball, 'w:gz') as tar:
        info = tarfile.TarInfo('other/README')
        info.size = 2
        tar.addfile(info, io.BytesIO(b'hi'))
    with pytest.raises(release.ReleaseError, match='not a Warble release'):
        release.read_version(tarball)
