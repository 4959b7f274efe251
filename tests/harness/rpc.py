"""The gRPC server (`rpc.py`) as a process of its own, and a channel to it, for the tests."""
from __future__ import annotations

import subprocess
from pathlib import Path

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from tests.harness.servers import PYTHON, free_port, start_process, stop, wait_for


def serving(channel: grpc.Channel) -> bool:
    answer = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(),
                                                       timeout=1)
    return answer.status == health_pb2.HealthCheckResponse.SERVING


def start_rpc(environ: dict[str, str], log: Path) -> tuple[subprocess.Popen, str]:
    """`rpc.py` on the loopback port of `environ` (a free one if it names none); the process
    and its target once health says SERVING."""
    port = environ.get('WARBLE_GRPC_PORT') or free_port()
    process = start_process([PYTHON, 'rpc.py'], dict(environ, WARBLE_GRPC_PORT=str(port)), log)
    target = f'127.0.0.1:{port}'
    try:
        with grpc.insecure_channel(target) as channel:
            wait_for(lambda: serving(channel), timeout=30, what=f'rpc.py (log: {log})')
    except TimeoutError:
        stop(process)
        raise
    return process, target
