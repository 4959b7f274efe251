"""Account tickets as the account controllers use them: open one with the e-mail carrying its
link (in the caller's transaction, relayed after the commit), and find one by its link."""
from __future__ import annotations

import datetime as dt

from controllers import outbox
from controllers.account_email import link_digest
from controllers.errors import Invalid
from lib.logs import request_id
from lib.utils.datekit import utcnow
from models import outbox as outbox_store
from models import tickets


def open_with_email(user_id: int, purpose: str, seconds: int, email: str | None = None) -> str:
    """A ticket of `purpose` for the user, valid `seconds`, with its e-mail owed; call inside a
    transaction and `outbox.relay` the key it returns after the commit."""
    ticket_id = tickets.open_ticket(user_id, purpose, utcnow() + dt.timedelta(seconds=seconds),
                                    email)
    key = f'{purpose}-{ticket_id}'
    cause = request_id.get()
    outbox_store.owe_ticket(key, ticket_id, user_id, outbox.lease_end(),
                            None if cause == '-' else cause)
    return key


def redeem(raw_token: str, purpose: str) -> dict:
    """`{"id", "user_id", "email"}` of the live ticket the link's token names; Invalid, the
    same for a token used, expired, replaced or made up."""
    found = tickets.find(link_digest(raw_token), purpose, utcnow())
    if found is None:
        raise Invalid('This link was used already, has expired or is not valid; ask for a new '
                      'one.', {'token': 'used, expired or not valid'}, code='invalid_token')
    return found
