"""Package and deploy Warble with Fabric 3: `fab package`, `fab -H user@host[:port] deploy`.

A host keeps, under `--root` (default /srv/warble): `releases/<version>/` (unpacked tarballs, each
with `env` -> `envs/<lock hash>/` and `var` -> `shared/var/`), `shared/warble.env` (the host's
settings and secrets), `shared/log/`, and the links `current` and `previous`. How the host runs
its processes (`deploy.control`: systemd units, or pidfiles) comes from its own settings.
`python3 fabfile ...` is `fab ...` with the set-up done first (fabfile/__main__.py).
"""
from __future__ import annotations

import contextlib
import sys
from pathlib import Path

from fabric import task
from invoke.exceptions import Exit

from fabfile import release
from fabfile.deploy import (
    BUILD_ENV,
    CHECK_HOST,
    ROLES,
    UNPACK,
    Host,
    StepFailed,
    activate,
    claim_shard,
    control_of,
    prune,
    q,
)
from lib import bootstrap

DIST = bootstrap.ROOT / 'dist'
ROOT = '/srv/warble'
ROLE_HELP = {'role': 'web, worker or all (default)', 'root': f'layout root (default {ROOT})'}


@task
def package(c, version=''):
    """Build dist/warble-<version>.tar.gz of this checkout (version: `git describe`)."""
    bootstrap.ensure()
    try:
        tarball = release.build(DIST, version or None)
    except release.ReleaseError as exc:
        raise Exit(f'package: {exc}') from None
    print(f'{tarball} ({tarball.stat().st_size / 2**20:.1f} MiB)')


@task(help={**ROLE_HELP, 'package': 'tarball to deploy (default: build one now)'})
def deploy(c, role='all', root=ROOT, package=''):
    """Upload a release, build its virtualenv, migrate, switch `current`, reload and check."""
    host, names = Host(c, root), processes(role)
    try:
        tarball = Path(package) if package else release.build(DIST)
        version = release.read_version(tarball)
    except release.ReleaseError as exc:
        raise Exit(f'deploy: {exc}') from None
    host.say(f'deploying {version} ({role}) to {host.root}')
    unpacked = False  # True once this deploy has put releases/<version> in place
    try:
        with host.step('check the host'):
            host.run(CHECK_HOST.format(root=q(host.root), env=q(host.env_file),
                                       python='.'.join(map(str, sys.version_info[:2]))))
        with host.step(f'upload {tarball.name} ({tarball.stat().st_size / 2**20:.1f} MiB)'):
            upload = f'{host.root}/releases/.upload-{version}.tar.gz'
            c.put(str(tarball), upload)
        with host.step('unpack and verify') as notes:
            notes.append(host.run(UNPACK.format(releases=q(f'{host.root}/releases'),
                                                v=q(version), upload=q(upload))))
            unpacked = notes[-1] == 'unpacked'
        with host.step('virtualenv') as notes:
            notes.append(host.run(BUILD_ENV.format(root=q(host.root), v=q(version))))
        with host.step('ids shard') as notes:
            notes.append(f'shard {claim_shard(host, host.settings(version))}')
        if 'web' in names:
            with host.step('migrate'):
                host.warble('web', 'env/bin/python manage.py migrate', version)
        activate(host, version, names)
        with host.step('clean up old releases'):
            prune(host, host.settings()['deploy']['keep_releases'])
    except StepFailed as failure:
        with contextlib.suppress(StepFailed):
            if unpacked and host.link('current') != version:  # it never went live: remove it
                host.run(f'rm -rf {q(host.path(version))}')
        raise Exit(f'deploy of {version} failed: {failure}') from None
    host.say(f'{version} is live')


@task(help=ROLE_HELP)
def rollback(c, role='all', root=ROOT):
    """Switch back to the previous release and check its health."""
    host, names = Host(c, root), processes(role)
    with failing('rollback'):
        target = host.link('previous')
        if not target:
            raise StepFailed(f'no previous release under {host.root}')
        host.say(f'rolling back from {host.link("current")} to {target}')
        activate(host, target, names)
    host.say(f'{target} is live')


@task(help=ROLE_HELP)
def status(c, role='all', root=ROOT):
    """Show the releases, the state of each process and the health of the web server."""
    host, names = Host(c, root), processes(role)
    with failing(f'status of {host.name}'):
        releases = host.run(f'ls -1t {q(host.root)}/releases | grep -v "^\\." || true').split()
        current, previous = host.link('current'), host.link('previous')
        for name in releases:
            mark = ' (current)' if name == current else ' (previous)' if name == previous else ''
            host.say(f'release {name}{mark}')
        control = control_of(host, host.settings())
        for name in names:
            host.say(f'{name}: {control.state(name)}')
        if 'web' in names:
            host.say(host.warble('web', 'env/bin/python web.py check --timeout 0'))
        if 'rpc' in names:
            host.say(host.warble('web', 'env/bin/python rpc.py check --timeout 1 2>&1 || true'))


@task(help={'name': 'web, rpc, worker, beat or all (default)', 'lines': 'how many (default 50)',
            'root': ROLE_HELP['root']})
def logs(c, name='all', lines=50, root=ROOT):
    """Print the last lines of the web, rpc, worker and beat logs."""
    host = Host(c, root)
    names = ROLES['all'] if name == 'all' else (name,)
    if not set(names) <= set(ROLES['all']):
        raise Exit(f'--name must be web, rpc, worker, beat or all, not {name!r}')
    files = ' '.join(q(f'{host.root}/shared/log/{each}.log') for each in names)
    with failing(f'logs of {host.name}'):
        print(host.run(f'tail -n {int(lines)} {files}'))


@task(help={'root': ROLE_HELP['root']})
def migrate(c, root=ROOT):
    """Apply pending migrations with the current release."""
    host = Host(c, root)
    with failing('migrate'), host.step('migrate') as notes:
        notes.append(host.warble('web', 'env/bin/python manage.py migrate'))


def processes(role: str) -> tuple[str, ...]:
    """The processes of a role: web (gunicorn and the gRPC server), worker and beat (Celery), or
    all of them."""
    if role not in ROLES:
        raise Exit(f'--role must be one of {", ".join(ROLES)}, not {role!r}')
    return ROLES[role]


@contextlib.contextmanager
def failing(what: str):
    """Turn a failed step into Fabric's exit: the message on stderr and status 1."""
    try:
        yield
    except StepFailed as failure:
        raise Exit(f'{what} failed: {failure}') from None

