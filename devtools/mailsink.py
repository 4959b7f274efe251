"""A local SMTP sink for development: accepts every message and keeps it as one .eml file in a
folder (`var/mail/` under `python3 dev.py`), for a developer to read.

`python -m devtools.mailsink --host 127.0.0.1 --port 8081 var/mail` serves until SIGTERM or Ctrl-C.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import secrets
import signal
from pathlib import Path

from aiosmtpd.smtp import SMTP


class MailSink:
    """An aiosmtpd handler that stores each message it accepts as `<time>-<token>.eml`."""

    def __init__(self, folder: Path):
        self.folder = folder

    async def handle_DATA(self, server, session, envelope) -> str:
        path = self.store(envelope.original_content or envelope.content)
        return f'250 OK stored as {path.name}'

    def store(self, message: bytes) -> Path:
        """Write `message` whole under a new name (never a half-written .eml); its path."""
        name = f'{dt.datetime.now(dt.UTC):%Y%m%d-%H%M%S-%f}-{secrets.token_hex(3)}.eml'
        path = self.folder / name
        partial = self.folder / f'.{name}.part'
        partial.write_bytes(message)
        os.replace(partial, path)
        return path


async def serve(host: str, port: int, folder: Path) -> None:
    """Accept mail on `host`:`port` into `folder` until SIGTERM or SIGINT."""
    folder.mkdir(parents=True, exist_ok=True)
    loop = asyncio.get_running_loop()
    sink = MailSink(folder)
    server = await loop.create_server(lambda: SMTP(sink, hostname=host), host, port)
    stopped = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stopped.set)
    print(f'[mail] SMTP sink on {host}:{port}, messages in {folder}', flush=True)
    async with server:
        await stopped.wait()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog='python -m devtools.mailsink', description=__doc__)
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=8081)
    parser.add_argument('folder', type=Path, help='where the .eml files go')
    args = parser.parse_args(argv)
    try:
        asyncio.run(serve(args.host, args.port, args.folder))
    except OSError as exc:  # the port taken since dev.py looked, most likely
        raise SystemExit(f'mail sink: cannot listen on {args.host}:{args.port}: '
                         f'{exc.strerror or exc}') from None


if __name__ == '__main__':
    main()
