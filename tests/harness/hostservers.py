"""The servers a cluster's hosts run besides Warble, each inside its host's namespace
(`tests.harness.netns`): a PostgreSQL primary and a streaming replica of it, Redis, an SMTP sink
and nginx. They are started by the harness, as `tests.harness.servers` starts its own; only the
Warble hosts get their software by `fab deploy`."""
from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
from pathlib import Path

import psycopg

from lib import bootstrap
from tests.harness import mailsink
from tests.harness.netns import Host
from tests.harness.servers import PYTHON, missing, stop, wait_for


def listening(address: str, port: int) -> bool:
    with socket.create_connection((address, port), timeout=1):
        return True


class Process:
    """A server inside a host, in a process group of its own; `start` again after `halt`."""

    what = 'server'

    def __init__(self, host: Host, directory: Path, command: list[str]):
        self.host, self.directory, self.command = host, directory, command
        self.log = directory / f'{self.what}.log'
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with open(self.log, 'ab') as log:
            self.process = subprocess.Popen(self.host.command(*self.command), stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True,
                                            cwd=self.directory, env=bootstrap.child_environ())
        try:
            wait_for(self.ready, timeout=30, what=f'{self.what} on {self.host.name}')
        except TimeoutError:
            self.halt()
            raise

    def ready(self) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError(f'{self.what} exited: {self.log.read_text()[-2000:]}')
        return True

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def halt(self) -> None:
        if self.process is not None:
            stop(self.process)


def postgres_bin() -> Path:
    found = sorted(glob.glob('/usr/lib/postgresql/*/bin/postgres'))
    binary = shutil.which('postgres') or (found[-1] if found else None)
    if binary is None:
        missing('PostgreSQL (postgres, initdb, pg_basebackup)')
    return Path(binary).resolve().parent


class Postgres(Process):
    """PostgreSQL on port 5432 of its host, run by the postgres user. Warble's role and database
    are made as Puppet's warble::postgresql makes them; `replicator` may stream the WAL."""

    what = 'postgres'
    PORT = 5432

    def __init__(self, host: Host, directory: Path, subnet: str, password: str):
        directory.mkdir(parents=True)
        os.chmod(directory, 0o777)  # the server runs as postgres
        self.bin, self.data, self.password = postgres_bin(), directory / 'pgdata', password
        self.as_postgres = ['runuser', '-u', 'postgres', '--']
        super().__init__(host, directory, [
            *self.as_postgres, str(self.bin / 'postgres'), '-D', str(self.data),
            '-p', str(self.PORT), '-c', f'listen_addresses={host.address}',
            '-c', f'unix_socket_directories={directory}', '-c', 'fsync=off',
            '-c', 'full_page_writes=off', '-c', 'max_connections=300',
            '-c', 'wal_level=replica', '-c', 'max_wal_senders=4', '-c', 'wal_keep_size=512MB'])
        self.subnet = subnet

    def create(self) -> None:
        """initdb, the network's clients by password, then start and make the roles."""
        subprocess.run([*self.as_postgres, str(self.bin / 'initdb'), '-D', str(self.data), '-U',
                        'postgres', '-E', 'UTF8', '--no-sync', '--auth-local=trust',
                        '--auth-host=scram-sha-256'], check=True, stdout=subprocess.DEVNULL)
        with open(self.data / 'pg_hba.conf', 'a') as hba:
            hba.write(f'host all all {self.subnet} scram-sha-256\n'
                      f'host replication replicator {self.subnet} scram-sha-256\n')
        self.start()
        with self.admin() as connection:
            for role, rights in (('warble', 'LOGIN'), ('replicator', 'LOGIN REPLICATION')):
                connection.execute(f"CREATE ROLE {role} {rights} PASSWORD '{self.password}'")
            connection.execute('CREATE DATABASE warble OWNER warble ENCODING UTF8')

    def admin(self, database: str = 'postgres') -> psycopg.Connection:
        """A superuser connection over the server's Unix socket (a file: any host reaches it)."""
        return psycopg.connect(host=str(self.directory), port=self.PORT, user='postgres',
                               dbname=database, autocommit=True, connect_timeout=2)

    def url(self) -> str:
        """Warble's database on this server, as the hosts reach it."""
        return f'postgresql://warble:{self.password}@{self.host.address}:{self.PORT}/warble'

    def ready(self) -> bool:
        super().ready()
        with self.admin():
            return True

    def halt(self) -> None:
        """Fast shutdown (open sessions end), keeping the data for `start`."""
        if self.running():
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                pass
        super().halt()


