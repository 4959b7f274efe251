"""Redis access by purpose (`cache`, `broker`, `timelines`, `ratelimit`, `sessions`), one
client per URL."""
from __future__ import annotations

import redis

from lib.config import Section
from lib.utils.urlkit import redis_url

_settings: Section | None = None
_clients: dict[str, redis.Redis] = {}   # by URL: purposes that share a server share a client
_by_purpose: dict[str, redis.Redis] = {}


def configure(settings: Section) -> None:
    """Remember the `redis` settings; clients are made on first use."""
    global _settings
    _settings = settings
    _clients.clear()
    _by_purpose.clear()


def get_redis(purpose: str = 'cache') -> redis.Redis:
    """The Redis client for a purpose; purposes without their own URL share `redis.url`."""
    client = _by_purpose.get(purpose)
    if client is not None:
        return client
    if _settings is None:
        raise RuntimeError('models.redisdb.configure() was not called')
    url = redis_url(_settings, purpose)
    if url not in _clients:
        _clients[url] = redis.Redis.from_url(
            url, socket_timeout=_settings.socket_timeout,
            socket_connect_timeout=_settings.socket_timeout, health_check_interval=30)
    client = _by_purpose[purpose] = _clients[url]
    return client


def ping(purpose: str) -> None:
    """Ask the Redis of `purpose` whether it answers; raises when it does not."""
    get_redis(purpose).ping()


def blocking_client(purpose: str, block_seconds: float) -> redis.Redis:
    """A client of its own for the Redis of `purpose`, whose reads may wait `block_seconds`
    (a blocking XREAD) beyond the usual socket timeout; one connection at a time."""
    if _settings is None:
        raise RuntimeError('models.redisdb.configure() was not called')
    return redis.Redis.from_url(
        redis_url(_settings, purpose), socket_timeout=block_seconds + _settings.socket_timeout,
        socket_connect_timeout=_settings.socket_timeout, max_connections=1)
