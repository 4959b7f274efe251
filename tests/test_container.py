"""The container image and the compose stack, end to end with Podman: built from a base made from
the Debian archive, the stack (nginx, web, worker, beat, PostgreSQL, Redis, a mail sink) serves
through nginx, a mention's e-mail reaches the mail sink, the processes run as a user who is not
root, and each of web, gRPC, worker and beat stops on SIGTERM by itself, within its grace."""
from __future__ import annotations

import email
import email.policy
import json
import secrets
import time

import pytest
import requests

from lib.version import describe
from tests.harness import containers
from tests.harness.apiclient import sign_up_over_http
from tests.harness.servers import free_port

# A first run on a machine builds everything: debootstrap, then four images from the archive.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(1500)]

STACK_SECONDS = 180  # first start: the cluster is made, migrations applied
STOP_GRACE = 10  # seconds `podman stop` waits after SIGTERM before it sends SIGKILL


@pytest.fixture(scope='module')
def images() -> dict[str, str]:
    containers.require()
    base = containers.base_image()
    version = describe().replace('/', '-')
    warble = containers.build_all(base, version)
    print(f'\nimage {warble}: {containers.image_size(warble) / 1e6:.0f} MB on {base}')
    return {'base': base, 'warble': warble, 'version': version}


@pytest.fixture(scope='module')
def stack(images):
    port = free_port()
    stack = containers.Stack(f'warbletest{port}', {
        'WARBLE_BASE_IMAGE': images['base'], 'WARBLE_VERSION': images['version'],
        'WARBLE_TAG': containers.TAG,
        'WARBLE_SECRET_KEY': secrets.token_urlsafe(32),
        'POSTGRES_PASSWORD': secrets.token_urlsafe(16),
        'WARBLE_HTTP_PORT': str(port), 'WARBLE_RPC_PORT': str(free_port()),
        'WARBLE_PUBLIC_URL': f'http://127.0.0.1:{port}'})
    stack.url = f'http://127.0.0.1:{port}'  # nginx's published port
    try:
        stack.up()
        containers.wait_until(lambda: requests.get(f'{stack.url}/status', timeout=5).ok,
                              STACK_SECONDS, 'the stack healthy through nginx')
        yield stack
    except Exception:
        print(stack.logs())
        raise
    finally:
        stack.down()


def test_status_is_healthy_through_nginx_and_for_the_image_healthcheck(stack, images):
    answer = requests.get(f'{stack.url}/status', timeout=10)
    assert answer.status_code == 200
    report = answer.json()
    assert report['version'] == images['version']
    assert {name for name, check in report['checks'].items() if check['ok']} == {
        'database', 'redis', 'celery', 'grpc'}
    web = stack.container('web')
    assert containers.podman('healthcheck', 'run', web, check=False).returncode == 0


def test_a_mention_sends_an_email_that_reaches_the_mail_sink(stack):
    sign_up_over_http(stack.url, 'bob')
    ann = sign_up_over_http(stack.url, 'ann')
    posted = requests.post(f'{stack.url}/api/v1/users/ann/collection', headers=ann, timeout=10,
                           json={'text': 'hello @bob, from a container'})
    assert posted.status_code == 201

    def mail_to_bob() -> list[email.message.EmailMessage]:
        names = stack.exec('mail', 'ls', 'var/mail').split()
        found = [email.message_from_string(stack.exec('mail', 'cat', f'var/mail/{name}'),
                                           policy=email.policy.default) for name in names]
        return [message for message in found if 'bob@example.com' in message['To']]
    message = containers.wait_until(mail_to_bob, 60, 'the mention e-mail at the mail sink')[0]
    assert 'bob@example.com' in message['To']
    assert 'from a container' in message.get_body(('plain',)).get_content()


def test_every_warble_process_runs_as_a_user_who_is_not_root(stack):
    for service in ('web', 'rpc', 'worker', 'beat', 'mail'):
        users = stack.exec(service, 'sh', '-c', 'cat /proc/[0-9]*/status | grep ^Uid:')
        uids = {line.split()[1] for line in users.splitlines()}
        assert uids and '0' not in uids, (service, uids)
        assert stack.inspect(service)['Config']['User'] == 'warble'


# What each service logs once it serves (the web service: its healthcheck passes).
READY = {'rpc': 'serving gRPC', 'worker': 'ready.', 'beat': 'beat: Starting'}


@pytest.mark.parametrize('service', ['web', 'rpc', 'worker', 'beat'])
def test_sigterm_stops_a_process_cleanly_before_its_grace_runs_out(stack, images, service):
    """A container of the service beside the stack's, with its command and settings: SIGTERM
    alone ends it with status 0 (a SIGKILL after the grace would leave 137)."""
    config = stack.inspect(service)['Config']
    name = f'{stack.name}-stop-{service}'
    command = ['run', '-d', '--name', name, '--network', stack.network()]
    for item in config['Env']:
        if item.startswith('WARBLE_'):
            command += ['--env', item]
    try:
        containers.podman(*command, images['warble'], *config['Cmd'])
        if service == 'web':
            containers.wait_until(lambda: containers.podman(
                'healthcheck', 'run', name, check=False).returncode == 0, 60, 'web healthy')
        else:
            containers.wait_until(lambda: READY[service] in _logs(name), 60, f'{service} ready')
        started = time.monotonic()
        containers.podman('stop', '--time', str(STOP_GRACE), name, timeout=STOP_GRACE + 30)
        print(f'\n{service}: stopped in {time.monotonic() - started:.1f} s')
        state = json.loads(containers.podman('inspect', name).stdout)[0]['State']
        assert state['ExitCode'] == 0, _logs(name)[-3000:]
    finally:
        containers.remove(name, grace=0)


def _logs(name: str) -> str:
    found = containers.podman('logs', name, check=False)
    return found.stdout + found.stderr

