"""Microposts: the one place where posts are written, each write in one transaction.

A write that names someone new owes them an e-mail in that same transaction (the outbox), handed
to the workers once it commits. Reads return pages of posts with their authors and referenced
users, fetched in one query.
"""
from __future__ import annotations

from collections.abc import Iterable
from contextlib import nullcontext

from controllers import events, feeds, limits, notifications, outbox, represent
from controllers.cache import FEED_SCOPE, CacheController, user_scope
from controllers.cursors import cursor_of, cursor_page
from controllers.errors import Invalid, NotFound
from controllers.mentions import Version, mentioned_names, names_anyone, owe
from controllers.micropost_rules import SIZE_DEFAULT, TEXT_MAX, is_username
from controllers.paging import page_of
from controllers.reads import replica_read
from controllers.users import find_user, user_named
from lib.utils.urlkit import Links
from models import microposts as store
from models.db import transaction
from models.profiles import look_of
from models.users import usernames_of

ID_MAX = 2 ** 63 - 1


class MicropostController:
    """Reads, creates, edits and deletes microposts; `links` makes the URLs of what it shows."""

    def __init__(self, links: Links | None = None):
        self.links = links

    def feed(self, page: int, size: int) -> dict:
        """Every post, newest first."""
        return page_of(store.newest(page, size), size, self._represent)

    def collection(self, username: str, page: int, size: int) -> dict:
        """The posts of one user, newest first: one query, and one more to tell an empty page
        from a user who does not exist."""
        rows = store.newest(page, size, username) if is_username(username) else []
        if not rows:
            find_user(username)
        return page_of(rows, size, self._represent)

    @replica_read
    def read(self, query: dict, username: str | None = None) -> dict:
        """The feed, or one user's collection, as a checked page query asks: by number, or
        by post id (see `controllers.cursors`)."""
        by_id, size = cursor_of(query, 'newest'), query.get('size', SIZE_DEFAULT)
        if by_id is not None:
            return self.by_id(*by_id, query.get('order', 'newest'), size, username)
        if username is None:
            return self.feed(query.get('page', 1), size)
        return self.collection(username, query.get('page', 1), size)

    def by_id(self, cursor: int | None, newer: bool, order: str, size: int,
              username: str | None = None) -> dict:
        """The feed, or one user's collection, past `cursor` (see `controllers.cursors`)."""
        rows = store.past(cursor, newer, size + 1, username) if username is None or \
            is_username(username) else []
        if not rows and username is not None:
            find_user(username)
        return cursor_page(rows, size, cursor, newer, order, self._represent)

    @replica_read
    def get(self, username: str, post_id: int) -> dict:
        """One post of this user; NotFound for another user's post. One query when found."""
        row = None
        if is_username(username) and is_post_id(post_id):
            row = store.listed_post(username, post_id)
        if row is None:
            raise no_post(find_user(username).username, post_id)
        return self._represent(row)

    def create(self, author: dict, text: str, referenced: str | None = None) -> dict:
        """A new post by `author` (`{"id", "username"}`), within their budget of posts."""
        text = checked_text(text)
        limits.take_post(author['id'])
        # A post that names nobody is its INSERT alone, atomic by itself: no BEGIN and COMMIT
        # around it. One that names someone is written with the e-mails and notifications it
        # owes, together.
        with transaction() if names_anyone(text, referenced) else nullcontext():
            mentioned = referenced_user(referenced)
            post = store.create_post(author['id'], text, mentioned and mentioned['id'])
            owed = owe(post['id'], author['id'], Version(text, mentioned and mentioned['id']))
            notifications.on_mention(post['id'], author['id'], list(mentioned_names(text)),
                                     mentioned and mentioned['id'])
        self._changed(author)
        outbox.relay(owed)
        feeds.offer(feeds.FAN_OUT_TASK, post['id'])
        return self._represent({**post, **look_of(author['id']), 'username': author['username'],
                                'referenced_username': mentioned and mentioned['username']})

    def create_many(self, posts: Iterable[dict]) -> int:
        """Insert posts `{"user": id, "text", "referenced": id or None, "created"}` in one
        transaction: demo data, which sends no mention e-mails and is not fanned out (feeds
        are built from the database once the data is in: see `SeedController.analyze`).
        Returns how many were written."""
        rows = [dict(post, text=checked_text(post['text'])) for post in posts]
        if not rows:
            return 0
        with transaction():
            store.create_posts(rows, fan_out=False)
            scopes = [user_scope(username)
                      for username in usernames_of({row['user'] for row in rows})]
        CacheController().invalidate(FEED_SCOPE, *scopes)
        return len(rows)

    def edit(self, author: dict, post_id: int, changes: dict) -> dict:
        """Change the `text` and/or `referenced` user of one of `author`'s posts; a change
        marks the post `edited` at that time."""
        check_id(author['username'], post_id)
        with transaction():
            post = store.post_of(author['id'], post_id)
            if post is None:
                raise no_post(author['username'], post_id)
            before = Version(post['text'], post['referenced'])
            text, referenced = before
            if 'text' in changes:
                text = checked_text(changes['text'])
            if 'referenced' in changes:
                mentioned = referenced_user(changes['referenced'])
                referenced = mentioned and mentioned['id']
            after = Version(text, referenced)
            if after != before:  # the same text and addressee again leave the post unedited
                store.save_post(post_id, text, referenced)
                notifications.on_mention(post_id, author['id'], list(mentioned_names(text)),
                                         referenced, edited=True)
            owed = owe(post_id, author['id'], after, before)
        self._changed(author)
        outbox.relay(owed)
        events.emit(events.EDIT, author, id=post_id)
        return self.get(author['username'], post_id)

    def delete(self, author: dict, post_id: int) -> None:
        check_id(author['username'], post_id)
        with transaction():
            deleted = store.delete_post(author['id'], post_id)
        if not deleted:
            raise no_post(author['username'], post_id)
        self._changed(author)
        events.emit(events.DELETE, author, id=post_id)

    def _changed(self, author: dict) -> None:
        CacheController().invalidate(user_scope(author['username']), FEED_SCOPE)

    def _represent(self, row: dict) -> dict:
        return represent.micropost(self.links, row)


def no_post(username: str, post_id: int) -> NotFound:
    return NotFound(f'{username} has no post {post_id}.')


def is_post_id(post_id: int) -> bool:
    """Whether `post_id` can name a post: ids from a URL beyond the database's integers cannot."""
    return 0 < post_id <= ID_MAX


def check_id(username: str, post_id: int) -> None:
    if not is_post_id(post_id):
        raise no_post(username, post_id)


def checked_text(text: str) -> str:
    if not text.strip():
        raise Invalid('The post is empty.', {'text': 'must not be blank'})
    if len(text) > TEXT_MAX:
        raise Invalid('The post is too long.', {'text': f'at most {TEXT_MAX} characters'})
    return text


def referenced_user(username: str | None) -> dict | None:
    """`{"id", "username"}` of the user a post is addressed to; Invalid when there is no such
    user."""
    if username is None:
        return None
    user = user_named(username)
    if user is None:
        raise Invalid(f'There is no user {username!r} to reference.',
                      {'referenced': 'no such user'})
    return {'id': user.id, 'username': user.username}
