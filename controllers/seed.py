"""Demo data: users, follows and posts in bulk, for trying MicroPosts and for benchmarks.

Each step is a generator that yields how many rows it has just written, for a progress bar.
Demo users are named `demo_<n>` and share one password (`DEMO_PASSWORD`), hashed once.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import random
from collections.abc import Iterator

from controllers import feeds, users
from controllers.cache import CacheController, user_scope
from controllers.credentials import username_key
from controllers.errors import Invalid
from controllers.micropost_rules import TEXT_MAX
from controllers.microposts import MicropostController
from lib.utils.datekit import utcnow
from models import follows as follow_store
from models import users as user_store
from models.db import refresh_statistics, transaction
from models.timelines import FeedsUnavailable

DEMO_PASSWORD = 'demo-password'
DEMO_PREFIX = 'demo_'
DEMO_DOMAIN = 'example.com'
BATCH = 2000
ONSETS = ('', 'b', 'c', 'd', 'f', 'g', 'h', 'j', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v',
          'w', 'z', 'br', 'st', 'tr')
VOWELS = ('a', 'e', 'i', 'o', 'u', 'ea', 'ou')
CODAS = ('', '', 'n', 'r', 's', 'l', 't', 'ng')


def vocabulary(size: int = 5000, seed: int = 7) -> list[str]:
    """Made-up words of one to three syllables, the same list for the same seed."""
    chance = random.Random(seed)
    words: set[str] = set()
    while len(words) < size:
        word = ''.join(chance.choice(ONSETS) + chance.choice(VOWELS) + chance.choice(CODAS)
                       for _ in range(chance.choice((1, 2, 2, 3))))
        if len(word) >= 3:
            words.add(word)
    return sorted(words)


class SeedController:
    """Writes demo users, follows and posts, in batches of one transaction each. It never touches
    another user: demo users follow demo users only, and only demo users write the posts."""

    def __init__(self, seed: int = 1):
        self.chance = random.Random(seed)
        self.words = vocabulary()
        self.created: list[str] = []  # the names of the demo users `users` made

    def users(self, count: int) -> Iterator[int]:
        """`count` new demo users, numbered on from the highest `demo_<n>` there is."""
        taken = [number for number, _id in demo_users(demo_only=False)]
        first = max(taken, default=0) + 1
        password_hash = users.hasher.hash(DEMO_PASSWORD)
        end = first + count
        for start in range(first, end, BATCH):
            names = [demo_name(n) for n in range(start, min(start + BATCH, end))]
            rows = [{'username': name, 'username_key': username_key(name),
                     'email': f'{name}@{DEMO_DOMAIN}',
                     'password_hash': password_hash} for name in names]
            with transaction():
                user_store.create_many(rows)
            self.created += user_store.usernames_among(names)
            yield len(rows)

    def follows(self, per_user: int) -> Iterator[int]:
        """Each user made by `users` follows `per_user` other demo users chosen at random (fewer
        if there are not that many)."""
        ids = [user_id for _number, user_id in demo_users()]
        new = user_store.ids_of(self.created)
        per_user = max(0, min(per_user, len(ids) - 1))
        step = max(1, BATCH // max(per_user, 1))
        for first in range(0, len(new), step):
            followers = new[first:first + step]
            rows = [{'follower': follower, 'followed': followed} for follower in followers
                    for followed in self._others(ids, follower, per_user)]
            if rows:
                with transaction():
                    follow_store.create_many(rows)
            self._changed(followers + [row['followed'] for row in rows])
            yield len(rows)

    def _others(self, ids: list[int], user_id: int, count: int) -> list[int]:
        return [other for other in self.chance.sample(ids, count + 1) if other != user_id][:count]

    def posts(self, count: int) -> Iterator[int]:
        """`count` posts by random demo users, one in ten addressed to another demo user, one a
        second up to now."""
        ids = [user_id for _number, user_id in demo_users()]
        if count and not ids:
            raise Invalid('There are no demo users to write the posts; add some with --users.')
        started = utcnow() - dt.timedelta(seconds=count)
        writer = MicropostController()
        for first in range(0, count, BATCH):
            batch = range(first, min(first + BATCH, count))
            yield writer.create_many([{
                'user': self.chance.choice(ids), 'text': self.text(),
                'referenced': self.chance.choice(ids) if self.chance.random() < 0.1 else None,
                'created': started + dt.timedelta(seconds=n)} for n in batch])

    def text(self) -> str:
        words = self.chance.choices(self.words, k=self.chance.randint(3, 24))
        return ' '.join(words)[:TEXT_MAX].strip().capitalize()

    def analyze(self) -> None:
        """Refresh the planner's statistics and the search index after a bulk load, and drop
        the home feeds, which are built again from the database when read."""
        refresh_statistics()
        with contextlib.suppress(FeedsUnavailable):  # then no feed outlived the data either
            feeds.feeds().forget_all()

    def _changed(self, user_ids: list[int]) -> None:
        names = user_store.usernames_of(set(user_ids))
        CacheController().invalidate(*(user_scope(name) for name in names))


def demo_name(number: int) -> str:
    return f'{DEMO_PREFIX}{number}'


def demo_users(demo_only: bool = True) -> list[tuple[int, int]]:
    """(number, id) of the users named `demo_<number>`; with `demo_only`, of those whose e-mail is
    the one `users` gives them too (a person who signed up as `demo_7` is left alone)."""
    found = []
    for user in user_store.with_username_prefix(DEMO_PREFIX):
        suffix = user['username'][len(DEMO_PREFIX):]
        if suffix.isdigit() and suffix.isascii() and (
                not demo_only or user['email'] == f'{user["username"]}@{DEMO_DOMAIN}'):
            found.append((int(suffix), user['id']))
    return sorted(found)
