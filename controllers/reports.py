"""The Analyzer's reports on one import: birthday presents per month, age percentiles per town."""
from __future__ import annotations

import math
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from itertools import accumulate

from controllers.citizen_rules import today
from controllers.imports import require_import
from controllers.reads import replica_read
from models.citizens import age_counts_by_town, relatives_birth_dates

PERCENTS = (50, 75, 99)


class ReportController:
    """Computes the reports from the stored citizens of an import."""

    @replica_read
    def birthdays(self, import_id: int) -> dict[str, list[dict]]:
        """For each month "1".."12", who buys presents that month and how many, by citizen_id."""
        require_import(import_id)
        presents = Counter((born.month, citizen_id)
                           for citizen_id, births in relatives_birth_dates(import_id).items()
                           for born in births)
        months: dict[str, list[dict]] = {str(month): [] for month in range(1, 13)}
        for (month, citizen_id), count in sorted(presents.items()):
            months[str(month)].append({'citizen_id': citizen_id, 'presents': count})
        return months

    @replica_read
    def age_percentiles(self, import_id: int) -> list[dict]:
        """The 50th, 75th and 99th percentiles of ages in whole years per town, by town."""
        require_import(import_id)
        report = []
        for town, counts in sorted(age_counts_by_town(import_id, today()).items()):
            ages = Tally(counts)
            report.append({'town': town, **{f'p{percent}': round(percentile(ages, percent), 2)
                                            for percent in PERCENTS}})
        return report


class Tally(Sequence):
    """The sorted values that `(value, count)` pairs in ascending order of value stand for,
    read by index without being spelled out."""

    def __init__(self, counts: Sequence[tuple[int, int]]) -> None:
        self._values = [value for value, _ in counts]
        self._ends = list(accumulate(count for _, count in counts))

    def __len__(self) -> int:
        return self._ends[-1] if self._ends else 0

    def __getitem__(self, index: int) -> int:
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._values[bisect_right(self._ends, index)]


def percentile(values: Sequence[float], percent: float) -> float:
    """The percentile of sorted `values` with linear interpolation, the same floating-point
    steps as `numpy.percentile(values, percent, method='linear')`."""
    position = (len(values) - 1) * (percent / 100)
    if position >= len(values) - 1:
        return float(values[-1])
    below = math.floor(position)
    low, high = values[below], values[below + 1]
    weight = position - below
    if weight >= 0.5:
        return high - (high - low) * (1 - weight)
    return low + (high - low) * weight
