"""Daily statistics of MicroPosts: computed per UTC day from users, posts and follows, stored one
row per day (computing a day again replaces its row), and read back over a range of days."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from controllers.cache import CacheController
from controllers.errors import Invalid
from controllers.micropost_rules import MAX_DAYS
from lib.utils.datekit import isoformat, utcnow
from models import stats as store
from models.db import transaction

STATS_SCOPE = 'stats'
TOP = 10


def yesterday() -> dt.date:
    """The last complete UTC day."""
    return utcnow().date() - dt.timedelta(days=1)


class StatsController:
    """Computes, stores and reads the statistics of each UTC day."""

    def compute(self, day: dt.date) -> dict:
        """Count `day` (UTC) and store it, replacing what was stored for it."""
        start = dt.datetime.combine(day, dt.time())
        end = start + dt.timedelta(days=1)
        row = {'day': day, **store.counts(start, end, TOP), 'computed': utcnow()}
        with transaction():
            store.store_day(row)
        CacheController().invalidate(STATS_SCOPE)
        return represent(row)

    def backfill(self, first: dt.date, last: dt.date,
                 progress: Callable[[int], object] = lambda done: None) -> int:
        """Compute every day from `first` to `last`; `progress(1)` after each. How many days."""
        refuse_future(first, 'from')
        refuse_future(last, 'to')
        days = (last - first).days + 1
        for offset in range(days):
            self.compute(first + dt.timedelta(days=offset))
            progress(1)
        return max(days, 0)

    def daily(self, first: str, last: str) -> dict:
        """The stored days from `first` to `last` (YYYY-MM-DD, at most MAX_DAYS), in order."""
        start, end = parse_day(first, 'from'), parse_day(last, 'to')
        if end < start:
            raise Invalid('The range ends before it starts.',
                          {'to': 'must not be before the start day (from)'})
        refuse_future(start, 'from')
        refuse_future(end, 'to')
        if (end - start).days >= MAX_DAYS:
            raise Invalid(f'The range is longer than {MAX_DAYS} days.',
                          {'to': f'at most {MAX_DAYS} days from `from`, both included'})
        return {'from': start.isoformat(), 'to': end.isoformat(),
                'result': [represent(row) for row in store.days(start, end)]}


def refuse_future(day: dt.date, field: str) -> None:
    """Invalid for a day after today (UTC): nothing has happened there to count or to read."""
    today = utcnow().date()
    if day > today:
        raise Invalid(f'{day.isoformat()} is in the future (today is {today.isoformat()} UTC).',
                      {field: 'a day up to today (UTC)'})


def parse_day(text: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise Invalid(f'{text!r} is not a day.', {field: 'a day, YYYY-MM-DD'}) from None


def represent(row: dict) -> dict:
    day = row['day']
    return {'day': day.isoformat() if isinstance(day, dt.date) else str(day),
            'new_users': row['new_users'], 'new_posts': row['new_posts'],
            'active_authors': row['active_authors'], 'new_follows': row['new_follows'],
            'top_referenced': row['top_referenced'], 'computed': isoformat(row['computed'])}
