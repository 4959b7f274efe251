"""Deploy steps on one host over an SSH connection, and the two ways a host runs its processes.

The tasks of `fabfile/__init__.py` drive them. A step prints its progress and, when it fails,
raises StepFailed naming the host and the step. Process control is chosen by the host's
`deploy.control` setting: its systemd units (production, as Puppet installs them) or pidfiles
(hosts without systemd).
"""
from __future__ import annotations

import contextlib
import json
import shlex
import time

ROLES = {'web': ('web', 'rpc'), 'worker': ('worker', 'beat'),
         'all': ('web', 'rpc', 'worker', 'beat')}


class StepFailed(Exception):
    """A deploy step failed on a host; the message names both and says why."""


class Host:
    """One target host: its paths, and steps that report progress and name host and step."""

    def __init__(self, c, root: str):
        self.c, self.root, self.name = c, root.rstrip('/'), f'{c.user}@{c.host}:{c.port}'
        self.env_file = f'{self.root}/shared/warble.env'

    def say(self, message: str) -> None:
        print(f'[{self.name}] {message}', flush=True)

    @contextlib.contextmanager
    def step(self, label: str):
        """Print `label`, then `ok` with the time taken and any notes the step appended."""
        print(f'[{self.name}] {label} ...', end=' ', flush=True)
        started, notes = time.monotonic(), []
        try:
            yield notes
        except StepFailed as failure:
            print('failed', flush=True)
            raise StepFailed(f'[{self.name}] {label} failed: {failure}') from None
        print(f'ok ({time.monotonic() - started:.1f} s)' + ''.join(f'; {note}' for note in notes),
              flush=True)

    def run(self, command: str) -> str:
        result = self.c.run(command, hide=True, warn=True, in_stream=False)
        if result.failed:
            lines = (result.stderr.strip() or result.stdout.strip()).splitlines()
            raise StepFailed(' | '.join(lines[-3:]) or f'exit status {result.exited}')
        return result.stdout.strip()

    def warble(self, role: str, command: str, where: str = 'current') -> str:
        """Run `command` in a release with the host's environment file and WARBLE_ROLE=role."""
        return self.run(f'set -a && . {q(self.env_file)} && set +a && export WARBLE_ROLE={role} '
                        f'&& cd {q(self.path(where))} && {command}')

    def path(self, where: str) -> str:
        return f'{self.root}/{where}' if where in ('current', 'previous') else \
            f'{self.root}/releases/{where}'

    def link(self, name: str) -> str | None:
        """The release the `current` or `previous` link points to."""
        target = self.run(f'readlink {q(self.path(name))} || true')
        return target.rsplit('/', 1)[-1] or None

    def set_link(self, name: str, version: str) -> None:
        """Point `name` at a release atomically (a rename over the old link)."""
        self.run(f'cd {q(self.root)} && ln -sfn releases/{q(version)} {name}.new '
                 f'&& mv -T {name}.new {name}')

    def settings(self, where: str = 'current') -> dict:
        """The host's effective `deploy`, `server` and `ids` settings, read with the release's
        code."""
        return json.loads(self.warble('web', 'python3 -m lib.config deploy server ids', where))


class SystemdControl:
    """A host whose processes are the systemd units Puppet installs (warble-web, -rpc, -worker,
    -beat)."""

    def __init__(self, host: Host):
        self.host = host
        self.sudo = '' if host.c.user == 'root' else 'sudo -n '

    def reload_web(self) -> None:
        self.host.run(f'{self.sudo}systemctl reload-or-restart warble-web')

    def restart(self, names: tuple[str, ...]) -> None:
        self.host.run(f'{self.sudo}systemctl restart ' + ' '.join(f'warble-{n}' for n in names))

    def state(self, name: str) -> str:
        return self.host.run(f'systemctl is-active warble-{name} || true')

    def running(self, name: str) -> bool:
        return self.state(name) == 'active'


