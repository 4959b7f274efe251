"""Production web server: gunicorn with gevent workers serving `app:application`.

`python3 web.py` serves in the foreground (the warble-web systemd unit runs it). `web.py reload`
replaces a running server by one started from wherever the `current` link points now, dropping no
request: SIGUSR2 starts a new master beside the old one on the same socket, and once every new
worker has loaded the app the old master gets SIGTERM and finishes its requests. `start`, `stop`
and `status` run the server in the background by its pidfile, for hosts without systemd;
`check` waits until `/status` is healthy and reports this release's version.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from lib import bootstrap

if __name__ == '__main__':
    bootstrap.prepare()
bootstrap.use_vendor()

import gunicorn.http.wsgi
from gunicorn.app.base import BaseApplication
from gunicorn.arbiter import Arbiter

from lib import metrics
from lib.config import Section, resolve, settings_or_exit
from lib.version import PRODUCT, version

NOT_RUNNING = 3  # the LSB exit status of `status` for a stopped service
STOP_WATCH_SECONDS = 0.5  # how often a worker looks whether it was told to stop


class ControlError(Exception):
    """The server could not be started, reloaded or stopped; the message says why."""


def pidfile(settings: Section) -> Path:
    return resolve(settings.paths.var) / 'web.pid'


def ready_file(settings: Section, master: int) -> Path:
    """Where the workers of `master` each write their pid once the app is loaded."""
    return resolve(settings.paths.var) / f'web.ready.{master}'


class WebServer(BaseApplication):
    """gunicorn set from the settings; each worker imports `app` itself, so it runs this release."""

    def __init__(self, settings: Section):
        self.settings = settings
        super().__init__()

    def load_config(self) -> None:
        server = self.settings.server
        options = {
            'bind': f'{server.host}:{server.port}', 'workers': server.workers,
            'worker_class': 'gevent', 'pidfile': str(pidfile(self.settings)),
            'control_socket_disable': True, 'proc_name': 'warble-web',
            'on_starting': self._master_starting, 'post_worker_init': self._worker_ready,
            'on_exit': self._master_exit,
        }
        for key, value in options.items():
            self.cfg.set(key, value)
        gunicorn.http.wsgi.SERVER = PRODUCT  # gunicorn has no setting for its `Server` header

    def load(self):
        from app import application
        return application

    def run(self) -> None:
        arbiter = Arbiter(self)
        arbiter.START_CTX = relaunch_context()
        try:
            arbiter.run()
        except RuntimeError as exc:
            sys.exit(f'warble: cannot serve: {exc}')

    def _master_starting(self, arbiter) -> None:
        if self.settings.metrics.enabled:  # before any worker records: forget the last run
            metrics.prepare(metrics.directory_of(self.settings))

    def _worker_ready(self, worker) -> None:
        with open(ready_file(self.settings, worker.ppid), 'a') as ready:
            ready.write(f'{worker.pid}\n')
        # A greenlet (threads are, in a gevent worker) that ends the live streams once the
        # worker is told to stop: gunicorn has no hook at that moment, only `worker.alive`.
        threading.Thread(target=end_streams_when_stopping, args=(worker,), daemon=True).start()

    def _master_exit(self, arbiter) -> None:
        ready_file(self.settings, arbiter.pid).unlink(missing_ok=True)


def end_streams_when_stopping(worker) -> None:
    while worker.alive:
        time.sleep(STOP_WATCH_SECONDS)
    from app import end_streams
    end_streams()


def relaunch_context() -> dict:
    """The command SIGUSR2 runs: the one typed, so that paths through `current` are followed anew.

    gunicorn would use the resolved interpreter and directory, which stay in the old release.
    """
    command = list(sys.orig_argv)
    script = sys.argv[0]
    directory = os.path.dirname(script) if os.path.isabs(script) else os.getcwd()
    return {'args': command, 'cwd': directory, 0: command[0]}


def live_pid(path: Path) -> int | None:
    """The pid written in `path` when that process is alive."""
    try:
        pid = int(path.read_text().strip() or 0)
        os.kill(pid, 0)
    except (OSError, ValueError):
        return None
    return pid or None


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def wait_until(check, timeout: float, interval: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(interval)
    return check()


def wait_for_workers(settings: Section, master: int, timeout: float) -> None:
    """Wait until every worker of `master` has loaded the app, or fail when the master exits."""
    ready = ready_file(settings, master)

    def workers_ready() -> bool:
        if not alive(master):
            raise ControlError(f'master {master} exited before its workers were ready '
                               '(see the web log)')
        return ready.exists() and len(ready.read_text().split()) >= settings.server.workers
    if not wait_until(workers_ready, timeout):
        raise ControlError(f'the workers of master {master} were not ready within {timeout:g} s')


def terminate(pid: int, timeout: float) -> None:
    """SIGTERM (gunicorn and Celery finish their work first), then wait for the exit."""
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    if not wait_until(lambda: not alive(pid), timeout):
        raise ControlError(f'process {pid} did not exit within {timeout:g} s of SIGTERM')


def notify_systemd(message: str) -> None:
    """Tell systemd (when it runs this service) e.g. `MAINPID=...`."""
    address = os.environ.get('NOTIFY_SOCKET')
    if not address:
        return
    if address.startswith('@'):
        address = '\0' + address[1:]
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.sendto(message.encode(), address)


def reload(settings: Section) -> str:
    """Swap the running master for a new one of the current release; keep the old on failure."""
    path = pidfile(settings)
    old = live_pid(path)
    if old is None:
        raise ControlError(f'gunicorn is not running (no live pid in {path})')
    timeout = settings.deploy.health_timeout
    os.kill(old, signal.SIGUSR2)
    successor = path.with_name(path.name + '.2')
    if not wait_until(lambda: live_pid(successor) is not None, timeout):
        raise ControlError(f'no new master started within {timeout:g} s of SIGUSR2 '
                           '(see the web log)')
    new = live_pid(successor)
    try:
        wait_for_workers(settings, new, timeout)
    except ControlError:
        terminate(new, timeout)
        raise
    notify_systemd(f'MAINPID={new}')
    terminate(old, timeout)
    wait_until(lambda: live_pid(path) == new, 10)
    return f'gunicorn reloaded: master {old} replaced by {new}'


def start(settings: Section, log: Path) -> str:
    """Start the server in the background unless it runs; wait until its workers are ready."""
    running = live_pid(pidfile(settings))
    if running:
        return f'gunicorn is already running (master {running})'
    pidfile(settings).parent.mkdir(parents=True, exist_ok=True)
    log.parent.mkdir(parents=True, exist_ok=True)
    command = [sys.orig_argv[0], os.path.abspath(sys.argv[0]), 'serve']
    with open(log, 'ab') as output:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=output,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    timeout = settings.deploy.health_timeout
    if not wait_until(lambda: live_pid(pidfile(settings)) == process.pid or
                      process.poll() is not None, timeout):
        raise ControlError(f'gunicorn wrote no pidfile within {timeout:g} s (see {log})')
    if process.poll() is not None:
        raise ControlError(f'gunicorn exited with status {process.returncode} (see {log})')
    wait_for_workers(settings, process.pid, timeout)
    return f'gunicorn started: master {process.pid}'


def check(settings: Section, timeout: float) -> str:
    """Wait until `/status` answers 200 with this release's version; say what is wrong if not."""
    host = '127.0.0.1' if settings.server.host in ('0.0.0.0', '') else settings.server.host
    url = f'http://{host}:{settings.server.port}/status'
    expected = version()
    problem = ''

    def healthy() -> bool:
        nonlocal problem
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                report = json.load(answer)
        except urllib.error.HTTPError as error:
            problem = f'{url} answered {error.code}: {failed_checks(error.read()) or error.reason}'
            return False
        except (OSError, ValueError) as error:
            problem = f'no answer from {url} ({error})'
            return False
        if report.get('version') != expected:
            problem = f'{url} reports version {report.get("version")}, not {expected}'
            return False
        return True
    if not wait_until(healthy, timeout, interval=0.5):
        raise ControlError(problem)
    return f'{url}: ok, version {expected}'


