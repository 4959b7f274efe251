"""Reaching a server this host runs, by the address it was told to listen on."""
from __future__ import annotations

import socket

WILDCARDS = {'': '127.0.0.1', '0.0.0.0': '127.0.0.1', '::': '::1'}  # noqa: S104 - mapped away


def reachable_host(host: str) -> str:
    """The address to call a server listening on `host` at: loopback for a wildcard."""
    return WILDCARDS.get(host, host)


def address_of(host: str, port: int) -> str:
    """`host:port` as gRPC and URLs write it (an IPv6 address in brackets)."""
    host = reachable_host(host)
    return f'[{host}]:{port}' if ':' in host else f'{host}:{port}'


def accept_connections(host: str, port: int, timeout: float) -> None:
    """Return once a TCP connection to the server opened; OSError if none within `timeout`."""
    with socket.create_connection((reachable_host(host), port), timeout=timeout):
        pass
