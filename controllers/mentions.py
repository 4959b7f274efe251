"""Mentions: the users a post names (its `referenced` user and each `@username` in its text),
and the e-mails owed to them, written in the transaction that writes the post.

One post mails at most `limits.mentions_mailed` people over all its versions (its referenced
user first, then in the order the text names them); the others are named and linked all the
same, but not mailed, so that a post cannot be made into a mass mailing."""
from __future__ import annotations

import re
from typing import NamedTuple

from controllers import limits, outbox
from controllers.micropost_rules import USERNAME_CHARACTERS
from lib.logs import request_id
from models import outbox as store

# `@name` standing alone: not inside a word or an e-mail address.
MENTION = re.compile(rf'(?<![A-Za-z0-9_.@])@({USERNAME_CHARACTERS})(?![A-Za-z0-9_@])')


class Version(NamedTuple):
    """What of a post names people: its text and the id of its referenced user."""

    text: str
    referenced: int | None


def mentioned_names(text: str) -> dict[str, int]:
    """The lower-cased usernames written as `@username` in `text`, each with its first place."""
    names: dict[str, int] = {}
    for place, name in enumerate(MENTION.findall(text)):
        names.setdefault(name.lower(), place)
    return names


def names_anyone(text: str, referenced: str | None) -> bool:
    """Whether a post of `text` addressed to `referenced` may owe e-mails."""
    return referenced is not None or MENTION.search(text) is not None


def email_key(post_id: int, recipient_id: int) -> str:
    """The idempotency key of the one e-mail telling a user that a post names them."""
    return f'mention-{post_id}-{recipient_id}'


def owe(post_id: int, author_id: int, now: Version, before: Version | None = None) -> list[str]:
    """Owe an e-mail to each existing user that `now` names and `before` did not: not the
    author, nor users who turned mention e-mails off. Call inside the post's transaction; relay
    the keys it returns (`outbox.relay`) after the commit."""
    names = mentioned_names(now.text)
    if not names and now.referenced is None:
        return []
    named_before = mentioned_names(before.text) if before else {}
    referenced_before = before.referenced if before else None
    users = store.recipients(list(names), now.referenced, author_id)
    new = [user for user in users if user['id'] != referenced_before
           and user['username'].lower() not in named_before]
    new.sort(key=lambda user: (user['id'] != now.referenced,
                               names.get(user['username'].lower(), 0)))
    room = limits.mentions_mailed() - (store.owed_for(post_id) if before else 0)
    recipients = [user['id'] for user in new[:max(room, 0)]]
    if not recipients:
        return []
    due = outbox.lease_end()  # the relay hands them over now; the sweep after this
    cause = request_id.get()
    rows = [{'key': email_key(post_id, recipient), 'micropost': post_id,
             'recipient': recipient, 'due': due, 'request_id': None if cause == '-' else cause}
            for recipient in recipients]
    store.owe(rows)
    return [row['key'] for row in rows]
