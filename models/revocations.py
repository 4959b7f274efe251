"""Revoked bearer tokens in Redis (purpose `sessions`), read by every worker on every request.

A revoked token's digest is kept (`tokens:revoked:<digest>`) for as long as the token could have
lived. `tokens:epoch` names the state those marks belong to: a Redis that lost its data (a flush,
a restart without persistence) has no epoch, and a new one is drawn, so whatever a worker
remembered under the old epoch is no longer trusted. This Redis must not evict keys
(`maxmemory-policy noeviction`, the default): an evicted mark would let a revoked token in.
"""
from __future__ import annotations

import secrets
from typing import NamedTuple

from redis import RedisError

from models.redisdb import get_redis

EPOCH = 'tokens:epoch'


class RevocationsUnavailable(Exception):
    """Redis could not tell which tokens are revoked, or could not record a revocation."""


class TokenState(NamedTuple):
    """What Redis says of one token: the current epoch, and whether the token is revoked."""

    epoch: str
    revoked: bool


def state_of(digest: str) -> TokenState:
    """The epoch (a new one when Redis has none) and whether `digest` is revoked: one round
    trip, two when a new epoch is drawn."""
    redis = get_redis('sessions')
    try:
        epoch, revoked = redis.mget(EPOCH, _revoked(digest))
        if epoch is None:
            with redis.pipeline() as pipe:
                epoch = pipe.set(EPOCH, secrets.token_hex(8), nx=True).get(EPOCH).execute()[1]
    except RedisError as exc:
        raise RevocationsUnavailable(str(exc)) from exc
    return TokenState(epoch.decode(), revoked is not None)


def mark_revoked(digest: str, seconds: int) -> None:
    """Record that the token with `digest` is revoked, for `seconds` (its longest life)."""
    try:
        get_redis('sessions').set(_revoked(digest), 1, ex=seconds)
    except RedisError as exc:
        raise RevocationsUnavailable(str(exc)) from exc


def mark_all_revoked(digests: list[str], seconds: int) -> None:
    """`mark_revoked` for many tokens, in one round trip."""
    try:
        with get_redis('sessions').pipeline(transaction=False) as pipe:
            for digest in digests:
                pipe.set(_revoked(digest), 1, ex=seconds)
            pipe.execute()
    except RedisError as exc:
        raise RevocationsUnavailable(str(exc)) from exc


def _revoked(digest: str) -> str:
    return f'tokens:revoked:{digest}'
