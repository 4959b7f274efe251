"""Shared page cache in Redis (purpose `cache`), invalidated by generations of scopes.

Each scope (`user:alice`, `feed`) has a generation: a random value replaced on every write to
it. A page is stored under the generations of the scopes it shows, so a write makes the old pages
unreachable at once, on every worker, without finding or deleting them; they expire by TTL.

Every key expires, and this Redis evicts the least recently used keys at its `maxmemory`: a lost
generation only makes its pages unreachable, which is always safe.
"""
from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

from redis.exceptions import NoScriptError, RedisError

from models.redisdb import get_redis

# One round trip: the generations of the scopes, then the page stored under them.
LOOKUP = """
local generations = redis.call('MGET', unpack(KEYS))
for i = 1, #KEYS do
  if not generations[i] then return false end
end
local version = table.concat(generations, '.')
return {version, redis.call('GET', 'page:' .. version .. ':' .. ARGV[1])}
"""


LOOKUP_SHA = hashlib.sha1(LOOKUP.encode()).hexdigest()
GENERATION_SECONDS = 86400  # longer than any page lives; a scope unread for a day starts anew


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
            try:
                found = self.redis.evalsha(LOOKUP_SHA, len(keys), *keys, _digest(key))
            except NoScriptError:  # a restarted Redis: load the script again
                found = self.redis.eval(LOOKUP, len(keys), *keys, _digest(key))
            if not found:
                with self.redis.pipeline(transaction=False) as pipe:
                    for generation in keys:
                        pipe.set(generation, secrets.token_hex(8), nx=True,
                                 ex=GENERATION_SECONDS)
                    pipe.execute()
                return None, None
        version, page = found
        return version.decode(), page.decode() if page is not None else None

    def store(self, version: str, key: str, page: str, seconds: int) -> None:
        with _answering():
            self.redis.set(f'page:{version}:{_digest(key)}', page, ex=seconds)

    def renew(self, scopes: list[str]) -> None:
        """New generations for `scopes`: their pages are no longer found."""
        with _answering(), self.redis.pipeline(transaction=False) as pipe:
            for scope in scopes:
                pipe.set(f'generation:{scope}', secrets.token_hex(8), ex=GENERATION_SECONDS)
            pipe.execute()


@contextmanager
def _answering() -> Iterator[None]:
    """Any Redis failure within is CacheUnavailable, with its reason."""
    try:
        yield
    except RedisError as exc:
        raise CacheUnavailable(str(exc)) from exc


def _digest(key: str) -> str:
    return hashlib.blake2b(key.encode(), digest_size=16).hexdigest()
