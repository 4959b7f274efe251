"""Set-up: install Warble's pinned dependencies where the design card puts them.

Pure-Python wheels of `requirements/runtime.lock` go to `lib/vendor/`, compiled ones to the
`env/` virtualenv, front-end packages from `package-lock.json` to `static/vendor/`; the gRPC
modules are generated from `proto/` into `api/rpc/generated/` (ignored; releases ship them).
Each step keeps a stamp of what it installed or generated from, so a second run with nothing
changed does nothing.
Stdlib only: this runs before any dependency exists.
"""
from __future__ import annotations

import argparse
import glob
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = ROOT / 'env'
VENDOR = ROOT / 'lib' / 'vendor'
STATIC_VENDOR = ROOT / 'static' / 'vendor'
WHEELS = ROOT / 'var' / 'wheels'
LOCKS = ROOT / 'requirements'
PROTOS = ROOT / 'proto'
GRPC_MODULES = ROOT / 'api' / 'rpc' / 'generated'
ENV_PYTHON = ENV / 'bin' / 'python'

# Files copied from node_modules into static/vendor: package -> files inside it.
FRONT_END_FILES = {
    'knockout': ['build/output/knockout-latest.js'],
    'knockout-secure-binding': ['dist/knockout-secure-binding.min.js'],
    'zepto': ['dist/zepto.min.js'],
    'chart.js': ['dist/chart.umd.min.js'],
    'swagger-ui-dist': ['swagger-ui-bundle.js', 'swagger-ui.css'],
}


def say(message: str) -> None:
    print(f'[setup] {message}', file=sys.stderr, flush=True)


def run(*command: str | Path, **kwargs) -> None:
    subprocess.run([str(part) for part in command], check=True, **kwargs)


def digest(*paths: Path) -> str:
    sha = hashlib.sha256()
    for path in paths:
        sha.update(path.read_bytes())
    return sha.hexdigest()


def stamped(stamp: Path, value: str) -> bool:
    return stamp.exists() and stamp.read_text() == value


def search_path() -> list[str]:
    """What must come first on sys.path: lib/, lib/vendor/ and the project root."""
    return [str(ROOT / 'lib'), str(VENDOR), str(ROOT)]


def child_environ(**extra: str) -> dict[str, str]:
    """The environment for a Warble child process run by `env/bin/python`."""
    environ = dict(os.environ, **extra)
    environ['PYTHONPATH'] = os.pathsep.join(search_path())
    return environ


APT_LISTS = Path('/var/lib/apt/lists')
DPKG_STATUS = Path('/var/lib/dpkg/status')
APT_LISTS_MAX_AGE = 24 * 3600


def apt_install(packages: list[str]) -> None:
    """Install Debian packages when running as root on a Debian-like system.

    Package lists older than a day, or older than what is already installed, cannot resolve
    the dependencies of security updates, so they are refreshed first. One package the
    archive cannot install does not block the others: they go one by one after a failed
    transaction, and what is still missing is named in one line.
    """
    if not packages:
        return
    if os.geteuid() != 0 or not shutil.which('apt-get'):
        sys.exit(f'[setup] missing system packages: {" ".join(packages)} (install them as root)')
    if apt_lists_stale():
        say('apt-get update (the package lists are missing or stale)')
        _apt('update')
    say(f'apt-get install {" ".join(packages)}')
    if _apt('install', *packages):
        return
    say('apt-get update, then one package at a time')
    _apt('update')
    missing = [package for package in packages if not _apt('install', package)]
    if missing:
        say(f'could not install: {" ".join(missing)} (the tests that need them will fail)')


def apt_lists_stale(lists: Path = APT_LISTS, status: Path = DPKG_STATUS) -> bool:
    """True when no package list is newer than a day and than the installed packages."""
    newest = max((path.stat().st_mtime for path in lists.glob('*Packages*')), default=0)
    installed = status.stat().st_mtime if status.exists() else 0
    return newest < max(installed, time.time() - APT_LISTS_MAX_AGE)


