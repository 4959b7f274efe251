"""gRPC server: MicroPosts and the Analyzer (`proto/`) over the same controllers as REST.

`python3 rpc.py [--host H] [--port P] [--pidfile F]` serves in the foreground on
`grpc.host:grpc.port` (by default two above the web server's port) with a pool of
`grpc.workers` threads, and prints the address it listens on. SIGTERM or Ctrl-C stops it:
health turns NOT_SERVING, calls under way finish (within a grace). `rpc.py check` waits until
the health service answers SERVING.
"""
from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from pathlib import Path

from lib import bootstrap

if __name__ == '__main__':
    bootstrap.prepare()
bootstrap.use_vendor()

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from api.rpc.server import build, watch_health
from controllers import boot
from lib.config import Section, settings_or_exit
from lib.utils.netkit import address_of

GRACE_SECONDS = 10.0


def serve(settings: Section, pidfile: Path | None = None) -> int:
    """Serve until SIGTERM or SIGINT; the exit code."""
    server, checker, port = build(settings)
    stopped = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopped.set())
    server.start()
    if pidfile is not None:
        pidfile.write_text(f'{os.getpid()}\n')
    print(f'warble-rpc: serving gRPC on {settings.grpc.host}:{port}', flush=True)
    watcher = threading.Thread(target=watch_health, args=(checker, settings, stopped),
                               name='warble-rpc-health', daemon=True)
    watcher.start()
    try:
        while not stopped.wait(1.0):
            pass
        checker.enter_graceful_shutdown()
        server.stop(GRACE_SECONDS).wait()
    finally:
        if pidfile is not None:
            pidfile.unlink(missing_ok=True)
    return 0


def check(settings: Section, timeout: float) -> int:
    """0 once the server of the settings answers SERVING within `timeout` seconds, else 1."""
    address = address_of(settings.grpc.host, settings.grpc.port)
    with grpc.insecure_channel(address) as channel:
        try:
            answer = health_pb2_grpc.HealthStub(channel).Check(
                health_pb2.HealthCheckRequest(), timeout=max(timeout, 0.5), wait_for_ready=True)
        except grpc.RpcError as failure:
            print(f'gRPC at {address}: {failure.code().name}', file=sys.stderr)
            return 1
    status = health_pb2.HealthCheckResponse.ServingStatus.Name(answer.status)
    print(f'gRPC at {address}: {status}')
    return 0 if answer.status == health_pb2.HealthCheckResponse.SERVING else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('command', nargs='?', choices=('serve', 'check'), default='serve')
    parser.add_argument('--host', help='address to serve on (default: grpc.host)')
    parser.add_argument('--port', type=int, help='port to serve on (default: grpc.port)')
    parser.add_argument('--pidfile', type=Path, help='write the process id here while serving')
    parser.add_argument('--timeout', type=float,
                        help='check: seconds to wait (default: deploy.health_timeout)')
    args = parser.parse_args()
    for name, value in (('HOST', args.host), ('PORT', args.port)):
        if value is not None:  # as settings, read by the one configuration loader
            os.environ[f'WARBLE_GRPC_{name}'] = str(value)
    if args.command == 'check':
        settings = settings_or_exit()
        return check(settings, settings.deploy.health_timeout if args.timeout is None
                     else args.timeout)
    return boot.start(lambda settings: serve(settings, args.pidfile))


if __name__ == '__main__':
    sys.exit(main())
