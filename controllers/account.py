"""One's own account: its e-mail address, its password, its sessions and tokens.

Each change that needs the password asks for it again and counts a wrong one as a failed login
(`controllers.limits`), so a session left open cannot be used to guess it. A changed password
ends every other session and token of the user; ending one goes through
`TokenController.revoke_digests`, Redis first, so every worker refuses it from the next request.
E-mail addresses: an account's address must not be another account's (compared ignoring case)
when it is changed; sign-up does not check it, and addresses shared from before stay shared.
"""
from __future__ import annotations

from controllers import limits, outbox, users
from controllers.account_rules import EMAIL_CHANGE_SECONDS
from controllers.credentials import password_problem
from controllers.errors import Conflict, Invalid, NotFound
from controllers.tickets import open_with_email, redeem
from controllers.tokens import TokenController, digest
from controllers.users import UserController
from lib.utils.datekit import isoformat, utcnow
from models import tickets
from models.db import transaction
from models.tokens import digest_of, digests_of, tokens_of
from models.users import UserRecord, email_taken, find_by_id, set_email, set_password_hash


def check_password(user: dict, password: str, client: str, field: str = 'password') -> None:
    """Invalid unless `password` is the user's; a wrong one spends the login budgets."""
    attempt = limits.LoginAttempt(user['username'], client)
    attempt.take()
    if UserController().authenticate(user['username'], password) is None:
        raise Invalid('The password is wrong.', {field: 'not your current password'},
                      code='wrong_password')
    attempt.succeeded()


def revoke_all(user_id: int, keep: str | None = None) -> int:
    """End every token and session of the user but the one with digest `keep`, inside the
    caller's transaction (Redis first: Unavailable rolls it back); how many."""
    ended = [each for each in digests_of(user_id) if each != keep]
    TokenController().revoke_digests(ended)
    return len(ended)


def replace_password(user: UserRecord, new: str, field: str, keep: str | None = None) -> int:
    """Make `new` the user's password (Invalid naming `field` for one that cannot be used);
    close their open links and end every session and token but `keep`; how many ended."""
    problem = password_problem(new, user.username, user.email)
    if problem:
        raise Invalid('This password cannot be used.', {field: problem})
    password_hash = users.hasher.hash(new)  # at the configured cost, read at call time
    with transaction():
        set_password_hash(user.id, password_hash)
        tickets.close_all(user.id)
        return revoke_all(user.id, keep)


class AccountController:
    """What a signed-in user does to their own account (`caller`: `{"id", "username"}`)."""

    def __init__(self, caller: dict, client: str = ''):
        self.caller, self.client = caller, client

    def show(self) -> dict:
        """`{"username", "email", "created", "pending_email"}`: the account as its owner sees it."""
        user = find_by_id(self.caller['id'])
        return {'username': user.username, 'email': user.email,
                'created': isoformat(user.created),
                'pending_email': tickets.pending_email(user.id, utcnow())}

    def change_password(self, current: str, new: str, raw_token: str | None) -> dict:
        """Change the password; every session and token but the one of this request ends.
        `{"revoked": n}`."""
        check_password(self.caller, current, self.client, 'current_password')
        return {'revoked': replace_password(find_by_id(self.caller['id']), new, 'new_password',
                                            raw_token and digest(raw_token))}

    def request_email_change(self, email: str, password: str) -> dict:
        """Mail a link to the new address; the address changes when it is followed."""
        user = find_by_id(self.caller['id'])
        check_password(self.caller, password, self.client)
        if email.lower() == user.email.lower():
            raise Invalid('This is your e-mail address already.', {'email': 'already yours'},
                          code='unchanged')
        if email_taken(email, user.id):
            raise taken_address()
        limits.take_link_email(self.client, email)
        with transaction():
            key = open_with_email(user.id, tickets.EMAIL, EMAIL_CHANGE_SECONDS, email)
        outbox.relay([key])
        return {'pending_email': email,
                'message': f'We sent a link to {email}: your address changes when you open it.'}

    def sessions(self, raw_token: str | None) -> list[dict]:
        """The user's live sessions and tokens, newest first; `current` marks this request's."""
        mine = raw_token and digest(raw_token)
        return [{'id': str(row['id']), 'kind': row['kind'], 'created': isoformat(row['created']),
                 'expires': isoformat(row['expires']),
                 'last_used': row['last_used'] and isoformat(row['last_used']),
                 'user_agent': row['user_agent'], 'address': row['address'],
                 'current': row['digest'] == mine}
                for row in tokens_of(self.caller['id'], utcnow())]

    def revoke(self, token_id: int) -> None:
        """End one of the user's sessions or tokens, on every worker at once; NotFound for one
        that is not theirs (or ended already)."""
        found = digest_of(self.caller['id'], token_id)
        if found is None:
            raise NotFound(f'{self.caller["username"]} has no session or token {token_id}.')
        TokenController().revoke_digests([found])


def confirm_email(raw_token: str) -> dict:
    """Follow the link mailed to a new address: it becomes the account's. `{"username",
    "email"}`; Invalid for a link used, expired or not valid, Conflict when another account
    took the address meanwhile (the link then stays valid)."""
    ticket = redeem(raw_token, tickets.EMAIL)
    if email_taken(ticket['email'], ticket['user_id']):
        raise taken_address()
    with transaction():
        set_email(ticket['user_id'], ticket['email'])
        tickets.close_all(ticket['user_id'])
    return {'username': find_by_id(ticket['user_id']).username, 'email': ticket['email']}


def taken_address() -> Conflict:
    return Conflict('Another account uses this e-mail address.',
                    {'email': 'used by another account'}, code='email_taken')