def _apt(*args: str) -> bool:
    environ = dict(os.environ, DEBIAN_FRONTEND='noninteractive')
    command = ['apt-get', '-y', '-q', '--no-install-recommends', *args]
    return subprocess.run(command, env=environ).returncode == 0


def _deb_installed(name: str) -> bool:
    found = subprocess.run(['dpkg-query', '-W', '-f=${Status}', name],
                           capture_output=True, text=True)
    return found.returncode == 0 and 'ok installed' in found.stdout


def debian_packages(group: str) -> list[str]:
    """Packages under `[group]` in requirements/debian.txt whose program is not here yet.

    A line is `package [program]`: the program is a command name or a path pattern; without
    one, the package itself is looked up.
    """
    packages, current = [], None
    for line in (LOCKS / 'debian.txt').read_text().splitlines():
        line = line.split('#', 1)[0].strip()
        if line.startswith('['):
            current = line.strip('[]')
        elif line and current == group:
            package, _, program = line.partition(' ')
            if not _present(package, program.strip()):
                packages.append(package)
    return packages


def _present(package: str, program: str) -> bool:
    if not program:
        return _deb_installed(package)
    if '/' in program:
        return bool(glob.glob(program))
    return shutil.which(program) is not None


def ensure_virtualenv() -> None:
    if ENV_PYTHON.exists():
        return
    say(f'creating the virtualenv {ENV.relative_to(ROOT)}/')
    if subprocess.run([sys.executable, '-m', 'venv', str(ENV)]).returncode != 0:
        shutil.rmtree(ENV, ignore_errors=True)
        apt_install([f'python{sys.version_info.major}.{sys.version_info.minor}-venv'])
        run(sys.executable, '-m', 'venv', ENV)


def lock_entries(lock: Path) -> dict[str, str]:
    """Map each normalised package name of a hashed lock to its whole entry."""
    text = lock.read_text().replace('\\\n', ' ')
    entries = {}
    for line in text.splitlines():
        line = line.split(' #', 1)[0].strip()
        if line and not line.startswith('#'):
            name = _normalise(re.split(r'[=<>; ]', line, maxsplit=1)[0])
            entries.setdefault(name, []).append(line)
    return {name: '\n'.join(lines) for name, lines in entries.items()}


def _normalise(name: str) -> str:
    return re.sub(r'[-_.]+', '-', name).lower()


def _pip(*args: str | Path) -> None:
    run(ENV_PYTHON, '-m', 'pip', '--disable-pip-version-check', '-qq', *args)


def install_runtime() -> None:
    """Install runtime.lock: pure wheels into lib/vendor, compiled ones into env/."""
    lock = LOCKS / 'runtime.lock'
    stamp = ENV / 'runtime.lock.sha256'
    if stamped(stamp, digest(lock)) and (VENDOR / '.complete').exists():
        return
    say('installing requirements/runtime.lock')
    WHEELS.mkdir(parents=True, exist_ok=True)
    _pip('download', '--require-hashes', '--no-deps', '--only-binary=:all:',
         '-r', lock, '-d', WHEELS)
    pure, compiled = split_by_wheel(lock_entries(lock))
    shutil.rmtree(VENDOR, ignore_errors=True)
    for target, entries in (('vendor', pure), ('compiled', compiled)):
        subset = WHEELS / f'{target}.txt'
        subset.write_text('\n'.join(entries) + '\n')
        where = ('--target', VENDOR) if target == 'vendor' else ()
        _pip('install', '--require-hashes', '--no-deps', '--no-index',
             '--find-links', WHEELS, *where, '-r', subset)
    (VENDOR / '.complete').write_text(digest(lock))
    stamp.write_text(digest(lock))


