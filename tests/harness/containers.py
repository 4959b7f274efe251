"""Podman for the container tests: a Debian base image made from the archive, Warble's images
built on it, and the compose stack (compose.yaml) run by podman-compose.

No registry is reachable from the project's machines, so the base comes from `debootstrap
--variant=minbase` piped into `podman import`; the root file system is kept as a tarball under
var/containers/, one per suite and day, so later runs that day reuse it. Podman reads its
settings from etc/containers/containers.conf (runtime, cgroups, ulimits, network backend).
"""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from tests.harness.servers import ROOT, missing

CONF = ROOT / 'etc' / 'containers' / 'containers.conf'
CACHE = ROOT / 'var' / 'containers'
COMPOSE = ROOT / 'env' / 'bin' / 'podman-compose'
SUITE = 'bookworm'
TAG = 'test'  # what the tests build and run: one image, replaced by each build
MIRROR = 'http://deb.debian.org/debian'
# The host's trust store, handed to builds as a secret so that pip and npm inside reach their
# registries as the host does (a TLS-intercepting proxy's CA included).
CA_BUNDLE = Path('/etc/ssl/certs/ca-certificates.crt')
# Images of the stack besides Warble's own, each from etc/containers/<name>/Containerfile.
SERVICES = {'postgres': 'warble-postgres:15', 'redis': 'warble-redis:7',
            'nginx': 'warble-nginx:1.22'}

# What every image built on the base leaves out, as Debian's slim images do.
DPKG_SLIM = """\
path-exclude=/usr/share/doc/*
path-include=/usr/share/doc/*/copyright
path-exclude=/usr/share/man/*
path-exclude=/usr/share/info/*
path-exclude=/usr/share/locale/*
path-include=/usr/share/locale/locale.alias
path-exclude=/usr/share/lintian/*
"""
APT_SLIM = """\
APT::Install-Recommends "false";
Acquire::Languages "none";
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/*.bin || true"; };
"""
SOURCES = f"""\
deb {MIRROR} {SUITE} main
deb {MIRROR} {SUITE}-updates main
deb http://deb.debian.org/debian-security {SUITE}-security main
"""


def require() -> None:
    """Skip (fail in CI) unless this runs as root with Podman, runc, debootstrap and the runner."""
    if os.geteuid() != 0:
        missing('root (the container tests run Podman and debootstrap as root)')
    for tool in ('podman', 'runc', 'debootstrap', 'iptables'):
        if not shutil.which(tool):
            missing(tool)
    if not COMPOSE.exists():
        missing('podman-compose (requirements/test.lock)')


def environ(**extra: str) -> dict[str, str]:
    """The environment of a podman or podman-compose call: the project's Podman settings, and
    images in Docker's format (an OCI image drops its HEALTHCHECK)."""
    return {**os.environ, 'CONTAINERS_CONF': str(CONF), 'BUILDAH_FORMAT': 'docker', **extra}


def podman(*args: str, check: bool = True, timeout: float = 120) -> subprocess.CompletedProcess:
    found = subprocess.run(['podman', *args], env=environ(), capture_output=True, text=True,
                           timeout=timeout)
    if check and found.returncode != 0:
        raise RuntimeError(f'podman {" ".join(args)} failed ({found.returncode}):\n'
                           f'{found.stderr[-4000:]}')
    return found


def image_exists(tag: str) -> bool:
    return podman('image', 'exists', tag, check=False).returncode == 0


def base_image(day: dt.date | None = None) -> str:
    """`warble-base:<suite>-<yyyymmdd>`: Debian minbase from the archive, made once a day."""
    stamp = f'{SUITE}-{(day or dt.date.today()):%Y%m%d}'
    tag = f'localhost/warble-base:{stamp}'
    if image_exists(tag):
        return tag
    tarball = CACHE / f'base-{stamp}.tar'
    if not tarball.exists():
        make_root_tarball(tarball)
    with tarball.open('rb') as source:
        subprocess.run(['podman', 'import', '--change', 'CMD ["/bin/bash"]', '-', tag],
                       stdin=source, env=environ(), check=True, capture_output=True)
    for line in podman('images', '--format', '{{.Repository}}:{{.Tag}}',
                       'localhost/warble-base').stdout.split():
        if line != tag:  # an older day's base; kept while an image still uses it
            podman('rmi', line, check=False)
    return tag


