"""Daily statistics, computed by a beat task shortly after each UTC midnight."""
from __future__ import annotations

import datetime as dt

from celery import shared_task

from controllers.stats import StatsController, yesterday


@shared_task(name='stats.daily')
def daily(day: str | None = None) -> dict:
    """Compute the statistics of `day` (YYYY-MM-DD), by default of yesterday (UTC)."""
    return StatsController().compute(dt.date.fromisoformat(day) if day else yesterday())
