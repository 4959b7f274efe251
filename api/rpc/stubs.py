"""The message and stub modules generated from `proto/` at set-up (`lib/bootstrap.py`) into
api/rpc/generated/, a folder of modules (not a package) that git ignores."""
from __future__ import annotations

import sys

from lib.bootstrap import GRPC_MODULES

if str(GRPC_MODULES) not in sys.path:
    sys.path.append(str(GRPC_MODULES))

from warble import (  # noqa: E402 - generated, found once their folder is on the path
    analyzer_pb2,
    analyzer_pb2_grpc,
    microposts_pb2,
    microposts_pb2_grpc,
)

__all__ = ['analyzer_pb2', 'analyzer_pb2_grpc', 'microposts_pb2', 'microposts_pb2_grpc']
