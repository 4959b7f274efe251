"""Date and time helpers: everything in UTC, ISO 8601 out."""
from __future__ import annotations

import datetime as dt


def utcnow() -> dt.datetime:
    """The current time in UTC, naive (as stored in the database)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def isoformat(moment: dt.datetime) -> str:
    """ISO 8601 in UTC with a `Z`, for a naive UTC or an aware datetime."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment.isoformat(timespec='milliseconds') + 'Z'