class PidfileControl:
    """A host without systemd: processes run in the background, found by pidfiles in var/."""

    COMMANDS = {'worker': 'tasks.py worker --loglevel INFO',
                'beat': 'tasks.py beat --loglevel INFO', 'rpc': 'rpc.py'}
    ROLE_OF = {'rpc': 'web'}  # the settings each runs with; the others, the worker's

    def __init__(self, host: Host):
        self.host = host
        self.log = f'{host.root}/shared/log'
        self.web = f'{host.root}/current/env/bin/python {host.root}/current/web.py'

    def reload_web(self) -> None:
        self.host.warble('web', f'if {self.web} status > /dev/null; then {self.web} reload; '
                                f'else {self.web} start --log {self.log}/web.log; fi')

    def restart(self, names: tuple[str, ...]) -> None:
        """Stop them together (Celery's warm shutdown takes seconds), then start each."""
        pidfiles = ' '.join(f'var/{name}.pid' for name in names)
        starts = ' && '.join(
            f'setsid -f env WARBLE_ROLE={self.ROLE_OF.get(name, "worker")} env/bin/python '
            f'{self.COMMANDS[name]} --pidfile '
            f'{self.host.root}/shared/var/{name}.pid >> {self.log}/{name}.log 2>&1 < /dev/null && '
            + WAIT_FOR_PID.format(pidfile=f'var/{name}.pid') for name in names)
        self.host.warble('worker', f'{STOP.format(pidfiles=pidfiles)} && {starts}')

    def state(self, name: str) -> str:
        if name == 'web':
            return self.host.warble('web', f'{self.web} status || true')
        return self.host.warble('worker', RUNNING.format(pidfile=f'var/{name}.pid'))

    def running(self, name: str) -> bool:
        return self.state(name).startswith('running')


# Shell for PidfileControl: TERM and a bounded wait for the exits, the wait for a new pidfile.
STOP = ('for f in {pidfiles}; do pid=$(cat $f 2>/dev/null) && kill -TERM "$pid" 2>/dev/null; done; '
        'for f in {pidfiles}; do pid=$(cat $f 2>/dev/null) || continue; for i in $(seq 600); do '
        'kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done; ! kill -0 "$pid" 2>/dev/null || '
        '{{ echo "pid $pid ignored SIGTERM for 2 minutes" >&2; exit 1; }}; rm -f $f; done')
WAIT_FOR_PID = ('for i in $(seq 100); do [ -s {pidfile} ] && break; sleep 0.1; done; '
                '[ -s {pidfile} ] || {{ echo "no pidfile {pidfile} after 10 s" >&2; false; }}')
RUNNING = ('pid=$(cat {pidfile} 2>/dev/null); if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; '
           'then echo "running (pid $pid)"; else echo "not running"; fi')
CONTROLS = {'systemd': SystemdControl, 'pidfile': PidfileControl}


def q(text: str) -> str:
    return shlex.quote(text)


# The hosts of this run by `ids.shard`: two hosts writing to one database must not share one.
shards_deployed: dict[int, str] = {}


def claim_shard(host: Host, settings: dict) -> int:
    """The host's `ids.shard`, refused if another host of this run has it."""
    shard = settings['ids']['shard']
    other = shards_deployed.setdefault(shard, host.name)
    if other != host.name:
        raise StepFailed(f'ids.shard {shard} is {other}\'s too; give every host its own '
                         '(WARBLE_IDS_SHARD, Puppet\'s warble::id_shard)')
    return shard


def control_of(host: Host, settings: dict):
    kind = settings['deploy']['control']
    if kind not in CONTROLS:
        raise StepFailed(f'deploy.control is {kind!r}; it must be one of {", ".join(CONTROLS)}')
    return CONTROLS[kind](host)