def make_root_tarball(tarball: Path) -> None:
    """debootstrap into a scratch folder, slim it, and keep it as `tarball` (older ones go)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=CACHE, prefix='.debootstrap-') as scratch:
        root = Path(scratch) / 'root'
        subprocess.run(['debootstrap', '--variant=minbase', SUITE, str(root), MIRROR],
                       check=True, capture_output=True)
        slim(root)
        partial = tarball.with_suffix('.partial')
        subprocess.run(['tar', '--numeric-owner', '-C', str(root), '-cf', str(partial), '.'],
                       check=True)
        partial.replace(tarball)
    for old in CACHE.glob(f'base-{SUITE}-*.tar'):
        if old != tarball:
            old.unlink()


def slim(root: Path) -> None:
    (root / 'etc/dpkg/dpkg.cfg.d/01-slim').write_text(DPKG_SLIM)
    (root / 'etc/apt/apt.conf.d/01-slim').write_text(APT_SLIM)
    (root / 'etc/apt/sources.list').write_text(SOURCES)
    for pattern in ('var/cache/apt/archives/*.deb', 'var/cache/apt/*.bin', 'var/lib/apt/lists/*',
                    'usr/share/doc/*', 'usr/share/man/*', 'usr/share/info/*',
                    'usr/share/locale/*', 'var/log/*.log', 'var/log/apt/*'):
        for path in root.glob(pattern):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()


def build(tag: str, context: Path, base: str, **args: str) -> None:
    """`podman build` of `context` on `base`; the layer cache makes a rebuild quick."""
    command = ['build', '--tag', tag, '--build-arg', f'BASE={base}']
    for name, value in args.items():
        command += ['--build-arg', f'{name}={value}']
    if CA_BUNDLE.exists():
        command += ['--secret', f'id=ca-certificates,src={CA_BUNDLE}']
    podman(*command, str(context), timeout=1800)


def build_all(base: str, version: str, tag: str = TAG) -> str:
    """Warble's image (`warble:<tag>`, stamped `version`) and the stack's other images, all on
    `base`; Warble's image name."""
    tag = f'localhost/warble:{tag}'
    build(tag, ROOT, base, VERSION=version)
    for name, service_tag in SERVICES.items():
        build(f'localhost/{service_tag}', ROOT / 'etc' / 'containers' / name, base)
    return tag


def image_size(tag: str) -> int:
    return int(podman('image', 'inspect', '--format', '{{.Size}}', tag).stdout.strip())


class Stack:
    """compose.yaml run by podman-compose as project `name`; `down()` removes every container,
    network and volume it made, also after a failed start."""

    def __init__(self, name: str, settings: dict[str, str]):
        self.name = name
        self.settings = settings

    def compose(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
        return subprocess.run([str(COMPOSE), '-p', self.name, '-f', str(ROOT / 'compose.yaml'),
                               *args], cwd=ROOT, env=environ(**self.settings),
                              capture_output=True, text=True, timeout=timeout)

    def up(self) -> None:
        self.down()
        started = self.compose('up', '-d')
        if started.returncode != 0:
            raise RuntimeError(f'podman-compose up failed:\n{started.stdout[-3000:]}\n'
                               f'{started.stderr[-3000:]}')

    def down(self) -> None:
        """Stop and remove the stack's containers with their anonymous volumes (the images'
        VOLUMEs, which `compose down -v` leaves), then its pod, network and named volumes."""
        label = f'label=io.podman.compose.project={self.name}'
        remove(*podman('ps', '-a', '-q', '--filter', label, check=False).stdout.split())
        self.compose('down', '-v', '-t', '10')
        podman('pod', 'rm', '-f', '--ignore', f'pod_{self.name}', check=False)
        for ident in podman('volume', 'ls', '-q', '--filter', label, check=False).stdout.split():
            podman('volume', 'rm', '-f', ident, check=False)
        podman('network', 'rm', '-f', self.network(), check=False)

    def container(self, service: str) -> str:
        """The name of the service's (first) container."""
        found = podman('ps', '-a', '--format', '{{.Names}}', '--filter',
                       f'label=io.podman.compose.project={self.name}', '--filter',
                       f'label=com.docker.compose.service={service}').stdout.split()
        if not found:
            raise LookupError(f'no container of {service} in {self.name}')
        return found[0]

    def network(self) -> str:
        return f'{self.name}_default'

    def exec(self, service: str, *command: str) -> str:
        return podman('exec', self.container(service), *command).stdout

    def inspect(self, service: str) -> dict:
        return json.loads(podman('inspect', self.container(service)).stdout)[0]

    def logs(self) -> str:
        """The last lines each container wrote, for a failed test's report."""
        parts = []
        for line in podman('ps', '-a', '--format', '{{.Names}}', '--filter',
                           f'label=io.podman.compose.project={self.name}').stdout.split():
            parts.append(f'--- {line}\n{podman("logs", "--tail", "30", line, check=False).stderr}'
                         f'{podman("logs", "--tail", "30", line, check=False).stdout}')
        return '\n'.join(parts)


def remove(*containers: str, grace: float = 10) -> None:
    """Stop (SIGTERM, then SIGKILL after `grace` seconds) and remove containers, those that
    depend on them, and every volume they mounted: `podman rm --volumes` misses some."""
    if not containers:
        return
    volumes = podman('inspect', '--format',
                     '{{range .Mounts}}{{if eq .Type "volume"}}{{.Name}} {{end}}{{end}}',
                     *containers, check=False).stdout.split()
    podman('rm', '--force', '--depend', '--volumes', '--time', str(int(grace)), *containers,
           check=False)
    for volume in volumes:
        podman('volume', 'rm', '--force', volume, check=False)


def wait_until(check, timeout: float, what: str, interval: float = 0.5):
    """Poll `check` until it returns something true; that value, or TimeoutError naming `what`."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = check()
            if value:
                return value
        except Exception:  # noqa: BLE001 - not there yet
            if time.monotonic() >= deadline:
                raise
        if time.monotonic() >= deadline:
            raise TimeoutError(f'{what} within {timeout:g} s')
        time.sleep(interval)
