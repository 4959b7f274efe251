"""A throw-away deploy target: a real sshd on a loopback port (or port 22 of a host made of a
network namespace, `tests.harness.netns`), its own config, keys and root."""
from __future__ import annotations

import getpass
import os
import shutil
import socket
import subprocess
from pathlib import Path

from tests.harness.servers import free_port, missing, stop, wait_for

SSHD = '/usr/sbin/sshd'
SSHD_CONFIG = """\
ListenAddress {listen}:{port}
HostKey {directory}/host_key
PidFile {directory}/sshd.pid
AuthorizedKeysFile {directory}/authorized_keys
AllowUsers {user}
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PrintMotd no
Subsystem sftp internal-sftp
LogLevel ERROR
"""


class SshHost:
    """sshd on 127.0.0.1, accepting only a key made for it; `root` is the deploy layout root.
    Given a namespace `host`, sshd runs inside it, on port 22 of its address."""

    def __init__(self, directory: Path, host=None):
        if not os.path.exists(SSHD) or not shutil.which('ssh-keygen'):
            missing('sshd (Debian package openssh-server)')
        self.directory = directory
        self.root = directory / 'srv' / 'warble'
        self.user = getpass.getuser()
        self.listen, self.port = (host.address, 22) if host else ('127.0.0.1', free_port())
        self.key = directory / 'client_key'
        for key in (self.key, directory / 'host_key'):
            subprocess.run(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-f', str(key)],
                           check=True)
        (directory / 'authorized_keys').write_text((directory / 'client_key.pub').read_text())
        config = directory / 'sshd_config'
        config.write_text(SSHD_CONFIG.format(listen=self.listen, port=self.port,
                                             directory=directory, user=self.user))
        if os.geteuid() == 0:
            os.makedirs('/run/sshd', mode=0o755, exist_ok=True)  # sshd's privilege separation
        command = [SSHD, '-D', '-e', '-f', str(config)]
        self.command = host.command(*command) if host else command
        self.start()

    def start(self) -> None:
        """Start sshd (again, after `stop` or the loss of its host)."""
        self.process = subprocess.Popen(self.command,
                                        stderr=open(self.directory / 'sshd.log', 'ab'),
                                        start_new_session=True)
        wait_for(self._listening, what='sshd')

    @property
    def address(self) -> str:
        return f'{self.user}@{self.listen}:{self.port}'

    def _listening(self) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError(f'sshd exited: {(self.directory / "sshd.log").read_text()}')
        with socket.create_connection((self.listen, self.port), timeout=1) as sock:
            return sock.recv(4).startswith(b'SSH-')

    def write_environment(self, values: dict[str, object]) -> Path:
        """The host's `shared/warble.env`, as Puppet writes it (mode 0600, quoted values)."""
        path = self.root / 'shared' / 'warble.env'
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(''.join(f"{key}='{value}'\n" for key, value in values.items()))
        path.chmod(0o600)
        return path

    def stop(self) -> None:
        stop(self.process)
