"""E-mail over SMTP, with a last word before the message becomes the server's.

`send()` speaks SMTP up to, but not including, the "." that ends the DATA: until the server reads
that line it holds nothing (a connection lost before it cancels the transaction, RFC 5321 §3.8).
There it asks `before_end()`, and writes the "." only when that answers True.
"""
from __future__ import annotations

import contextlib
import functools
import re
import smtplib
import socket
import ssl
from collections.abc import Callable
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import formatdate, parseaddr

from lib.config import Section

DOT_AT_LINE_START = re.compile(rb'(?m)^\.')


class NotSent(Exception):
    """The server does not have the message: refused (`permanent` for a 5xx answer), or the
    connection failed before the end of the data."""

    def __init__(self, reason: str, permanent: bool = False):
        super().__init__(reason)
        self.permanent = permanent


class InDoubt(Exception):
    """The end of the data was written but no answer came: the server may hold the message."""


def compose(sender: str, recipient: str, subject: str, text: str, html: str,
            message_id: str) -> EmailMessage:
    """A multipart/alternative message: plain text, then the same as HTML."""
    message = EmailMessage(policy=SMTP_POLICY)
    message['From'] = sender
    message['To'] = recipient
    message['Subject'] = subject
    message['Date'] = formatdate(usegmt=True)
    message['Message-ID'] = message_id
    message['Auto-Submitted'] = 'auto-generated'
    message.set_content(text, cte='quoted-printable')
    message.add_alternative(html, subtype='html', cte='quoted-printable')
    return message


def send(mail: Section, message: EmailMessage, before_end: Callable[[], bool]) -> bool:
    """Send `message` to its `To` address through the server of the `mail` settings.

    True when the server accepted it; False when `before_end()` answered False (the server then
    never has it). Raises NotSent, or InDoubt once the end of the data was written."""
    smtp = smtplib.SMTP(timeout=mail.timeout, local_hostname=local_hostname())
    try:
        try:
            _open(smtp, mail)
            expect(smtp.mail(_address(message['From'])), 'MAIL')
            expect(smtp.rcpt(_address(message['To'])), 'RCPT')
            expect(smtp.docmd('DATA'), 'DATA', 354)
            smtp.send(_data_without_end(message))
        except (OSError, smtplib.SMTPException) as exc:
            raise NotSent(f'{type(exc).__name__}: {exc}') from exc
        if not before_end():
            return False  # closed below without the end of data: the server drops it
        try:
            smtp.send(b'.\r\n')
            reply = smtp.getreply()
        except (OSError, smtplib.SMTPException) as exc:
            raise InDoubt(f'no answer to the end of data: {exc}') from exc
        expect(reply, 'end of data')
        _quit(smtp)
        return True
    finally:
        smtp.close()


@functools.cache
def local_hostname() -> str:
    """The name this host gives in EHLO, looked up once per process: smtplib would ask the
    resolver for it at every connection, and a host missing from /etc/hosts waits out DNS."""
    return socket.getfqdn()


def expect(reply: tuple[int, bytes], step: str, wanted: int = 250) -> None:
    """NotSent unless the server answered `wanted` (or 251 to RCPT)."""
    code, text = reply
    if code == wanted or (step == 'RCPT' and code == 251):
        return
    raise NotSent(f'{step}: {code} {text.decode(errors="replace")}', permanent=500 <= code < 600)


def _open(smtp: smtplib.SMTP, mail: Section) -> None:
    smtp.connect(mail.host, mail.port)
    # The "." goes in a write of its own, right after the data: without this, Nagle's algorithm
    # holds it until the server's delayed ACK of the data, 40 ms later.
    smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    smtp.ehlo()
    if mail.starttls:
        smtp.starttls(context=ssl.create_default_context())
        smtp.ehlo()
    if mail.username:
        smtp.login(mail.username, mail.password)


def _address(header: str) -> str:
    return parseaddr(header)[1]


def _data_without_end(message: EmailMessage) -> bytes:
    """The message as DATA sends it (CRLF lines, leading dots doubled), without the final "."."""
    data = DOT_AT_LINE_START.sub(b'..', message.as_bytes(policy=SMTP_POLICY))
    return data if data.endswith(b'\r\n') else data + b'\r\n'


def _quit(smtp: smtplib.SMTP) -> None:
    """Say goodbye; the message is delivered already, so a failure here changes nothing."""
    with contextlib.suppress(OSError, smtplib.SMTPException):
        smtp.quit()
