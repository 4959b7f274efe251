"""Deleting one's account, after giving the password again.

The database forgets the user in one statement: every table that holds a user's rows refers to
`users` with ON DELETE CASCADE (posts, follows both ways, tokens, tickets, owed e-mails, roles),
and posts of others addressed to them keep their text, with no addressee (SET NULL); a mention
of the name in a text stays as written. What lives outside the database is forgotten after the
commit by the functions of FORGETTERS, each taking the user's id: a store that keeps anything of
a user elsewhere (files, Redis keys) adds its own `forget(user_id)` there. Each is best effort:
Redis holds copies that are checked against the database before they are shown, and a failure
is logged, not shown to someone whose account is gone.
"""
from __future__ import annotations

import logging
from collections.abc import Callable

from controllers import avatars, exports, feeds
from controllers.account import check_password, revoke_all
from controllers.cache import FEED_SCOPE, CacheController, user_scope
from models import feedrows
from models.accounts import follower_ids, related_users
from models.db import transaction
from models.timelines import FeedsUnavailable
from models.users import delete_user, usernames_of

log = logging.getLogger('warble.accounts')
SCOPES_MAX = 1000  # cached pages of more related users than this expire by their TTL instead


def forget_feed(user_id: int) -> None:
    """The user's own home feed, and their place among the accounts merged on read."""
    feeds.FeedController().forget_account(user_id)


FORGETTERS: list[Callable[[int], None]] = [
    forget_feed,
    avatars.forget,
    exports.forget,
]


class AccountDeletion:
    """Deletes the account of `caller` (`{"id", "username"}`) with everything that is theirs."""

    def __init__(self, caller: dict, client: str = ''):
        self.caller, self.client = caller, client

    def delete(self, password: str) -> None:
        """Delete the account; Invalid for a wrong password (nothing is deleted then),
        Unavailable when its sessions cannot be ended now (nothing is deleted either)."""
        check_password(self.caller, password, self.client)
        user_id = self.caller['id']
        related = related_users(user_id, SCOPES_MAX)
        authored = feedrows.newest_of(user_id, feeds.feeds().length)
        followers = follower_ids(user_id, feeds.large_account())
        with transaction():
            revoke_all(user_id)
            delete_user(user_id)
        scopes = [user_scope(name) for name in usernames_of(set(related))]
        CacheController().invalidate(user_scope(self.caller['username']), FEED_SCOPE, *scopes)
        self._out_of_feeds(followers, authored)
        for forget in FORGETTERS:
            try:
                forget(user_id)
            except Exception:  # one failing store must not keep the others from forgetting
                log.exception('%s could not forget user %s', forget.__name__, user_id)

    @staticmethod
    def _out_of_feeds(followers: list[int], authored: list[int]) -> None:
        """Their posts out of their followers' feeds now (a page would skip them anyway)."""
        try:
            feeds.FeedController().drop_posts(followers, authored)
        except FeedsUnavailable as exc:
            log.warning('posts of a deleted account left in feeds, skipped on read: %s', exc)
