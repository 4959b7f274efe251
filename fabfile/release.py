"""Release tarballs: the code of a checkout with its installed dependencies, ready to unpack.

A release holds the project files, `lib/vendor/` (pure-Python packages), `static/vendor/`, the
gRPC modules generated from `proto/`, the
locks, the compiled packages of `runtime.lock` as wheels in `wheels/` (so a server builds its
virtualenv without a package index), `VERSION`, and `MANIFEST` (`sha256sum -c` format).
"""
from __future__ import annotations

import hashlib
import io
import re
import subprocess
import tarfile
import time
from pathlib import Path

from lib import bootstrap
from lib.version import describe

ROOT = bootstrap.ROOT
# Project files a server does not run.
LEFT_OUT = ('tests/', 'bench/', '.ci/', 'puppet/', 'Vagrantfile', 'fabfile/', '.gitignore')
INSTALLED = ('lib/vendor', 'static/vendor', 'api/rpc/generated')
# lib/vendor/bin holds console scripts bound to this machine's interpreter.
LEFT_OUT_INSTALLED = ('lib/vendor/bin/', 'lib/vendor/.complete')
VERSION_PATTERN = re.compile(r'[A-Za-z0-9][A-Za-z0-9._+-]*')
PIN = re.compile(r'([A-Za-z0-9_.-]+)==([^\s;]+)')


class ReleaseError(Exception):
    """The release cannot be built; the message says what is missing."""


def project_files(root: Path = ROOT) -> list[str]:
    """Tracked and new (not ignored) files of the checkout, less what a server does not run."""
    listed = subprocess.run(['git', 'ls-files', '--cached', '--others', '--exclude-standard'],
                            cwd=root, capture_output=True, text=True)
    if listed.returncode != 0:
        raise ReleaseError(f'git ls-files failed in {root}: {listed.stderr.strip()}')
    return sorted(name for name in listed.stdout.splitlines()
                  if not name.startswith(LEFT_OUT) and (root / name).is_file())


def installed_files(root: Path = ROOT) -> list[str]:
    """Files of lib/vendor, static/vendor and the generated gRPC modules, as lib.bootstrap
    installs them."""
    names = []
    for folder in INSTALLED:
        base = (root / folder).resolve()
        for path in base.rglob('*'):
            name = f'{folder}/{path.relative_to(base).as_posix()}'
            if path.is_file() and not name.startswith(LEFT_OUT_INSTALLED) \
                    and '__pycache__' not in path.parts:
                names.append(name)
    return sorted(names)


def compiled_wheels() -> tuple[list[Path], str]:
    """The platform wheels pinned by runtime.lock and the hashed requirements that install them."""
    _pure, compiled = bootstrap.split_by_wheel(
        bootstrap.lock_entries(bootstrap.LOCKS / 'runtime.lock'))
    files = []
    for entry in compiled:
        name, version = PIN.match(entry).groups()
        prefix = f'{re.sub(r"[-_.]+", "_", name).lower()}-{version}-'
        found = [wheel for wheel in bootstrap.WHEELS.glob('*.whl')
                 if wheel.name.lower().startswith(prefix)]
        if not found:
            raise ReleaseError(f'no wheel of {name}=={version} in {bootstrap.WHEELS}: '
                               'run python3 -m lib.bootstrap')
        files.extend(found)
    return sorted(files), '\n'.join(compiled) + '\n'


def build(dist: Path, version: str | None = None) -> Path:
    """Write `dist/warble-<version>.tar.gz` of this checkout and return its path."""
    version = version or describe(ROOT)
    if not VERSION_PATTERN.fullmatch(version):
        raise ReleaseError(f'version {version!r} is not usable as a directory name')
    wheels, requirements = compiled_wheels()
    members = {name: ROOT / name for name in project_files() + installed_files()}
    members.update({f'wheels/{wheel.name}': wheel for wheel in wheels})
    generated = {'wheels/requirements.txt': requirements.encode(),
                 'VERSION': f'{version}\n'.encode()}
    sums = [f'{_sha256(path.read_bytes())}  {name}' for name, path in members.items()]
    sums += [f'{_sha256(data)}  {name}' for name, data in generated.items()]
    generated['MANIFEST'] = ('\n'.join(sorted(sums, key=lambda line: line[66:])) + '\n').encode()
    dist.mkdir(parents=True, exist_ok=True)
    target = dist / f'warble-{version}.tar.gz'
    partial = target.with_name(target.name + '.partial')
    top = f'warble-{version}'
    with tarfile.open(partial, 'w:gz', compresslevel=6) as tar:
        for name in ('VERSION', 'MANIFEST', 'wheels/requirements.txt'):  # VERSION first: see below
            info = tarfile.TarInfo(f'{top}/{name}')
            info.size, info.mode, info.mtime = len(generated[name]), 0o644, time.time()
            tar.addfile(info, io.BytesIO(generated[name]))
        for name, path in sorted(members.items()):
            tar.add(path, f'{top}/{name}', recursive=False)
    partial.replace(target)
    return target


def read_version(tarball: Path) -> str:
    """The version stamped in a release tarball (its first member)."""
    try:
        with tarfile.open(tarball, 'r:gz') as tar:
            first = tar.next()
            if first is None or not first.name.endswith('/VERSION'):
                raise ReleaseError(f'{tarball} is not a Warble release (no VERSION first)')
            return tar.extractfile(first).read().decode().strip()
    except (OSError, tarfile.TarError) as exc:
        raise ReleaseError(f'cannot read {tarball}: {exc}') from None


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
