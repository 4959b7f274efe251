"""A forgotten password: a link mailed to the account's address, and a new password set with it.

Asking answers the same whether or not an account has the address, within rate limits that do
not depend on it either (`limits.take_link_email`). Every account with the address gets its own link
(addresses shared from before `controllers/account.py`'s rule stay shared). A link works once,
for `RESET_SECONDS`; a newer request replaces it. Setting the password ends every session and
token of the account and every other link."""
from __future__ import annotations

from controllers import limits, outbox
from controllers.account import replace_password
from controllers.account_rules import RESET_SECONDS
from controllers.tickets import open_with_email, redeem
from models import tickets
from models.db import transaction
from models.users import find_by_email, find_by_id

ANSWER = ('If an account uses this address, an e-mail with a link to choose a new password is '
          'on its way. The link works for an hour.')


class PasswordResetController:
    """Mails reset links and sets new passwords with them."""

    def request(self, email: str, client: str) -> dict:
        """Owe a reset e-mail to each account with this address; the same answer for none."""
        limits.take_link_email(client, email)
        keys = []
        for user in find_by_email(email):
            with transaction():
                keys.append(open_with_email(user.id, tickets.RESET, RESET_SECONDS))
        outbox.relay(keys)
        return {'message': ANSWER}

    def complete(self, raw_token: str, password: str) -> dict:
        """Set a new password with a reset link; `{"username"}`. Invalid for a link used,
        expired or not valid, or a password that cannot be used (the link then still works)."""
        ticket = redeem(raw_token, tickets.RESET)
        user = find_by_id(ticket['user_id'])
        replace_password(user, password, 'password')
        return {'username': user.username}