def failed_checks(body: bytes) -> str:
    """`name: error` of each failed check in a `/status` answer."""
    try:
        checks = json.loads(body).get('checks', {})
    except (ValueError, AttributeError):
        return ''
    return ', '.join(f'{name}: {part.get("error", "failed")}'
                     for name, part in checks.items() if not part.get('ok'))


def stop(settings: Section) -> str:
    pid = live_pid(pidfile(settings))
    if pid is None:
        return 'gunicorn is not running'
    terminate(pid, settings.deploy.health_timeout)
    return f'gunicorn stopped: master {pid}'


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('command', nargs='?', default='serve',
                        choices=('serve', 'start', 'reload', 'stop', 'status', 'check'))
    parser.add_argument('--log', type=Path, help='output file of `start` (default: var/web.log)')
    parser.add_argument('--timeout', type=float,
                        help='seconds `check` waits for health (default: deploy.health_timeout)')
    args = parser.parse_args()
    settings = settings_or_exit()
    if args.command == 'serve':
        WebServer(settings).run()
        return 0
    if args.command == 'status':
        pid = live_pid(pidfile(settings))
        print(f'gunicorn is running (master {pid})' if pid else 'gunicorn is not running')
        return 0 if pid else NOT_RUNNING
    try:
        if args.command == 'start':
            print(start(settings, args.log or resolve(settings.paths.var) / 'web.log'))
        elif args.command == 'check':
            timeout = settings.deploy.health_timeout if args.timeout is None else args.timeout
            print(check(settings, timeout))
        else:
            print(reload(settings) if args.command == 'reload' else stop(settings))
    except ControlError as exc:
        print(f'web {args.command}: {exc}', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
