"""Rate limits: how often one may try to log in, sign up, post, follow and ask for password
reset e-mails (settings `limits`).

Every limit is a budget taken before the work it guards, atomically across workers
(`models.ratelimits`): N requests racing for the last unit get it at most once.

Logins take one unit from two budgets before the password is checked:
- per username and client address (`login_per_address` per `login_per_address_seconds`):
  someone guessing from one address is stopped soon, without touching other accounts or the
  other people behind the same address (NAT);
- per username from anywhere (`login_per_user` per `login_per_user_seconds`), larger and
  slower: guessing spread over many addresses is still bounded.
A successful login gives back its unit and empties the budget of its username and address, so
the owner is never stopped by their own typos once in, and makes that address known for the
username (30 days): from a known address only the first budget applies, so guessing from
elsewhere that spends the username's budget does not stop its owner at their usual address.
The limits refuse new logins only: tokens and sessions already open keep working.

An address is an IPv4 address or an IPv6 /64 (what one subscriber usually holds whole).

If Redis is down, nothing is limited (a warning says so, every 10 s at most): the service
stays up rather than refusing everyone.
"""
from __future__ import annotations

import ipaddress
import logging

from controllers.errors import TooManyRequests
from lib import metrics
from lib.config import Section
from lib.logs import Throttle
from models.ratelimits import Budget, Budgets, LimitsUnavailable

KNOWN_SECONDS = 30 * 86400  # how long an address stays known after a login from it
log = logging.getLogger('warble.limits')
throttle = Throttle()
_limits: Section | None = None


def configure(limits: Section) -> None:
    """Use the `limits` settings."""
    global _limits
    _limits = limits


def settings() -> Section:
    if _limits is None:
        raise RuntimeError('controllers.limits.configure() was not called')
    return _limits


def mentions_mailed() -> int:
    """How many people one post may notify by e-mail; the others are named but not mailed."""
    return settings().mentions_mailed


def network(client: str) -> str:
    """What the limits count as one address: the IPv4 address, or the IPv6 /64 it is in."""
    try:
        address = ipaddress.ip_address(client)
    except ValueError:
        return client
    if address.version == 4:
        return str(address)
    if address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    return str(ipaddress.ip_network(f'{address}/64', strict=False))


class LoginAttempt:
    """One login of `username` from the address `client`: its units of the login budgets."""

    def __init__(self, username: str, client: str):
        limits, self.subject = settings(), f'{username.lower()}|{network(client)}'
        self.per_address = Budget('login', self.subject, limits.login_per_address,
                                  limits.login_per_address_seconds)
        self.per_user = Budget('login', username.lower(), limits.login_per_user,
                               limits.login_per_user_seconds)
        self.event: str | None = None

    def take(self) -> None:
        """Take the units before the password is checked; TooManyRequests when spent."""
        try:
            known = Budgets().marked('known', self.subject)
        except LimitsUnavailable as exc:
            unavailable(exc)
            return
        budgets = (self.per_address,) if known else (self.per_address, self.per_user)
        self.event = take('failed logins', *budgets)

    def succeeded(self) -> None:
        """A right password: give back its unit, forget the failures from that address, and
        know the address."""
        try:
            if self.event is not None:
                Budgets().give_back(self.event, self.per_user)
            Budgets().forget(self.per_address)
            Budgets().mark('known', self.subject, KNOWN_SECONDS)
        except LimitsUnavailable as exc:
            unavailable(exc)


def take(what: str, *budgets: Budget) -> str | None:
    """Take one unit of each budget: the event's id (None when not limited), or
    TooManyRequests naming `what` and when to try again."""
    try:
        event, wait = Budgets().take(*budgets)
    except LimitsUnavailable as exc:
        unavailable(exc)
        return None
    if wait:
        raise TooManyRequests(f'Too many {what}; try again in {wait} s.', wait)
    return event


def take_signup(client: str) -> None:
    limits = settings()
    take('sign-ups from this address', Budget('signup', network(client),
                                              limits.signups_per_address, limits.signups_seconds))


def take_post(user_id: int) -> None:
    limits = settings()
    take('posts', Budget('post', str(user_id), limits.posts_per_user, limits.posts_seconds))


def take_follow(user_id: int) -> None:
    limits = settings()
    take('follows', Budget('follow', str(user_id), limits.follows_per_user,
                           limits.follows_seconds))


def take_link_email(client: str, email: str) -> None:
    """One e-mail carrying an account link (a password reset, an e-mail change) asked for from
    `client` to `email`: bounded per address (so one cannot mail many people) and per e-mail
    address (so nobody's inbox is flooded). The budgets (`resets_*`) are taken whether or not an
    account has the address, which they do not reveal."""
    limits = settings()
    take('e-mails with links', Budget('link-from', network(client), limits.resets_per_address,
                                           limits.resets_per_address_seconds),
         Budget('link-to', email.lower(), limits.resets_per_email,
                limits.resets_per_email_seconds))


def take_avatar(user_id: int) -> None:
    """One avatar upload of `user_id`: each costs up to a fifth of a second of a worker's CPU."""
    limits = settings()
    take('avatar uploads', Budget('avatar', str(user_id), limits.avatars_per_user,
                                  limits.avatars_seconds))


def unavailable(exc: Exception) -> None:
    metrics.redis_error('ratelimit')
    if throttle.ready():
        log.warning('rate limits unavailable, requests are not limited: %s', exc)
