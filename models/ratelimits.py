"""Rate limits in Redis (purpose `ratelimit`), shared by every worker: budgets of events in
sliding windows, taken atomically.

Each budget is a sorted set of event times, never longer than its limit. `Budgets.take` runs as
one Lua script: either every budget named has room and each gets one event, or none is touched
and the answer is how long until all of them have room again. So N requests racing for the last
unit of a budget get it at most once, whatever the number of workers.
"""
from __future__ import annotations

import math
import secrets
from typing import NamedTuple

from redis import RedisError

from models.redisdb import get_redis


class LimitsUnavailable(Exception):
    """Redis could not be asked; the caller decides whether to let the request through."""

# KEYS: one sorted set per budget; ARGV: member, then limit and seconds of each key in turn.
# Answers {1} when taken, else {0, milliseconds until every budget has room}.
TAKE = """
local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local wait = 0
for i, key in ipairs(KEYS) do
  local limit = tonumber(ARGV[2 * i])
  local window = tonumber(ARGV[2 * i + 1]) * 1000
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now_ms - window)
  if redis.call('ZCARD', key) >= limit then
    local oldest = redis.call('ZRANGE', key, -limit, -limit, 'WITHSCORES')
    local free_at = oldest[2] and tonumber(oldest[2]) + window or now_ms + window
    wait = math.max(wait, free_at - now_ms)
  end
end
if wait > 0 then return {0, wait} end
for i, key in ipairs(KEYS) do
  redis.call('ZADD', key, now_ms, ARGV[1])
  redis.call('PEXPIRE', key, tonumber(ARGV[2 * i + 1]) * 1000)
end
return {1}
"""


class Budget(NamedTuple):
    """At most `limit` events per `seconds` for one subject of one kind (`login:alice`)."""

    name: str
    subject: str
    limit: int
    seconds: int

    @property
    def key(self) -> str:
        return f'ratelimit:{self.name}:{self.subject}'


class Budgets:
    """Take one event from several budgets at once, give it back, or forget a budget."""

    def __init__(self) -> None:
        self.redis = get_redis('ratelimit')

    def take(self, *budgets: Budget) -> tuple[str | None, int]:
        """(the event's id, 0) when every budget had room; (None, seconds to wait) when one
        had none, and then nothing was taken. Budgets with a limit of 0 are not limited."""
        budgets = tuple(budget for budget in budgets if budget.limit > 0)
        if not budgets:
            return None, 0
        event = secrets.token_hex(8)
        arguments = [event]
        for budget in budgets:
            arguments += [budget.limit, budget.seconds]
        try:
            answer = self.redis.eval(TAKE, len(budgets), *(b.key for b in budgets), *arguments)
        except RedisError as exc:
            raise LimitsUnavailable(str(exc)) from exc
        if answer[0] == 1:
            return event, 0
        return None, max(1, math.ceil(int(answer[1]) / 1000))

    def give_back(self, event: str, *budgets: Budget) -> None:
        """Return an event taken from these budgets (it turned out not to count)."""
        try:
            with self.redis.pipeline(transaction=False) as pipe:
                for budget in budgets:
                    pipe.zrem(budget.key, event)
                pipe.execute()
        except RedisError as exc:
            raise LimitsUnavailable(str(exc)) from exc

    def mark(self, name: str, subject: str, seconds: int) -> None:
        """Remember for `seconds` that `subject` is `name` (an address a user logged in from)."""
        try:
            self.redis.set(f'ratelimit:{name}:{subject}', 1, ex=seconds)
        except RedisError as exc:
            raise LimitsUnavailable(str(exc)) from exc

    def marked(self, name: str, subject: str) -> bool:
        try:
            return bool(self.redis.exists(f'ratelimit:{name}:{subject}'))
        except RedisError as exc:
            raise LimitsUnavailable(str(exc)) from exc

    def forget(self, *budgets: Budget) -> None:
        """Empty these budgets."""
        try:
            self.redis.delete(*(budget.key for budget in budgets))
        except RedisError as exc:
            raise LimitsUnavailable(str(exc)) from exc
