"""Puppet manifests (parse, and a clean `--noop` apply per role) and the Vagrantfile."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.harness.servers import ROOT, missing

PUPPET = ROOT / 'puppet'
FACTS = {'FACTER_warble_secret_key': 'box-secret-1234', 'FACTER_warble_db_password': 'pw-5678'}


def puppet() -> str:
    found = shutil.which('puppet')
    if found is None:
        missing('puppet (Debian package puppet)')
    return found


def noop_apply(tmp_path: Path, facts: dict[str, str]) -> subprocess.CompletedProcess:
    """`puppet apply --noop` of site.pp, with Puppet's state in `tmp_path`.

    Puppet's systemd provider works only where PID 1 is systemd, so the run happens in a PID
    namespace whose PID 1 is a shell named `systemd`. systemctl there answers that the system
    was not booted with systemd: every unit reads as stopped and disabled, which noop reports.
    """
    init = tmp_path / 'systemd'
    init.symlink_to(shutil.which('bash'))
    dirs = ' '.join(f'--{name}dir={tmp_path / name}' for name in ('conf', 'var', 'log', 'run',
                                                                 'code'))
    command = (f'{puppet()} apply --noop --detailed-exitcodes --color=false {dirs} '
               f'--modulepath={PUPPET / "modules"} {PUPPET / "manifests" / "site.pp"}; exit $?')
    namespace = ['unshare', '--pid', '--fork', '--mount-proc']
    if os.geteuid() != 0:
        namespace[1:1] = ['--user', '--map-root-user']
    return subprocess.run([*namespace, str(init), '-c', command], capture_output=True, text=True,
                          env=dict(os.environ, **facts), timeout=300)


def test_every_manifest_parses():
    manifests = sorted(str(path) for path in PUPPET.rglob('*.pp'))
    assert len(manifests) >= 9
    parsed = subprocess.run([puppet(), 'parser', 'validate', *manifests], capture_output=True,
                            text=True)
    assert parsed.returncode == 0, parsed.stdout + parsed.stderr


@pytest.mark.parametrize('role, expected', [
    ('web', ['Service[nginx]', 'File[/etc/nginx/sites-available/warble]',
             'File[/etc/systemd/system/warble-web.service]', 'Service[warble-web]',
             'File[/etc/systemd/system/warble-rpc.service]', 'Service[warble-rpc]']),
    ('worker', ['File[/etc/systemd/system/warble-worker.service]',
                'File[/etc/systemd/system/warble-beat.service]']),
    ('all', ['Service[redis-server]', 'Service[redis-server@cache]',
             'File[/etc/redis/redis-cache.conf]', 'File[/etc/redis/warble.conf]',
             'Service[postgresql]', 'Exec[warble postgresql database]',
             'Service[nginx]', 'Service[warble-web]', 'Service[warble-beat]']),
])
def test_noop_apply_of_each_role_is_clean(tmp_path, role, expected):
    applied = noop_apply(tmp_path, dict(FACTS, FACTER_warble_role=role))
    output = applied.stdout + applied.stderr
    assert applied.returncode == 0, output
    assert 'Error' not in output and 'Warning' not in output, output
    for resource in expected:
        assert resource in output
    assert 'User[warble]' in output and 'File[/srv/warble/shared/warble.env]' in output
    assert 'File[/etc/logrotate.d/warble]' in output and 'File[/etc/sudoers.d/warble]' in output
    assert FACTS['FACTER_warble_secret_key'] not in output  # the environment file is redacted
    if role == 'worker':
        assert 'nginx' not in output and 'warble-web' not in output


def test_apply_without_secrets_stops_and_names_the_parameter(tmp_path):
    applied = noop_apply(tmp_path, {'FACTER_warble_role': 'web'})
    assert applied.returncode != 0
    assert "parameter 'secret_key' expects" in applied.stdout + applied.stderr


def test_the_cache_redis_evicts_within_its_bound_and_the_broker_redis_never_evicts(tmp_path):
    rendered = subprocess.run(
        [puppet(), 'epp', 'render', str(PUPPET / 'modules/warble/templates/redis-cache.conf.epp'),
         '--values', "{port => 6380, maxmemory => '256mb'}"],
        capture_output=True, text=True, cwd=tmp_path)
    assert rendered.returncode == 0, rendered.stderr
    lines = set(rendered.stdout.splitlines())
    assert {'port 6380', 'maxmemory 256mb', 'maxmemory-policy allkeys-lru', 'save ""'} <= lines
    manifest = (PUPPET / 'modules/warble/manifests/redis.pp').read_text()
    assert 'maxmemory-policy noeviction' in manifest
    assert "'WARBLE_REDIS_CACHE_URL' => $redis_cache_url" in (
        PUPPET / 'modules/warble/manifests/init.pp').read_text()


def test_environment_file_loads_in_the_shell_the_deploy_uses(tmp_path):
    rendered = subprocess.run(
        [puppet(), 'epp', 'render', str(PUPPET / 'modules/warble/templates/warble.env.epp'),
         '--values', "{environment => {'WARBLE_DEPLOY_CONTROL' => 'systemd', "
         "'WARBLE_SERVER_PORT' => 8000}, secret_key => Sensitive('s3 cret'), "
         "database_url => Sensitive('postgresql://warble:pw@127.0.0.1/warble'), "
         "database_replica_urls => Sensitive('postgresql://warble:pw@10.0.0.2/warble,"
         "postgresql://warble:pw@10.0.0.3/warble')}"],
        capture_output=True, text=True, cwd=tmp_path)
    assert rendered.returncode == 0, rendered.stderr
    env_file = tmp_path / 'warble.env'
    env_file.write_text(rendered.stdout)
    loaded = subprocess.run(['bash', '-c', f'set -a && . {env_file} && set +a && env'],
                            capture_output=True, text=True, env={'PATH': os.environ['PATH']})
    assert {'WARBLE_DEPLOY_CONTROL=systemd', 'WARBLE_SERVER_PORT=8000',
            'WARBLE_APP_SECRET_KEY=s3 cret',
            'WARBLE_DATABASE_URL=postgresql://warble:pw@127.0.0.1/warble',
            'WARBLE_DATABASE_REPLICA_URLS=postgresql://warble:pw@10.0.0.2/warble,'
            'postgresql://warble:pw@10.0.0.3/warble'} \
        <= set(loaded.stdout.splitlines())


def vagrant_validate(directory: Path) -> subprocess.CompletedProcess:
    if shutil.which('vagrant') is None:
        missing('vagrant (Debian package vagrant)')
    environ = dict(os.environ, VAGRANT_CWD=str(directory), VAGRANT_HOME=str(directory / 'home'),
                   VAGRANT_CHECKPOINT_DISABLE='1')
    return subprocess.run(['vagrant', 'validate', '--ignore-provider'], capture_output=True,
                          text=True, env=environ, timeout=120)


def test_vagrantfile_validates_with_the_puppet_manifests(tmp_path):
    shutil.copy(ROOT / 'Vagrantfile', tmp_path)
    shutil.copytree(PUPPET, tmp_path / 'puppet')
    validated = vagrant_validate(tmp_path)
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert 'Vagrantfile validated successfully' in validated.stdout
    text = (ROOT / 'Vagrantfile').read_text()
    assert "'debian/bookworm64'" in text and 'host: 8080' in text


def test_vagrantfile_without_the_manifests_does_not_validate(tmp_path):
    shutil.copy(ROOT / 'Vagrantfile', tmp_path)
    validated = vagrant_validate(tmp_path)
    assert validated.returncode != 0
    assert 'manifests path specified for Puppet does not exist' in validated.stdout + \
        validated.stderr


def test_the_id_shard_is_taken_from_a_fact_within_0_to_31(tmp_path):
    facts = dict(FACTS, FACTER_warble_role='worker')
    (tmp_path / 'in-range').mkdir(), (tmp_path / 'too-big').mkdir()
    applied = noop_apply(tmp_path / 'in-range', dict(facts, FACTER_warble_id_shard='7'))
    assert applied.returncode == 0, applied.stdout + applied.stderr
    refused = noop_apply(tmp_path / 'too-big', dict(facts, FACTER_warble_id_shard='32'))
    assert refused.returncode != 0
    assert "parameter 'id_shard' expects" in refused.stdout + refused.stderr


def test_the_web_unit_lets_a_worker_hold_its_connections_open(tmp_path):
    """Live streams keep their connections: a gevent worker may hold 1000 (gunicorn's
    worker_connections) and its database and Redis sockets, past systemd's default of 1024."""
    units = {}
    for name in ('web', 'worker'):
        rendered = subprocess.run(
            [puppet(), 'epp', 'render', str(PUPPET / 'modules/warble/templates/unit.service.epp'),
             '--values', f"{{description => 'Warble {name}', root => '/srv/warble', "
             f"user => 'warble', name => '{name}', command => 'tasks.py', role => 'worker'}}"],
            capture_output=True, text=True, cwd=tmp_path)
        assert rendered.returncode == 0, rendered.stderr
        units[name] = dict(line.split('=', 1) for line in rendered.stdout.splitlines()
                           if '=' in line and not line.startswith('#'))
    assert int(units['web']['LimitNOFILE']) >= 4096
    assert 'LimitNOFILE' not in units['worker']


