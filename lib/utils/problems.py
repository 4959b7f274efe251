"""A bounded list of problems found in input: the first `LIMIT` are kept by field, the rest
only counted, so that no input, however broken, makes a refusal grow with its size."""
from __future__ import annotations

LIMIT = 100  # problems listed in an answer; the rest are counted


class Problems:
    """At most `limit` problems by field name (the first found for each field), and the
    number of the others."""

    def __init__(self, limit: int = LIMIT, root: str = 'body'):
        self.limit = limit
        self.root = root  # the name of a problem with the input as a whole
        self.fields: dict[str, str] = {}
        self.more = 0

    def add(self, name: str, message: str) -> None:
        name = name or self.root
        if name in self.fields:
            return
        if len(self.fields) < self.limit:
            self.fields[name] = message
        else:
            self.more += 1

    def full(self) -> bool:
        """Whether further problems are only counted."""
        return len(self.fields) >= self.limit

    def __bool__(self) -> bool:
        return bool(self.fields) or self.more > 0

    def __len__(self) -> int:
        return len(self.fields) + self.more


def summary(message: str, more: int) -> str:
    """`message`, saying how many problems were left out of the list."""
    if not more:
        return message
    return f'{message} {more} more problem{"s" if more != 1 else ""} not listed.'
