"""Profiles: the display name and bio users write about themselves, and finding people by name."""
from __future__ import annotations

from controllers import represent
from controllers.errors import Invalid
from controllers.paging import page_of
from controllers.profile_rules import (
    BIO_LINES_MAX,
    BIO_MAX,
    DISPLAY_NAME_MAX,
    SUBSTRING_FROM,
    normalised,
    text_problem,
)
from lib.utils.urlkit import Links
from models.profiles import people_named

RULES = {'display_name': (DISPLAY_NAME_MAX, 1), 'bio': (BIO_MAX, BIO_LINES_MAX)}


def profile_changes(changes: dict) -> dict[str, str | None]:
    """The `display_name` and `bio` of `changes` as they are stored (NFC, trimmed; empty as
    None), or Invalid naming each that breaks its rule: checked before anything is written."""
    values, problems = {}, {}
    for name, (most, lines) in RULES.items():
        if name not in changes:
            continue
        text = normalised(changes[name])
        problem = text_problem(text, most, lines)
        if problem:
            problems[name] = problem
        values[name] = text or None
    if problems:
        raise Invalid('The profile is not valid.', problems)
    return values


class PeopleController:
    """Pages of users found by (part of) their username or display name."""

    def __init__(self, links: Links):
        self.links = links

    def search(self, name: str, page: int, size: int) -> dict:
        """Users whose username or display name contains `name`, ignoring case; a name of
        fewer than `SUBSTRING_FROM` characters matches the start of a name or of one of its
        words only, so a short search stays a short list (and, on PostgreSQL, indexed)."""
        name = normalised(name)
        if not name:
            raise Invalid('Give a name to search for.', {'name': 'not only spaces'})
        rows = people_named(name, len(name) >= SUBSTRING_FROM, page, size)
        return page_of(rows, size, lambda row: represent.user(
            self.links, row['username'], row['created'], row))