def test_the_balancer_role_is_nginx_over_the_web_hosts_it_is_given(tmp_path):
    applied = noop_apply(tmp_path, {'FACTER_warble_role': 'balancer',
                                    'FACTER_warble_web_hosts': '10.0.0.11:8000,10.0.0.12:8000'})
    output = applied.stdout + applied.stderr
    assert applied.returncode == 0, output
    assert 'Error' not in output and 'Warning' not in output, output
    for resource in ('Service[nginx]', 'File[/etc/nginx/sites-available/warble]',
                     'File[/etc/nginx/sites-enabled/default]'):
        assert resource in output
    assert 'User[warble]' not in output and 'warble.env' not in output  # no release runs here
    rendered = subprocess.run(
        [puppet(), 'epp', 'render', str(PUPPET / 'modules/warble/templates/balancer.conf.epp'),
         '--values', "{web_hosts => ['10.0.0.11:8000', '10.0.0.12:8000'], server_name => '_', "
         "max_body_megabytes => 80}"], capture_output=True, text=True, cwd=tmp_path)
    assert rendered.returncode == 0, rendered.stderr
    upstream = rendered.stdout.split('upstream warble_web {')[1].split('}')[0]
    assert [line.split()[1] for line in upstream.splitlines() if 'server ' in line] == \
        ['10.0.0.11:8000', '10.0.0.12:8000']
    assert 'proxy_next_upstream error timeout;' in rendered.stdout  # a POST is never sent twice
    assert 'non_idempotent' not in rendered.stdout


def test_the_balancer_role_without_web_hosts_stops_and_names_the_parameter(tmp_path):
    applied = noop_apply(tmp_path, {'FACTER_warble_role': 'balancer'})
    assert applied.returncode != 0
    assert "parameter 'web_hosts' expects" in applied.stdout + applied.stderr
