"""Warble on several hosts of one machine: two web hosts, a worker host, a PostgreSQL primary and
its streaming replica, a Redis host and an nginx balancer, each a network namespace on a private
bridge (`tests.harness.netns`).

The Warble hosts get their software only as production's do: Puppet's result (the host's
`warble.env` from class warble's template, the balancer's nginx site from warble::balancer's)
and `fab deploy` over the sshd inside each of them, with pidfile control (no systemd in a
namespace). PostgreSQL, Redis, the balancer's nginx and the worker host's SMTP sink are servers
the harness starts in their hosts (`tests.harness.hostservers`).
"""
from __future__ import annotations

import concurrent.futures
import contextlib
import os
import re
import secrets
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg
import requests

from fabfile import release
from tests.harness.hostservers import MailSink, Nginx, Postgres, Redis, Replica
from tests.harness.netns import Network
from tests.harness.servers import PYTHON, ROOT, missing, wait_for
from tests.harness.sshhost import SshHost
from tests.harness.stack import CHEAP_PASSWORDS, MAIL_TIMING, NO_LIMITS, PASSWORD

HOSTS = ('web-1', 'web-2', 'worker', 'pg-primary', 'pg-replica', 'redis', 'balancer')
ROLES = {'web-1': 'web', 'web-2': 'web', 'worker': 'worker'}  # the hosts `fab deploy` fills
WEB_PORT, GRPC_PORT, CACHE_PORT = 8000, 50051, 6380
TEMPLATES = ROOT / 'puppet/modules/warble/templates'
SHARDS = {'web-1': 1, 'web-2': 2, 'worker': 3}  # Puppet's warble::id_shard of each
DISK = 'warble-cluster'  # the hosts' tmpfs, named with the run's process id


def unmount_leftovers() -> None:
    """The disks of clusters whose run is gone (killed outright): unmounted, their directory
    removed."""
    for line in Path('/proc/mounts').read_text().splitlines():
        source, target = line.split()[:2]
        found = re.fullmatch(rf'{DISK}-(\d+)', source)
        if found and not Path(f'/proc/{found.group(1)}').exists():
            subprocess.run(['umount', '--lazy', target], check=False)
            shutil.rmtree(target, ignore_errors=True)


def puppet_value(value: object) -> str:
    """A Puppet literal for a string, number, list or hash of them (no quotes in strings)."""
    if isinstance(value, dict):
        return '{' + ', '.join(f'{puppet_value(k)} => {puppet_value(v)}'
                               for k, v in value.items()) + '}'
    if isinstance(value, list):
        return '[' + ', '.join(puppet_value(item) for item in value) + ']'
    if isinstance(value, int):
        return str(value)
    assert "'" not in str(value) and '\\' not in str(value), value
    return f"'{value}'"


def render(template: str, values: str) -> str:
    """`puppet epp render` of one of the module's templates."""
    if shutil.which('puppet') is None:
        missing('puppet (Debian package puppet)')
    rendered = subprocess.run(['puppet', 'epp', 'render', str(TEMPLATES / template), '--values',
                               values], capture_output=True, text=True)
    if rendered.returncode:
        raise RuntimeError(f'puppet epp render {template}: {rendered.stderr[-2000:]}')
    return rendered.stdout


