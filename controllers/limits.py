"""Rate limits: how often one may try to log in, sign up, post and follow (settings `limits`).

Every limit is a budget taken before the work it guards, atomically across workers
(`models.ratelimits`): N requests racing for the last unit get it at most once.

Logins take one unit from two budgets before the password is checked:
- per username and client address (`login_per_address` per `login_per_address_seconds`):
  someone guessing from one address is stopped soon, without touching other accounts or the
  other people behind the same address (NAT);
- per username from anywhere (`login_per_user` per `login_per_user_seconds`), larger and
  slower: guessing spread over many addresses is still bounded.
A successful login gives back its unit and empties the budget of its username and address, so
the owner is never stopped by their own typos once in. The limits refuse new logins only:
tokens and sessions already open keep working.

If Redis is down, nothing is limited (a warning says so, every 10 s at most): the service
stays up rather than refusing everyone.
"""
from __future__ import annotations

import logging

from controllers.errors import TooManyRequests
from lib import metrics
from lib.config import Section
from lib.logs import Throttle
from models.ratelimits import Budget, Budgets, LimitsUnavailable

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


def login_budgets(username: str, client: str) -> tuple[Budget, Budget]:
    """(the budget of this username from this address, the budget of this username)."""
    limits, name = settings(), username.lower()
    return (Budget('login', f'{name}|{client}', limits.login_per_address,
                   limits.login_per_address_seconds),
            Budget('login', name, limits.login_per_user, limits.login_per_user_seconds))


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
    take('sign-ups from this address', Budget('signup', client, limits.signups_per_address,
                                              limits.signups_seconds))


def take_post(user_id: int) -> None:
    limits = settings()
    take('posts', Budget('post', str(user_id), limits.posts_per_user, limits.posts_seconds))


def take_follow(user_id: int) -> None:
    limits = settings()
    take('follows', Budget('follow', str(user_id), limits.follows_per_user,
                           limits.follows_seconds))


def login_succeeded(event: str | None, per_address: Budget, per_user: Budget) -> None:
    """A right password: give back its unit and forget the failures from that address."""
    try:
        if event is not None:
            Budgets().give_back(event, per_user)
        Budgets().forget(per_address)
    except LimitsUnavailable as exc:
        unavailable(exc)


def unavailable(exc: Exception) -> None:
    metrics.redis_error('ratelimit')
    if throttle.ready():
        log.warning('rate limits unavailable, requests are not limited: %s', exc)