def activate(host: Host, version: str, names: tuple[str, ...]) -> None:
    """Switch `current` to `version`, reload and restart its processes, check its health.

    On any failure `current` goes back to the release it was, whose processes are restarted.
    """
    before = host.link('current')
    try:
        with host.step(f'switch current to {version}'):
            host.set_link('current', version)
        restart(host, names, host.settings())
    except StepFailed as failure:
        if not before or before == version:
            raise
        host.say(f'switching back to {before}')
        try:
            host.set_link('current', before)
            restart(host, names, host.settings())
        except StepFailed as second:
            raise StepFailed(f'{failure}; switching back to {before} failed too: {second}') \
                from None
        raise StepFailed(f'{failure}; switched back to {before}') from None
    if before and before != version:
        host.set_link('previous', before)


def restart(host: Host, names: tuple[str, ...], settings: dict) -> None:
    """Reload gunicorn, restart Celery and the gRPC server, then check `/status` (web), the gRPC
    health service (rpc) and that each process runs."""
    control = control_of(host, settings)
    if 'web' in names:
        with host.step('reload gunicorn'):
            control.reload_web()
    workers = tuple(name for name in names if name != 'web')
    if workers:
        with host.step(f'restart {" and ".join(workers)}'):
            control.restart(workers)
    with host.step('health check') as notes:
        if 'web' in names:
            notes.append(host.warble('web', 'env/bin/python web.py check'))
        if 'rpc' in names:
            notes.append(host.warble('web', 'env/bin/python rpc.py check'))
        for name in workers:
            if not control.running(name):
                raise StepFailed(f'{name} is not running')


def prune(host: Host, keep: int) -> None:
    """Remove all but the `keep` newest releases (never current or previous) and unused envs."""
    releases = host.run(f'ls -1t {q(host.root)}/releases | grep -v "^\\." || true').split()
    kept = set(releases[:keep]) | {host.link('current'), host.link('previous')}
    doomed = [name for name in releases if name not in kept]
    if doomed:
        host.run(f'cd {q(host.root)}/releases && rm -rf ' + ' '.join(q(name) for name in doomed))
    host.run(PRUNE_ENVS.format(root=q(host.root)))


# Shell run on the host by `deploy`.
CHECK_HOST = (
    'test -f {env} || {{ echo "no environment file {env} (Puppet writes it)" >&2; exit 1; }}; '
    'found=$(python3 -c "import sys; print(*sys.version_info[:2], sep=\'.\')") && '
    '[ "$found" = {python} ] || {{ echo "python3 on the host is $found, the wheels need {python}"'
    ' >&2; exit 1; }}; mkdir -p {root}/releases {root}/envs {root}/shared/var {root}/shared/log')
UNPACK = (
    'set -e; cd {releases}; if [ -f {v}/MANIFEST ] && (cd {v} && sha256sum --quiet --strict -c '
    'MANIFEST); then touch {v}; rm -f {upload}; echo "already there"; exit 0; fi; '
    'rm -rf {v}.partial; mkdir {v}.partial; '
    'tar -xzf {upload} -C {v}.partial --strip-components=1; rm -f {upload}; '
    '(cd {v}.partial && sha256sum --quiet --strict -c MANIFEST && ln -s ../../shared/var var); '
    'rm -rf {v}; mv {v}.partial {v}; echo unpacked')
BUILD_ENV = (
    'set -e; cd {root}/releases/{v}; hash=$( (cat requirements/runtime.lock; python3 -V) | '
    'sha256sum | cut -c1-16); env={root}/envs/$hash; if [ -f $env/.complete ]; then '
    'echo "reusing envs/$hash"; else rm -rf $env; python3 -m venv $env; $env/bin/python -m pip '
    'install -q --disable-pip-version-check --no-index --find-links wheels --require-hashes '
    '--no-deps -r wheels/requirements.txt; touch $env/.complete; echo "built envs/$hash"; fi; '
    'ln -sfn ../../envs/$hash env')
PRUNE_ENVS = (
    'cd {root}/envs && for env in *; do [ -e "$env" ] || continue; used=; '
    'for link in ../releases/*/env; do [ "$(readlink "$link")" = "../../envs/$env" ] && used=1; '
    'done; [ -n "$used" ] || rm -rf "$env"; done')