class Replica(Postgres):
    """A hot standby of `primary`: `pg_basebackup -R` from its host, then streaming."""

    def __init__(self, host: Host, directory: Path, primary: Postgres):
        super().__init__(host, directory, primary.subnet, primary.password)
        self.primary = primary

    def create(self) -> None:
        source = (f'host={self.primary.host.address} port={self.PORT} user=replicator '
                  f'password={self.password}')
        subprocess.run(self.host.command(
            *self.as_postgres, str(self.bin / 'pg_basebackup'), '-d', source, '-D',
            str(self.data), '-R', '-X', 'stream', '--no-sync', '-c', 'fast'), check=True,
            stdout=subprocess.DEVNULL)
        self.start()


class Redis(Process):
    """redis-server on `port` of its host, as production's: the broker's never evicts; the page
    cache's (`maxmemory`) forgets its least recently used keys."""

    what = 'redis'

    def __init__(self, host: Host, directory: Path, port: int, maxmemory: str = ''):
        directory.mkdir(parents=True, exist_ok=True)
        binary = shutil.which('redis-server')
        if binary is None:
            missing('redis-server')
        self.what, self.port = f'redis-{port}', port
        memory = (['--maxmemory', maxmemory, '--maxmemory-policy', 'allkeys-lru'] if maxmemory
                  else ['--maxmemory-policy', 'noeviction'])
        super().__init__(host, directory, [
            binary, '--bind', host.address, '--port', str(port), '--protected-mode', 'no',
            '--dir', str(directory), '--dbfilename', f'redis-{port}.rdb', '--save', '',
            '--appendonly', 'no', '--zset-max-listpack-entries', '1024', *memory])

    def url(self) -> str:
        return f'redis://{self.host.address}:{self.port}/0'

    def ready(self) -> bool:
        return super().ready() and listening(self.host.address, self.port)


class MailSink(Process):
    """The SMTP sink of `tests.harness.mailsink` on the host's own loopback, port 25: where the
    worker host's mail goes, as to a local MTA."""

    what = 'mailsink'
    PORT = 25

    def __init__(self, host: Host, directory: Path):
        directory.mkdir(parents=True)
        self.messages = directory / 'messages'
        super().__init__(host, directory, [PYTHON, '-m', 'tests.harness.mailsink',
                                           str(self.messages), '--port', str(self.PORT)])

    def ready(self) -> bool:
        return super().ready() and (self.messages / mailsink.READY).exists()

    def read(self) -> list:
        return mailsink.read(self.messages)


class Nginx(Process):
    """nginx with one site (rendered by Puppet), on port 80 of its host."""

    what = 'nginx'

    def __init__(self, host: Host, directory: Path, site: str):
        binary = shutil.which('nginx') or '/usr/sbin/nginx'
        if not os.path.exists(binary):
            missing('nginx (Debian package nginx)')
        directory.mkdir(parents=True, mode=0o777)
        os.chmod(directory, 0o777)  # its workers run as nobody
        (directory / 'site.conf').write_text(site)
        (directory / 'nginx.conf').write_text(
            f'pid {directory}/nginx.pid;\nerror_log {directory}/error.log;\n'
            'worker_rlimit_nofile 16384;\nevents { worker_connections 8192; }\n'
            f'http {{\n  access_log off;\n  client_body_temp_path {directory}/body;\n'
            f'  proxy_temp_path {directory}/proxy;\n  include {directory}/site.conf;\n}}\n')
        super().__init__(host, directory, [binary, '-p', str(directory), '-c',
                                           str(directory / 'nginx.conf'), '-g', 'daemon off;'])

    def ready(self) -> bool:
        return super().ready() and listening(self.host.address, 80)

    def errors(self, lines: int = 20) -> str:
        """The end of its error log."""
        path = self.directory / 'error.log'
        return '\n'.join(path.read_text().splitlines()[-lines:]) if path.exists() else ''

