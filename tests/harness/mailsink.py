"""An SMTP sink as its own process, for a host of its own: every message it accepts is written to
a directory, one file each, before it answers 250 (as an MTA commits to its queue).

    python -m tests.harness.mailsink DIRECTORY [--host 127.0.0.1] [--port 25]

`DIRECTORY/ready` appears once it listens. `read(DIRECTORY)` gives the messages, in order.
"""
from __future__ import annotations

import argparse
import email
import email.policy
import itertools
import os
import signal
import threading
from email.message import EmailMessage
from pathlib import Path

READY = 'ready'


class Keeper:
    """aiosmtpd's handler: a message is on disk (renamed into place) before its 250."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.numbers = itertools.count(1)

    async def handle_DATA(self, server, session, envelope) -> str:
        name = f'{next(self.numbers):08d}.eml'
        partial = self.directory / f'.{name}'
        recipients = ''.join(f'X-Sink-To: {address}\r\n' for address in envelope.rcpt_tos)
        with open(partial, 'wb') as file:
            file.write(recipients.encode() + envelope.content)
            file.flush()
            os.fsync(file.fileno())
        partial.rename(self.directory / name)
        return '250 Message accepted'


def read(directory: Path) -> list[EmailMessage]:
    """The messages the sink accepted so far, in the order it accepted them."""
    return [email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            for path in sorted(directory.glob('*.eml'))]


def main() -> None:
    from aiosmtpd.controller import Controller

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('directory', type=Path)
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=25)
    args = parser.parse_args()
    args.directory.mkdir(parents=True, exist_ok=True)
    controller = Controller(Keeper(args.directory), hostname=args.host, port=args.port)
    controller.start()
    (args.directory / READY).write_text(f'{os.getpid()}\n')
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    stopping.wait()
    controller.stop()


if __name__ == '__main__':
    main()
