"""gRPC server: MicroPosts and the Analyzer (`proto/`) over the same controllers as REST.

`python3 rpc.py [--host H] [--port P]` serves in the foreground on `grpc.host:grpc.port` (port
0: any free one) with a pool of `grpc.workers` threads, and prints the address it listens on.
SIGTERM or Ctrl-C stops it: health turns NOT_SERVING, calls under way finish (within a grace).
"""
from __future__ import annotations

import argparse
import os
import signal
import sys
import threading

from lib import bootstrap

if __name__ == '__main__':
    bootstrap.prepare()
bootstrap.use_vendor()

from api.rpc.server import build, watch_health
from controllers import boot
from lib.config import Section

GRACE_SECONDS = 10.0


def serve(settings: Section) -> int:
    """Serve until SIGTERM or SIGINT; the exit code."""
    server, checker, port = build(settings)
    stopped = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopped.set())
    server.start()
    print(f'warble-rpc: serving gRPC on {settings.grpc.host}:{port}', flush=True)
    watcher = threading.Thread(target=watch_health, args=(checker, settings, stopped),
                               name='warble-rpc-health', daemon=True)
    watcher.start()
    while not stopped.wait(1.0):
        pass
    checker.enter_graceful_shutdown()
    server.stop(GRACE_SECONDS).wait()
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--host', help='address to serve on (default: grpc.host)')
    parser.add_argument('--port', type=int, help='port to serve on (default: grpc.port)')
    args = parser.parse_args()
    for name, value in (('HOST', args.host), ('PORT', args.port)):
        if value is not None:  # as settings, read by the one configuration loader
            os.environ[f'WARBLE_GRPC_{name}'] = str(value)
    return boot.start(serve)


if __name__ == '__main__':
    sys.exit(main())
