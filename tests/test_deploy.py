"""`fab package` and `fab deploy` against a real sshd test host: gunicorn + gevent serving,
a deploy under load that drops no request, rollback, and a failed health check rolled back."""
from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import subprocess
import tarfile
import threading
import time
from pathlib import Path

import pytest

from tests.harness.servers import PYTHON, ROOT, RedisServer, free_port
from tests.harness.sshhost import SshHost

pytestmark = pytest.mark.timeout(600)


class Source:
    """A git checkout of this project in a temporary directory, so each commit is a version."""

    LINKED = ('env', 'lib/vendor', 'static/vendor', 'var/wheels')

    def __init__(self, directory: Path):
        self.directory = directory
        listed = subprocess.run(['git', 'ls-files', '--cached', '--others', '--exclude-standard'],
                                cwd=ROOT, capture_output=True, text=True, check=True)
        for name in listed.stdout.splitlines():
            if (ROOT / name).is_file():
                (directory / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(ROOT / name, directory / name)
        for name in self.LINKED:  # installed, not committed: shared with this checkout
            (directory / name).parent.mkdir(parents=True, exist_ok=True)
            (directory / name).symlink_to(ROOT / name)
        self.git('init', '-q')
        (directory / '.git' / 'info' / 'exclude').write_text('\n'.join(self.LINKED) + '\n')
        self.commit('first release')
        self.git('tag', '1.0.0')

    def git(self, *args: str) -> str:
        return subprocess.run(['git', '-c', 'user.name=Warble', '-c', 'user.email=dev@warble',
                               *args], cwd=self.directory, capture_output=True, text=True,
                              check=True).stdout.strip()

    def commit(self, message: str) -> None:
        self.git('add', '-A')
        self.git('commit', '-q', '-m', message)

    def edit(self, name: str, old: str, new: str) -> None:
        path = self.directory / name
        assert old in path.read_text()
        path.write_text(path.read_text().replace(old, new))

    def fab(self, *args: str, home: Path) -> subprocess.CompletedProcess:
        """`python3 fabfile ARGS` (= `fab ARGS`) in this checkout."""
        return subprocess.run([PYTHON, 'fabfile', *args], cwd=self.directory,
                              env=dict(os.environ, HOME=str(home)), capture_output=True,
                              text=True, timeout=300)

    def package(self, home: Path) -> Path:
        built = self.fab('package', home=home)
        assert built.returncode == 0, built.stderr
        return Path(built.stdout.split()[0])


class Deployment:
    """The test host with Redis for its app, and the `fab` command aimed at it."""

    def __init__(self, directory: Path):
        self.home = directory / 'home'
        self.home.mkdir()
        self.source = Source(directory / 'src')
        (directory / 'redis').mkdir()
        (directory / 'host').mkdir()
        self.redis = RedisServer(directory / 'redis')
        self.host = SshHost(directory / 'host')
        self.port = free_port()
        self.host.write_environment({
            'WARBLE_DEPLOY_CONTROL': 'pidfile', 'WARBLE_DEPLOY_KEEP_RELEASES': 2,
            'WARBLE_DEPLOY_HEALTH_TIMEOUT': 12, 'WARBLE_SERVER_PORT': self.port,
            'WARBLE_GRPC_PORT': free_port(),
            'WARBLE_REDIS_URL': self.redis.url, 'WARBLE_CELERY_CONCURRENCY': 1,
            'WARBLE_APP_SECRET_KEY': 'not-a-production-secret'})

    def fab(self, task: str, *args: str) -> subprocess.CompletedProcess:
        return self.source.fab('-H', self.host.address, '-i', str(self.host.key), task,
                               '--root', str(self.host.root), *args, home=self.home)

    def deploy(self, tarball: Path) -> subprocess.CompletedProcess:
        return self.fab('deploy', '--package', str(tarball))

    def get(self, path: str) -> tuple[int, dict]:
        connection = http.client.HTTPConnection('127.0.0.1', self.port, timeout=10)
        try:
            connection.request('GET', path)
            answer = connection.getresponse()
            return answer.status, json.loads(answer.read())
        finally:
            connection.close()

    def current(self) -> str:
        return os.readlink(self.host.root / 'current').rsplit('/', 1)[-1]

    def stop(self) -> None:
        for name in ('web', 'rpc', 'worker', 'beat'):
            pidfile = self.host.root / 'shared' / 'var' / f'{name}.pid'
            try:
                os.kill(int(pidfile.read_text()), signal.SIGTERM)
            except (OSError, ValueError):
                continue
        self.host.stop()
        self.redis.stop()


def version_of(tarball: Path) -> str:
    with tarfile.open(tarball) as tar:
        return tar.extractfile(tar.next()).read().decode().strip()


@pytest.fixture(scope='module')
def deployment(tmp_path_factory):
    deployment = Deployment(tmp_path_factory.mktemp('deploy'))
    yield deployment
    deployment.stop()


@pytest.fixture(scope='module')
def first(deployment) -> str:
    """The first release, deployed."""
    tarball = deployment.source.package(deployment.home)
    deployed = deployment.deploy(tarball)
    assert deployed.returncode == 0, deployed.stdout + deployed.stderr
    return version_of(tarball)


def test_package_is_versioned_from_git_with_vendor_wheels_and_a_manifest(deployment):
    tarball = deployment.source.package(deployment.home)
    assert tarball.name == 'warble-1.0.0.tar.gz'
    with tarfile.open(tarball) as tar:
        names = {name.split('/', 1)[1] for name in tar.getnames()}
        manifest = tar.extractfile('warble-1.0.0/MANIFEST').read().decode()
    assert {'VERSION', 'MANIFEST', 'web.py', 'app.py', 'lib/vendor/bottle.py',
            'requirements/runtime.lock', 'wheels/requirements.txt'} <= names
    assert any(name.startswith('wheels/gevent-') for name in names)
    assert any(name.startswith('static/vendor/knockout/') for name in names)
    assert not any(name.startswith(('tests/', 'lib/vendor/bin/')) or '__pycache__' in name
                   for name in names)
    assert len(manifest.splitlines()) == len(names) - 1  # every file but MANIFEST itself
    assert '  web.py\n' in manifest


def test_first_deploy_serves_status_200_through_gunicorn_and_gevent(deployment, first):
    status, report = deployment.get('/status')
    assert status == 200, report
    assert report['status'] == 'ok' and report['version'] == first == '1.0.0'
    assert deployment.current() == first
    log = (deployment.host.root / 'shared' / 'log' / 'web.log').read_text()
    assert 'Using worker: gevent' in log
    assert (deployment.host.root / 'releases' / first / 'env').resolve().parent.name == 'envs'


def test_status_task_shows_releases_processes_and_health(deployment, first):
    shown = deployment.fab('status')
    assert shown.returncode == 0, shown.stderr
    assert f'release {first} (current)' in shown.stdout
    assert 'worker: running (pid' in shown.stdout and 'beat: running (pid' in shown.stdout
    assert 'rpc: running (pid' in shown.stdout and 'gRPC at 127.0.0.1:' in shown.stdout
    assert f'ok, version {first}' in shown.stdout


def test_two_hosts_of_one_run_may_not_share_an_id_shard():
    from fabric import Connection

    from fabfile.deploy import Host, StepFailed, claim_shard, shards_deployed
    shards_deployed.clear()
    web1, web2 = (Host(Connection(f'warble@{name}:22'), '/srv/warble') for name in ('w1', 'w2'))
    assert claim_shard(web1, {'ids': {'shard': 3}}) == 3
    assert claim_shard(web1, {'ids': {'shard': 3}}) == 3  # the same host, deployed again
    with pytest.raises(StepFailed, match="ids.shard 3 is warble@w1:22's too"):
        claim_shard(web2, {'ids': {'shard': 3}})
    assert claim_shard(web2, {'ids': {'shard': 4}}) == 4
    shards_deployed.clear()


def test_second_deploy_under_load_drops_no_request(deployment, first):
    deployment.source.edit('README.md', '# Warble', '# Warble\n')
    deployment.source.commit('second release')
    tarball = deployment.source.package(deployment.home)
    second = version_of(tarball)
    answers, failures, done = [], [], threading.Event()

    def load() -> None:  # a new connection per request, one every few milliseconds
        while not done.wait(0.005):
            try:
                status, document = deployment.get('/openapi.json')
                answers.append((status, document['info']['version']))
            except Exception as exc:  # noqa: BLE001 - every failure is a dropped request
                failures.append(repr(exc))
    old_release = deployment.host.root / 'releases' / '0.9.0'  # older than keep_releases allows
    old_release.mkdir()
    os.utime(old_release, (time.time() - 3600,) * 2)
    (deployment.host.root / 'envs' / 'unused').mkdir()
    threads = [threading.Thread(target=load) for _ in range(2)]
    for thread in threads:
        thread.start()
    try:
        deployed = deployment.deploy(tarball)
        time.sleep(0.5)
    finally:
        done.set()
        for thread in threads:
            thread.join()
    assert deployed.returncode == 0, deployed.stdout + deployed.stderr
    assert failures == []
    assert len(answers) > 50 and {status for status, _ in answers} == {200}
    versions = [version for _, version in answers]
    assert versions[0] == first and versions[-1] == second
    status, report = deployment.get('/status')
    assert (status, report['version']) == (200, second) and deployment.current() == second
    assert 'reload gunicorn ... ok' in deployed.stdout
    kept = {path.name for path in (deployment.host.root / 'releases').iterdir()}
    assert kept == {first, second}  # keep_releases=2
    envs = list((deployment.host.root / 'envs').iterdir())
    assert len(envs) == 1 and envs[0].name != 'unused'  # one lock, one virtualenv


def test_rollback_brings_the_previous_release_back(deployment, first):
    rolled = deployment.fab('rollback')
    assert rolled.returncode == 0, rolled.stdout + rolled.stderr
    status, report = deployment.get('/status')
    assert (status, report['version']) == (200, first)
    assert deployment.current() == first


def test_deploy_whose_health_check_fails_switches_back_and_says_why(deployment, first):
    deployment.source.edit('controllers/status.py',
                           'if not jobs.ping_workers(self.settings.celery.ping_timeout):',
                           'if True:')
    deployment.source.commit('release that cannot see its workers')
    broken = deployment.source.package(deployment.home)
    deployed = deployment.deploy(broken)
    assert deployed.returncode == 1
    assert f'deploy of {version_of(broken)} failed: [{deployment.host.address}] health check ' \
           f'failed:' in deployed.stderr
    assert 'celery: no worker answered' in deployed.stderr
    assert f'switched back to {first}' in deployed.stderr
    status, report = deployment.get('/status')
    assert (status, report['version']) == (200, first)
    assert deployment.current() == first
    assert not (deployment.host.root / 'releases' / version_of(broken)).exists()


def test_logs_and_migrate_tasks_reach_the_host(deployment, first):
    logs = deployment.fab('logs', '--name', 'web', '--lines', '5')
    assert logs.returncode == 0 and 'GET /status' in logs.stdout
    migrated = deployment.fab('migrate')
    assert migrated.returncode == 0, migrated.stderr
    assert 'nothing to do: the schema is up to date' in migrated.stdout


def test_deploy_without_an_environment_file_names_the_host_and_step(deployment, tmp_path):
    failed = deployment.source.fab('-H', deployment.host.address, '-i', str(deployment.host.key),
                                   'deploy', '--root', str(tmp_path / 'elsewhere'),
                                   '--package', str(next((deployment.source.directory / 'dist')
                                                         .glob('warble-1.0.0.tar.gz'))),
                                   home=deployment.home)
    assert failed.returncode == 1
    assert f'[{deployment.host.address}] check the host failed: no environment file' \
        in failed.stderr


def test_unknown_role_is_refused_before_connecting(deployment):
    refused = deployment.fab('deploy', '--role', 'database')
    assert refused.returncode == 1
    assert "--role must be one of web, worker, all, not 'database'" in refused.stderr
