"""Domain exceptions; `api/errors.py` maps each to its HTTP status and JSON error body."""
from __future__ import annotations


class DomainError(Exception):
    """Base of the errors a controller raises on purpose."""

    code = 'error'

    def __init__(self, message: str, fields: dict[str, str] | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
        if code:
            self.code = code


class Invalid(DomainError):
    """Bad input: `fields` names the first problems (a bounded list), `more` counts the rest;
    `problems`, when a check lists them for a screen, the same as rows (`import_check`)."""

    code = 'invalid'

    def __init__(self, message: str, fields: dict[str, str] | None = None,
                 code: str | None = None, more: int = 0, problems: list[dict] | None = None):
        super().__init__(message, fields, code)
        self.more = more
        self.problems = problems
        self.labels: dict[str, int] = {}  # what names the objects of `fields` (`citizen_id`)


class Unauthorized(DomainError):
    code = 'unauthorized'


class Forbidden(DomainError):
    code = 'forbidden'


class NotFound(DomainError):
    code = 'not_found'


class Gone(NotFound):
    """What was there is no more, for good (an export past its day)."""

    code = 'gone'


class Conflict(DomainError):
    code = 'conflict'


class TooManyRequests(DomainError):
    code = 'too_many_requests'

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


class Unavailable(DomainError):
    code = 'unavailable'


class Busy(Unavailable):
    """The database is there but other writes held it past the wait allowed: worth a retry
    after `retry_after` seconds, unlike an outage."""

    code = 'busy'

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after
