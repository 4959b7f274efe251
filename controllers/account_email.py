"""What the e-mails of account tickets say (a password reset, a new address to confirm), and the
token their link carries, made at the moment the e-mail is sent.

The token exists only in the e-mail: the ticket keeps its SHA-256 digest, written while the
outbox row is still claimed by the sending worker. An e-mail sent again (its first worker died)
carries a new token, which replaces the old one; a row taken over meanwhile is not ours to
write, so two workers never leave the ticket holding the other's token."""
from __future__ import annotations

import hashlib
import secrets
from email.message import EmailMessage
from email.utils import parseaddr
from html import escape

from controllers.mention_email import public_url
from lib import mail
from lib.config import Section
from lib.utils.datekit import utcnow
from models import outbox as store
from models import tickets
from models.db import transaction

SCREENS = {tickets.RESET: '/reset-password', tickets.EMAIL: '/confirm-email'}
SUBJECTS = {tickets.RESET: 'Reset your {app} password',
            tickets.EMAIL: 'Confirm your new e-mail address on {app}'}
TEXTS = {
    tickets.RESET: """Hello {recipient},

Someone, hopefully you, asked to reset the password of your {app} account.
Choose a new password at this link, within an hour:

    {url}

The link works once. If you did not ask for this, ignore this e-mail: your
password stays as it is.
""",
    tickets.EMAIL: """Hello {recipient},

To make {email} the e-mail address of your {app} account, open this link
within a day:

    {url}

The link works once. If you did not ask for this, ignore this e-mail: nothing
changes.
""",
}
HTML = """<!DOCTYPE html>
<html><body>
<p>Hello {recipient},</p>
<p>{intro}</p>
<p><a href="{url}">{action}</a></p>
<p style="color:#666;font-size:smaller">The link works once. If you did not ask for this, ignore
this e-mail: nothing changes.</p>
</body></html>
"""
INTROS = {tickets.RESET: ('Someone, hopefully you, asked to reset the password of your {app} '
                          'account. The link below works for an hour.', 'Choose a new password'),
          tickets.EMAIL: ('To make {email} the e-mail address of your {app} account, open the '
                          'link below within a day.', 'Confirm this address')}


def link_digest(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode()).hexdigest()


def ticket_email(settings: Section, row: dict, claim: str) -> EmailMessage | None:
    """The e-mail of the ticket of outbox row `row` (as `models.outbox.email` reads it), with a
    new token whose digest the ticket now holds; None when the row is no longer claimed with
    `claim` or the ticket expired (nothing then to send)."""
    raw = secrets.token_urlsafe(32)
    with transaction():
        if not store.still_claimed(row['key'], claim):
            return None
        if not tickets.set_digest(row['ticket_id'], link_digest(raw), utcnow()):
            return None
    purpose = row['purpose']
    to = row['new_email'] if purpose == tickets.EMAIL else row['email']
    values = {'app': settings.app.name, 'recipient': row['recipient'], 'email': to,
              'url': f'{public_url(settings)}{SCREENS[purpose]}#token={raw}'}
    intro, action = INTROS[purpose]
    html_values = {name: escape(str(value)) for name, value in values.items()}
    domain = parseaddr(settings.mail.sender)[1].partition('@')[2] or 'localhost'
    return mail.compose(
        settings.mail.sender, to, SUBJECTS[purpose].format(**values),
        TEXTS[purpose].format(**values),
        HTML.format(recipient=html_values['recipient'], url=html_values['url'],
                    intro=intro.format(**html_values), action=action),
        f'<{row["key"]}-{secrets.token_hex(4)}@{domain}>')
