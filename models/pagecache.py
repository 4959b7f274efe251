"""Shared page cache in Redis (purpose `cache`), invalidated by generations of scopes.

Each scope (`user:alice`, `feed`) has a generation: a random value replaced on every write to
it. A page is stored with the generations of the scopes it shows (its version), and found only
while they are still current, so a write makes the old pages unreachable at once, on every worker,
without finding or deleting them. A lookup is one MGET: the generations and the page together.

A generation begins with the time it was made (milliseconds, hexadecimal): a page read from a
replica is stored only if the replica held every commit up to the newest of its generations.

Every key expires, and this Redis evicts the least recently used keys at its `maxmemory`: a lost
generation only makes its pages unreachable, which is always safe.
"""
from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager

from redis.exceptions import RedisError

from models.redisdb import get_redis

GENERATION_SECONDS = 86400  # longer than any page lives; a scope unread for a day starts anew


# The scopes of a write renewed in one command: a pipeline of SETs costs the client more.
RENEW = """
for _, key in ipairs(KEYS) do redis.call('SET', key, ARGV[1], 'EX', ARGV[2]) end
"""


class CacheUnavailable(Exception):
    """Redis did not answer the page cache."""


class PageStore:
    """Pages by key (route, arguments, query) under the current generations of their scopes.
    Each call raises CacheUnavailable when Redis does not answer."""

    def __init__(self):
        self.redis = get_redis('cache')

    def lookup(self, scopes: list[str], key: str) -> tuple[str | None, str | None]:
        """(version, page); version None when a scope has no generation yet (one is made)."""
        keys = [f'generation:{scope}' for scope in scopes]
        with _answering():
            *generations, stored = self.redis.mget(*keys, _page(key))
            if None in generations:
                with self.redis.pipeline(transaction=False) as pipe:
                    for generation in keys:
                        pipe.set(generation, new_generation(), nx=True,
                                 ex=GENERATION_SECONDS)
                    pipe.execute()
                return None, None
        version = b'.'.join(generations)
        if stored is None:
            return version.decode(), None
        stored_version, _, page = stored.partition(b'\n')
        return version.decode(), page.decode() if stored_version == version else None

    def store(self, version: str, key: str, page: str, seconds: int) -> None:
        with _answering():
            self.redis.set(_page(key), f'{version}\n{page}', ex=seconds)

    def renew(self, scopes: list[str]) -> None:
        """New generations for `scopes`: their pages are no longer found."""
        with _answering():
            self.redis.register_script(RENEW)(keys=[f'generation:{scope}' for scope in scopes],
                                              args=[new_generation(), GENERATION_SECONDS])


def new_generation() -> str:
    """When it is made, and a random part: `<milliseconds hex>-<random hex>`."""
    return f'{round(time.time() * 1000):x}-{secrets.token_hex(6)}'


def changed_at(version: str) -> float:
    """The wall time of the newest generation in `version` (0 for ones made without a time)."""
    stamps = [generation.partition('-') for generation in version.split('.')]
    return max((int(made, 16) / 1000 for made, dash, _ in stamps if dash), default=0.0)


@contextmanager
def _answering() -> Iterator[None]:
    """Any Redis failure within is CacheUnavailable, with its reason."""
    try:
        yield
    except RedisError as exc:
        raise CacheUnavailable(str(exc)) from exc


def _page(key: str) -> str:
    return f'page:{hashlib.blake2b(key.encode(), digest_size=16).hexdigest()}'
