"""Logging: `dictConfig` from the settings, text or JSON lines, each with the request id."""
from __future__ import annotations

import contextvars
import json
import logging
import logging.config
import time

from lib.config import Section

request_id: contextvars.ContextVar[str] = contextvars.ContextVar('request_id', default='-')

TEXT_FORMAT = '%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s'


class RequestIdFilter(logging.Filter):
    """Stamp every record with the id of the request being served."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


# C0 and C1 controls (line breaks, escape sequences) and the Unicode line separators.
CONTROLS = {code: f'\\x{code:02x}' if code < 0x100 else f'\\u{code:04x}'
            for code in (*range(0x20), *range(0x7f, 0xa0), 0x2028, 0x2029)}
CONTROLS.update({ord('\n'): '\\n', ord('\r'): '\\r', ord('\t'): '\\t'})


class TextFormatter(logging.Formatter):
    """One line per record: control characters in what the record says (a path with `%0a`,
    a username) are escaped, so no input can forge a line; a traceback follows as is."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        return super().formatMessage(record).translate(CONTROLS)


class JsonFormatter(logging.Formatter):
    """One JSON object per line; extra fields given with `extra={...}` are kept."""

    STANDARD = set(vars(logging.makeLogRecord({}))) | {'message', 'asctime', 'request_id'}
    ENCODER = json.JSONEncoder(default=str)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stamp: tuple[int | None, str] = (None, '')

    def format(self, record: logging.LogRecord) -> str:
        line = {
            'time': self.time_of(record),
            'level': record.levelname,
            'logger': record.name,
            'request_id': getattr(record, 'request_id', '-'),
            'message': record.getMessage(),
        }
        line.update({key: value for key, value in vars(record).items()
                     if key not in self.STANDARD})
        if record.exc_info:
            line['exception'] = self.formatException(record.exc_info)
        return self.ENCODER.encode(line)

    def time_of(self, record: logging.LogRecord) -> str:
        """The record's local time to the second, formatted once for all lines of a second."""
        second = int(record.created)
        stamped, text = self.stamp
        if second != stamped:
            text = time.strftime('%Y-%m-%dT%H:%M:%S', self.converter(second))
            self.stamp = (second, text)
        return text


class Throttle:
    """Say yes at most once per `interval` seconds: an outage must not flood the log."""

    def __init__(self, interval: float = 10.0):
        self.interval = interval
        self.last = -interval

    def ready(self) -> bool:
        now = time.monotonic()
        if now - self.last < self.interval:
            return False
        self.last = now
        return True


def configure(logging_settings: Section) -> None:
    """Install the handlers described by the `logging` section of the settings."""
    formatter = ({'()': JsonFormatter} if logging_settings.format == 'json'
                 else {'()': TextFormatter, 'format': TEXT_FORMAT})
    logging.config.dictConfig({
        'version': 1,
        'disable_existing_loggers': False,
        'filters': {'request_id': {'()': RequestIdFilter}},
        'formatters': {'default': formatter},
        'handlers': {'stderr': {'class': 'logging.StreamHandler', 'formatter': 'default',
                                'filters': ['request_id']}},
        'root': {'level': logging_settings.level, 'handlers': ['stderr']},
    })
