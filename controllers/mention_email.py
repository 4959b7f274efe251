"""What a mention e-mail says: who named the reader, the post, and a link to its page."""
from __future__ import annotations

from email.message import EmailMessage
from email.utils import parseaddr
from html import escape

from lib import mail
from lib.config import Section
from lib.utils.urlkit import Pages

TEXT = """Hello {recipient},

{author} mentioned you in a post on {app}:

    {text}

Read it at {url}

--
You get this e-mail because a post names you. To stop these e-mails, untick
"E-mail me when a post names me" on your page: {profile}
"""
HTML = """<!DOCTYPE html>
<html><body>
<p>Hello {recipient},</p>
<p><strong>{author}</strong> mentioned you in a post on {app}:</p>
<blockquote>{text}</blockquote>
<p><a href="{url}">Read the post</a></p>
<p style="color:#666;font-size:smaller">You get this e-mail because a post names you. To stop
these e-mails, untick &ldquo;E-mail me when a post names me&rdquo; on
<a href="{profile}">your page</a>.</p>
</body></html>
"""


def public_url(settings: Section) -> str:
    """The address readers use: `mail.public_url`, else `app.base_url`, else the server's."""
    return (settings.mail.public_url or settings.app.base_url or
            f'http://{settings.server.host}:{settings.server.port}').rstrip('/')


def mention_email(settings: Section, row: dict) -> EmailMessage:
    """The e-mail telling `row["recipient"]` that `row["author"]`'s post names them (a row as
    the outbox reads it: key, post_id, text, author, recipient, email)."""
    pages = Pages(public_url(settings))
    values = {'app': settings.app.name, 'author': row['author'], 'recipient': row['recipient'],
              'text': row['text'], 'url': pages.micropost(row['author'], row['post_id']),
              'profile': pages.user(row['recipient'])}
    domain = parseaddr(settings.mail.sender)[1].partition('@')[2] or 'localhost'
    return mail.compose(
        settings.mail.sender, row['email'],
        f'{row["author"]} mentioned you on {settings.app.name}',
        TEXT.format(**values),
        HTML.format(**{name: escape(str(value)) for name, value in values.items()}),
        f'<{row["key"]}@{domain}>')