class Cluster(contextlib.ExitStack):
    """The hosts, provisioned and deployed; `settings` are more `WARBLE_*` values for every
    Warble host (as Hiera's warble::settings). Leaving the `with` block kills every process of
    every host and removes the namespaces, the bridge and the directory."""

    def __init__(self, web_workers: int = 2, **settings: object):
        super().__init__()
        self.web_workers, self.settings = web_workers, settings
        self.secret_key = secrets.token_hex(16)
        self.db_password = secrets.token_hex(8)

    def __enter__(self) -> Cluster:
        super().__enter__()
        try:
            self._build()
        except BaseException:
            self.close()
            raise
        return self

    def _build(self) -> None:
        self.work = Path(self.enter_context(tempfile.TemporaryDirectory(
            prefix='warble-cluster-')))
        # The hosts' disks: a tmpfs, gone at once at the end (releases and virtualenvs are
        # many small files).
        if os.geteuid() != 0:
            missing('root, to make network namespaces, a bridge and the hosts\' tmpfs')
        unmount_leftovers()
        subprocess.run(['mount', '-t', 'tmpfs', '-o', 'size=6g,mode=0755',
                        f'{DISK}-{os.getpid()}', str(self.work)], check=True)
        self.callback(subprocess.run, ['umount', '--lazy', str(self.work)], check=False)
        self.network = Network()
        self.callback(self.network.close)  # before the unmount: every process of every host
        self.hosts = {name: self.network.host(name) for name in HOSTS}
        self.home = self.work / 'home'
        self.home.mkdir()
        self.ssh = {}
        for name in ROLES:
            (self.work / name).mkdir()
            self.ssh[name] = SshHost(self.work / name, self.hosts[name])
        self.primary = Postgres(self.hosts['pg-primary'], self.work / 'pg-primary',
                                str(self.network.subnet), self.db_password)
        self.replica = Replica(self.hosts['pg-replica'], self.work / 'pg-replica', self.primary)
        self.redis = Redis(self.hosts['redis'], self.work / 'redis', 6379)
        self.cache = Redis(self.hosts['redis'], self.work / 'redis', CACHE_PORT,
                           maxmemory='64mb')
        self.mail = MailSink(self.hosts['worker'], self.work / 'mail')
        with concurrent.futures.ThreadPoolExecutor(5) as pool:  # while the servers start
            package = pool.submit(release.build, self.work / 'dist', 'cluster')
            provisioned = [pool.submit(self._provision, name) for name in ROLES]
            site = pool.submit(self._balancer_site)
            for server in (self.primary, self.replica, self.redis, self.cache, self.mail):
                self.callback(server.halt)
                server.create() if isinstance(server, Postgres) else server.start()
            self.package = package.result()
            for each in provisioned:
                each.result()
            site = site.result()
        self._deploy_all()
        self.balancer = Nginx(self.hosts['balancer'], self.work / 'balancer', site)
        self.callback(self.balancer.halt)
        self.balancer.start()
        self.url = f'http://{self.hosts["balancer"].address}'
        wait_for(lambda: requests.get(f'{self.url}/status', timeout=5).ok, what='the balancer')

    def _deploy_all(self) -> None:
        """The worker host and web-1 side by side (web-1's health check waits for a Celery
        worker to answer), web-2 once web-1 has migrated the database."""
        with concurrent.futures.ThreadPoolExecutor(3) as pool:
            deploys = [pool.submit(self.deploy, name) for name in ('worker', 'web-1')]
            web1 = self.work / 'web-1' / 'deploy.log'
            wait_for(lambda: deploys[1].done() or 'migrate ... ok' in web1.read_text(),
                     timeout=600, what='web-1 migrating the database')
            deploys.append(pool.submit(self.deploy, 'web-2'))
            for deploy in deploys:
                deploy.result()

    def _balancer_site(self) -> str:
        """The nginx site of Puppet's warble::balancer over the web hosts."""
        return render('balancer.conf.epp', puppet_value({
            'web_hosts': [f'{self.hosts[name].address}:{WEB_PORT}' for name in self.web_hosts],
            'server_name': '_', 'max_body_megabytes': 80}))

    @property
    def web_hosts(self) -> list[str]:
        return [name for name, role in ROLES.items() if role == 'web']

    def environment(self, name: str) -> dict[str, object]:
        """The host's environment as Puppet's class warble makes it: its defaults, then the
        settings these hosts are given (their Hiera `warble::settings`)."""
        host, root = self.hosts[name], self.ssh[name].root
        return {
            'WARBLE_DEPLOY_CONTROL': 'systemd', 'WARBLE_SERVER_HOST': '127.0.0.1',
            'WARBLE_SERVER_PORT': WEB_PORT, 'WARBLE_SERVER_WORKERS': self.web_workers,
            'WARBLE_IDS_SHARD': SHARDS[name], 'WARBLE_REDIS_URL': self.redis.url(),
            'WARBLE_REDIS_CACHE_URL': self.cache.url(),
            'WARBLE_AVATARS_DIRECTORY': f'{root}/shared/avatars',
        } | {
            'WARBLE_DEPLOY_CONTROL': 'pidfile',  # no systemd inside a namespace
            'WARBLE_SERVER_HOST': host.address,  # where the balancer reaches gunicorn
            'WARBLE_GRPC_PORT': GRPC_PORT, 'WARBLE_DEPLOY_KEEP_RELEASES': 2,
            'WARBLE_MAIL_HOST': '127.0.0.1', 'WARBLE_MAIL_PORT': MailSink.PORT,
            'WARBLE_STREAMS_HEARTBEAT_SECONDS': 1,
            **CHEAP_PASSWORDS, **NO_LIMITS, **MAIL_TIMING,
            **self.settings}

    def _provision(self, name: str) -> None:
        """Write the host's warble.env as Puppet does: the template rendered, mode 0600, with
        the replica's URL as warble::db_replica_hosts makes it."""
        rendered = render('warble.env.epp', '{environment => ' + puppet_value(
            {key: str(value) for key, value in self.environment(name).items()})
            + f", secret_key => Sensitive('{self.secret_key}'), database_url => "
            f"Sensitive('{self.primary.url()}'), database_replica_urls => "
            f"Sensitive('{self.replica.url()}')}}")
        path = self.ssh[name].root / 'shared' / 'warble.env'
        path.parent.mkdir(parents=True)
        path.write_text(rendered)
        path.chmod(0o600)

    def deploy(self, name: str) -> None:
        """`fab deploy` of the package to the host, its role's processes only."""
        ssh = self.ssh[name]
        log = self.work / name / 'deploy.log'
        with open(log, 'a') as output:
            deployed = subprocess.run(
                [PYTHON, 'fabfile', '-H', ssh.address, '-i', str(ssh.key), 'deploy', '--role',
                 ROLES[name], '--root', str(ssh.root), '--package', str(self.package)],
                cwd=ROOT, env=dict(os.environ, HOME=str(self.home)), stdout=output,
                stderr=subprocess.STDOUT, timeout=300)
        if deployed.returncode:
            raise RuntimeError(f'fab deploy to {name} failed:\n{log.read_text()[-3000:]}\n'
                               f'{self.log(name, "web")}')

    def log(self, name: str, process: str, lines: int = 30) -> str:
        path = self.ssh[name].root / 'shared' / 'log' / f'{process}.log'
        if not path.exists():
            return ''
        return f'{path}:\n' + '\n'.join(path.read_text(errors='replace').splitlines()[-lines:])

    def web_url(self, name: str) -> str:
        """A web host's gunicorn, reached directly (as the balancer does)."""
        return f'http://{self.hosts[name].address}:{WEB_PORT}'

    def kill(self, name: str) -> int:
        """Lose the host: SIGKILL every process in its namespace; how many there were."""
        return self.hosts[name].kill()

    def alive(self, name: str) -> bool:
        return bool(self.hosts[name].pids())

    def revive(self, name: str) -> None:
        """Bring a lost Warble host back: its sshd, then `fab deploy` again."""
        self.ssh[name].start()
        self.deploy(name)

    def database(self) -> psycopg.Connection:
        return psycopg.connect(self.primary.url(), autocommit=True)

    def replication(self) -> tuple[float | None, int | None]:
        """The replica's replay lag (s) and the WAL bytes it is behind, as the primary sees
        them in pg_stat_replication; (None, None) while no replica streams."""
        with self.primary.admin() as connection:
            row = connection.execute(
                'SELECT EXTRACT(EPOCH FROM replay_lag)::float8, '
                'pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint '
                'FROM pg_stat_replication').fetchone()
        return (row[0], row[1]) if row else (None, None)

    def sign_up(self, count: int, prefix: str = 'user') -> list[tuple[str, dict]]:
        """`count` users signed up and logged in through the balancer: (name, headers)."""
        def one(number: int) -> tuple[str, dict]:
            name = f'{prefix}{number}'
            with requests.Session() as session:
                made = session.post(f'{self.url}/api/v1/users', timeout=30, json={
                    'username': name, 'email': f'{name}@example.com', 'password': PASSWORD})
                assert made.status_code == 201, made.text
                token = session.post(f'{self.url}/api/v1/token', timeout=30, json={
                    'grant_type': 'password', 'username': name, 'password': PASSWORD})
                assert token.status_code == 200, token.text
            return name, {'Authorization': f'Bearer {token.json()["access_token"]}'}
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            return list(pool.map(one, range(count)))
