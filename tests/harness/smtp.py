"""A real SMTP server (aiosmtpd) on a loopback port for the tests and benchmarks: it keeps what it
accepts in memory and can be told to hang or refuse at one step of the next message."""
from __future__ import annotations

import asyncio
import email
import email.policy
import threading
import time
from dataclasses import dataclass
from email.message import EmailMessage

from aiosmtpd.controller import Controller

from tests.harness.servers import free_port

# RCPT: before the end of the data can be sent. DATA: once it arrived, the message kept (as an
# MTA commits it to its queue on reading the final "."), before the reply.
STEPS = ('rcpt', 'data')


@dataclass
class Received:
    """One message the server accepted, and when (time.monotonic())."""

    recipients: list[str]
    message: EmailMessage
    at: float


class SmtpServer:
    """aiosmtpd on 127.0.0.1: `messages` holds what it accepted, in order.

    `stall_once(step)` makes the next message hang at that step (`stalled` is set) until
    `release()`; `refuse_once(step, reply)` answers that step of the next message with `reply`.
    """

    def __init__(self, delay: float = 0.0):
        self.port = free_port()
        self.delay = delay  # taken at each step, as a distant server would
        self.messages: list[Received] = []
        self.stalled = threading.Event()
        self._released = threading.Event()
        self._stall: str | None = None
        self._refusals: dict[str, str] = {}
        self._lock = threading.Lock()
        self._controller = Controller(self, hostname='127.0.0.1', port=self.port)

    def start(self) -> SmtpServer:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._released.set()
        self._controller.stop()

    def environ(self) -> dict[str, str]:
        """The settings that send Warble's e-mail here."""
        return {'WARBLE_MAIL_HOST': '127.0.0.1', 'WARBLE_MAIL_PORT': str(self.port)}

    def stall_once(self, step: str) -> None:
        assert step in STEPS
        self._stall = step

    def release(self) -> None:
        self._released.set()

    def refuse_once(self, step: str, reply: str) -> None:
        assert step in STEPS
        self._refusals[step] = reply

    def wait_for(self, count: int, timeout: float = 30.0) -> list[Received]:
        """The messages, once there are at least `count`."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count:
            if time.monotonic() > deadline:
                raise TimeoutError(f'{len(self.messages)} of {count} e-mails within {timeout} s')
            time.sleep(0.02)
        return list(self.messages)

    def recipients(self) -> list[str]:
        return sorted(address for received in self.messages for address in received.recipients)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        await self._maybe_stall('rcpt')
        refused = self._refusals.pop('rcpt', None)
        if refused:
            return refused
        envelope.rcpt_tos.append(address)
        return '250 OK'

    async def handle_DATA(self, server, session, envelope) -> str:
        refused = self._refusals.pop('data', None)
        if refused:
            return refused
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.messages.append(Received(list(envelope.rcpt_tos), message, time.monotonic()))
        await self._maybe_stall('data')
        return '250 Message accepted'

    async def _maybe_stall(self, step: str) -> None:
        """Hang here until released, if told to (aiosmtpd cancels this when the client goes)."""
        await asyncio.sleep(self.delay)
        if self._stall == step:
            self._stall = None
            self.stalled.set()
            while not self._released.is_set():
                await asyncio.sleep(0.01)


def text_and_html(message: EmailMessage) -> tuple[str, str]:
    """The plain-text and HTML parts of a multipart/alternative message."""
    return (message.get_body(('plain',)).get_content(),
            message.get_body(('html',)).get_content())
