"""Rate limits in Redis (purpose `ratelimit`), shared by every worker: sliding windows of events."""
from __future__ import annotations

import math
import secrets
import time

from models.redisdb import get_redis


class SlidingWindow:
    """At most `limit` events per subject within the last `seconds`, in one sorted set each."""

    def __init__(self, name: str, limit: int, seconds: int):
        self.name, self.limit, self.seconds = name, limit, seconds
        self.redis = get_redis('ratelimit')

    def retry_after(self, *subjects: str) -> int:
        """0 when every subject is under the limit, else seconds until all of them are."""
        now = time.time()
        with self.redis.pipeline(transaction=False) as pipe:
            for subject in subjects:
                key = self._key(subject)
                pipe.zremrangebyscore(key, '-inf', now - self.seconds)
                pipe.zrange(key, -self.limit, -self.limit, withscores=True)
            answers = pipe.execute()[1::2]
        waits = [oldest[0][1] + self.seconds - now for oldest in answers if oldest]
        return max(1, math.ceil(max(waits))) if waits else 0

    def record(self, *subjects: str) -> None:
        """One event now for each subject."""
        now = time.time()
        with self.redis.pipeline(transaction=False) as pipe:
            for subject in subjects:
                key = self._key(subject)
                pipe.zadd(key, {f'{now}:{secrets.token_hex(4)}': now})
                pipe.expire(key, self.seconds + 1)
            pipe.execute()

    def _key(self, subject: str) -> str:
        return f'ratelimit:{self.name}:{subject}'
