"""What `dev.py` needs to live beside other programs: one instance per checkout, ports known to
be free before anything starts (and who holds a busy one), and the wait for `/status`.

Stdlib only, Linux first: the holder of a port is read from /proc, as `ss -ltnp` does.
"""
from __future__ import annotations

import errno
import fcntl
import json
import os
import socket
import urllib.error
import urllib.request
from pathlib import Path
from typing import IO

LISTEN = '0A'  # the state of a listening socket in /proc/net/tcp


class AlreadyRunning(Exception):
    """Another process holds the lock; the message is the URL it wrote there."""


class InstanceLock:
    """An exclusive `flock` on a file that keeps the URL of the holder. The kernel drops the lock
    when its process ends, however it ends, so a file left by `kill -9` blocks nothing."""

    def __init__(self, path: Path):
        self.path = path
        self.file: IO[str] | None = None

    def acquire(self, url: str) -> None:
        """Take the lock and write `url` in the file, or raise AlreadyRunning with the URL the
        holder wrote."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        file = open(self.path, 'a+', encoding='utf-8')  # noqa: SIM115 (held until release)
        try:
            fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            file.seek(0)
            holder = file.read().strip()
            file.close()
            raise AlreadyRunning(holder or 'an address not written yet') from None
        file.seek(0)
        file.truncate()
        file.write(f'{url}\n')
        file.flush()
        self.file = file

    def release(self) -> None:
        if self.file is not None:
            self.file.close()
            self.file = None


def port_is_free(host: str, port: int) -> bool:
    """Whether a server could listen on `host`:`port` now (as servers do, with SO_REUSEADDR:
    connections still closing do not count)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror:
        return True  # the server will say what is wrong with the host
    for family, kind, proto, _name, address in infos:
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(address)
            except OSError as exc:
                if exc.errno == errno.EADDRINUSE:
                    return False
    return True


def port_holder(port: int, proc: Path = Path('/proc')) -> str | None:
    """`pid N (command line)` of the process listening on TCP `port`, when /proc tells."""
    inodes = set()
    for table in ('tcp', 'tcp6'):
        try:
            lines = (proc / 'net' / table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if len(fields) > 9 and fields[3] == LISTEN and int(fields[1].rsplit(':', 1)[1],
                                                                16) == port:
                inodes.add(f'socket:[{fields[9]}]')
    if not inodes:
        return None
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if any(os.readlink(fd) in inodes for fd in (entry / 'fd').iterdir()):
                command = (entry / 'cmdline').read_bytes().decode(errors='replace')
                return f'pid {entry.name} ({" ".join(command.replace(chr(0), " ").split())[:80]})'
        except OSError:
            continue  # gone, or not ours to read
    return None


def busy_port_message(name: str, host: str, port: int) -> str:
    """One line saying that `port` is taken, and by whom when that can be told."""
    holder = port_holder(port)
    by = f'by {holder}' if holder else 'by another process'
    return f'dev: port {port} ({name}, {host}) is already in use {by}'


def status_ok(url: str, ignore: tuple[str, ...] = ()) -> bool:
    """Whether `GET url` answers a status report whose checks, but `ignore`, are all ok."""
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            report = json.load(answer)
    except urllib.error.HTTPError as exc:
        try:
            report = json.load(exc)
        except ValueError:
            return False
    except (OSError, ValueError):
        return False
    checks = report.get('checks', {}) if isinstance(report, dict) else {}
    return bool(checks) and all(check.get('ok') for name, check in checks.items()
                                if name not in ignore)
