"""Hosts made of Linux network namespaces on one machine, joined by a private bridge.

Each host is a namespace (`ip netns`) with its own loopback and one address on a bridge that
only this run's hosts and this machine (the operator, at the bridge's `.1`) sit on: nothing is
routed anywhere else. A host's processes are started with `ip netns exec`; killing every process
of `ip netns pids NAME` is losing the whole host. Names carry the creating process's id, so runs
side by side do not meet, and what a killed run left behind is found and removed.
"""
from __future__ import annotations

import ipaddress
import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

from tests.harness.servers import missing

PREFIX = 'wc'  # every name: wc<pid>-<what>; an interface name holds at most 15 characters
SUBNETS = ipaddress.ip_network('10.77.0.0/16')


def ip(*args: str, check: bool = True) -> str:
    done = subprocess.run(['ip', *args], capture_output=True, text=True)
    if check and done.returncode:
        raise RuntimeError(f'ip {" ".join(args)}: {done.stderr.strip()}')
    return done.stdout


def pids_of(namespace: str) -> list[int]:
    return [int(pid) for pid in ip('netns', 'pids', namespace, check=False).split()]


def kill_namespace(namespace: str) -> int:
    """SIGKILL every process in `namespace` until none is left (a parent may fork while its
    children die); how many were killed."""
    killed = set()
    for _ in range(100):
        pids = pids_of(namespace)
        if not pids:
            return len(killed)
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
                killed.add(pid)
            except ProcessLookupError:
                pass
        time.sleep(0.05)
    raise RuntimeError(f'processes of {namespace} survive SIGKILL: {pids_of(namespace)}')


def remove_leftovers() -> None:
    """Namespaces and links of runs whose process is gone (a test run killed outright)."""
    for line in ip('netns', 'list').splitlines():
        name = line.split()[0] if line.strip() else ''
        found = re.fullmatch(rf'{PREFIX}(\d+)-.+', name)
        if found and not Path(f'/proc/{found.group(1)}').exists():
            kill_namespace(name)
            ip('netns', 'delete', name, check=False)
    for found in re.finditer(rf'^\d+: ({PREFIX}(\d+)-[^:@]+)', ip('-o', 'link', 'show'), re.M):
        if not Path(f'/proc/{found.group(2)}').exists():
            ip('link', 'delete', found.group(1), check=False)


class Network:
    """A bridge `wc<pid>-br` with a free /24 of 10.77.0.0/16; this machine holds `.1`."""

    def __init__(self):
        if shutil.which('ip') is None:
            missing('ip (Debian package iproute2)')
        if os.geteuid() != 0:
            missing('root, to make network namespaces and a bridge')
        remove_leftovers()
        self.tag = f'{PREFIX}{os.getpid()}'
        self.subnet = self._free_subnet()
        self.bridge = f'{self.tag}-br'
        self.gateway = str(self.subnet.network_address + 1)
        self.hosts: list[Host] = []
        ip('link', 'add', self.bridge, 'type', 'bridge')
        ip('addr', 'add', f'{self.gateway}/{self.subnet.prefixlen}', 'dev', self.bridge)
        ip('link', 'set', self.bridge, 'up')

    def _free_subnet(self) -> ipaddress.IPv4Network:
        used = [ipaddress.ip_interface(address).network
                for address in re.findall(r'inet (\S+)', ip('-4', '-o', 'addr'))]
        for subnet in SUBNETS.subnets(new_prefix=24):
            if not any(subnet.overlaps(other) for other in used):
                return subnet
        raise RuntimeError('no free /24 in 10.77.0.0/16')

    def host(self, name: str) -> Host:
        """A new namespace with the next address of the subnet."""
        number = len(self.hosts) + 1
        host = Host(self, name, str(self.subnet.network_address + 10 + number), number)
        self.hosts.append(host)
        return host

    def close(self) -> None:
        """Kill every process of every host, remove the namespaces and the bridge."""
        for host in self.hosts:
            host.remove()
        ip('link', 'delete', self.bridge, check=False)


class Host:
    """One namespace: `address` on the bridge, loopback up, no route beyond the subnet."""

    def __init__(self, network: Network, name: str, address: str, number: int):
        self.name, self.address = name, address
        self.namespace = f'{network.tag}-{name}'
        self.link = f'{network.tag}-{number}'
        ip('netns', 'add', self.namespace)
        ip('link', 'add', self.link, 'type', 'veth', 'peer', 'name', 'eth0', 'netns',
           self.namespace)
        ip('link', 'set', self.link, 'master', network.bridge, 'up')
        ip('-n', self.namespace, 'addr', 'add', f'{address}/{network.subnet.prefixlen}', 'dev',
           'eth0')
        ip('-n', self.namespace, 'link', 'set', 'eth0', 'up')
        ip('-n', self.namespace, 'link', 'set', 'lo', 'up')

    def command(self, *args: str) -> list[str]:
        """`args` to run inside this host."""
        return ['ip', 'netns', 'exec', self.namespace, *args]

    def pids(self) -> list[int]:
        return pids_of(self.namespace)

    def kill(self) -> int:
        """Lose the host: SIGKILL every process in it; how many there were."""
        return kill_namespace(self.namespace)

    def remove(self) -> None:
        self.kill()
        ip('netns', 'delete', self.namespace, check=False)