def split_by_wheel(entries: dict[str, str]) -> tuple[list[str], list[str]]:
    """Split lock entries by the wheel pip downloaded: `none-any` is pure Python."""
    tags = {}
    for wheel in WHEELS.glob('*.whl'):
        name, _version, rest = wheel.name.split('-', 2)
        tags.setdefault(_normalise(name), set()).add(rest.endswith('-none-any.whl'))
    pure, compiled = [], []
    for name, entry in entries.items():
        if name in tags:
            (pure if all(tags[name]) else compiled).append(entry)
    return pure, compiled


def install_tests() -> None:
    lock = LOCKS / 'test.lock'
    stamp = ENV / 'test.lock.sha256'
    if stamped(stamp, digest(lock)):
        return
    say('installing requirements/test.lock')
    _pip('install', '--require-hashes', '--no-deps', '--only-binary=:all:', '-r', lock)
    stamp.write_text(digest(lock))


def install_front_end() -> None:
    """npm ci from package-lock.json, then copy the files the pages load into static/vendor."""
    lock = ROOT / 'package-lock.json'
    stamp = STATIC_VENDOR / '.package-lock.sha256'
    if stamped(stamp, digest(lock)):
        return
    if not shutil.which('npm'):
        apt_install(debian_packages('front-end'))
    say('installing package-lock.json into static/vendor/')
    run('npm', 'ci', '--ignore-scripts', '--no-audit', '--no-fund', '--silent', cwd=ROOT)
    shutil.rmtree(STATIC_VENDOR, ignore_errors=True)
    for package, files in FRONT_END_FILES.items():
        for name in files:
            target = STATIC_VENDOR / package / Path(name).name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / 'node_modules' / package / name, target)
    stamp.write_text(digest(lock))


def generate_grpc() -> None:
    """Generate the gRPC messages and stubs of `proto/` into api/rpc/generated/ (with
    grpc_tools, of the runtime lock) when the protos or the lock changed since the last run."""
    protos = sorted(PROTOS.rglob('*.proto'))
    stamp = GRPC_MODULES / '.protos.sha256'
    wanted = digest(LOCKS / 'runtime.lock', *protos)
    if stamped(stamp, wanted):
        return
    say('generating the gRPC modules of proto/ into api/rpc/generated/')
    shutil.rmtree(GRPC_MODULES, ignore_errors=True)
    GRPC_MODULES.mkdir(parents=True)
    run(ENV_PYTHON, '-m', 'grpc_tools.protoc', f'-I{PROTOS}', f'--python_out={GRPC_MODULES}',
        f'--grpc_python_out={GRPC_MODULES}', *protos, env=child_environ())
    stamp.write_text(wanted)


def ensure(tests: bool = False, system: bool = False) -> None:
    """Bring env/, lib/vendor/ and static/vendor/ up to date with the locks."""
    if system:
        apt_install(debian_packages('test'))
    ensure_virtualenv()
    install_runtime()
    generate_grpc()
    if tests:
        install_tests()
    install_front_end()


def use_vendor() -> None:
    """Put lib/, lib/vendor/ and the project root first on sys.path."""
    sys.path[:0] = [path for path in search_path() if path not in sys.path]


def reexec_in_env() -> None:
    """Run the current script again under env/bin/python unless already there."""
    if Path(sys.prefix).resolve() != ENV.resolve():
        os.execve(ENV_PYTHON, [str(ENV_PYTHON), *sys.argv], child_environ())
    use_vendor()


def prepare(tests: bool = False) -> None:
    """For the command-line entry points: install what is missing (with `tests`, the test
    packages too, as the benchmarks need), then run inside env/."""
    if Path(sys.prefix).resolve() != ENV.resolve():
        ensure(tests=tests)
    reexec_in_env()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--tests', action='store_true', help='also install the test tools')
    parser.add_argument('--system', action='store_true',
                        help='also install the Debian packages the tests need (as root)')
    args = parser.parse_args()
    ensure(tests=args.tests, system=args.system)


if __name__ == '__main__':
    main()
