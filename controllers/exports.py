"""Exports of one's posts as JSON or CSV, written by a Celery task in batches with its progress
recorded, kept for a day, downloaded by their owner only.

The request writes the export's row (one under way per user: a second request gets the first)
and hands it to Celery after the commit. A worker claims the row with a lease, writes the posts
up to the newest one at the request (a snapshot: posts written meanwhile wait for the next
export) to a part file of its own, renewing the lease and the count done after each batch, and
renames the file into place once complete. A worker lost mid-way lets its lease run out; the
sweep then hands the export on, and the next worker starts it again. The same sweep expires
exports past their day: their files go, their rows say so for a week, then go too.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import logging
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from controllers.errors import Conflict, Gone, NotFound
from controllers.notice_rules import EXPORT_ATTEMPTS, ID_MAX
from lib import jobs
from lib.config import Section
from lib.utils.datekit import isoformat, utcnow
from lib.utils.urlkit import Links
from models import exportfiles
from models import exports as store
from models.db import transaction

MAKE_TASK = 'exports.make'
SWEEP_BATCH = 100
KEEP_EXPIRED = dt.timedelta(days=7)  # how long an expired export's row still says so
LISTED = 5  # exports one's list shows, newest first
CSV_COLUMNS = ('id', 'created', 'edited', 'referenced', 'text')
MEDIA_TYPES = {'json': 'application/json', 'csv': 'text/csv; charset=utf-8'}

log = logging.getLogger('warble.exports')
_settings: Section | None = None


def configure(settings: Section, var: Path) -> None:
    """Take the `exports` settings; the files go to `exports.directory`, by default `exports/`
    under the runtime directory `var`."""
    global _settings
    _settings = settings
    exportfiles.configure(Path(settings.directory) if settings.directory else var / 'exports')


def lease_end() -> dt.datetime:
    return utcnow() + dt.timedelta(seconds=_settings.lease_seconds)


def keep_until() -> dt.datetime:
    return utcnow() + dt.timedelta(hours=_settings.keep_hours)


def forget(user_id: int) -> None:
    """Delete what a user's exports keep outside the database (their files); their rows and
    notifications go with the account (ON DELETE CASCADE), and notifications keep nothing
    outside the database. Call it after the commit that deleted the account: an export still
    running then finds its row gone and drops its file."""
    exportfiles.forget(user_id)


def offer(export_id: int) -> None:
    """Hand an export to Celery after its commit; one the broker cannot take is the sweep's."""
    if not jobs.offer(MAKE_TASK, export_id):
        log.warning('broker unreachable: export %s left to the sweep', export_id)
        with transaction():
            store.due_now(export_id, utcnow())


class ExportController:
    """Asks for, shows and serves one's exports; runs and sweeps them for the workers."""

    def __init__(self, links: Links | None = None):
        self.links = links

    def request(self, caller: dict, fmt: str) -> tuple[dict, bool]:
        """A new export of `caller`'s posts in `fmt`, and True; or the one under way already,
        and False."""
        with transaction():
            row = store.under_way(caller['id'])
            if row is None:
                row = store.start(caller['id'], fmt, lease_end(), keep_until())
                created = row is not None
            else:
                created = False
            if row is None:  # another request made one between the look and the insert
                row = store.under_way(caller['id'])
        if created:
            offer(row['id'])
        return self._represent(row), created

    def listing(self, caller: dict) -> dict:
        """`caller`'s newest exports, newest first."""
        return {'result': [self._represent(row) for row in store.newest_of(caller['id'],
                                                                            LISTED)]}

    def status(self, caller: dict, export_id: int) -> dict:
        return self._represent(self._own(caller, export_id))

    def download(self, caller: dict, export_id: int) -> dict:
        """`{"path", "filename", "media_type"}` of a finished export of `caller`'s; Gone once
        past its day, Conflict while it is not ready."""
        row = self._own(caller, export_id)
        if row['state'] == store.EXPIRED or row['expires'] <= utcnow():
            raise Gone(f'Export {export_id} expired on {isoformat(row["expires"])}: '
                       'ask for a new one.')
        if row['state'] == store.FAILED:
            raise Conflict(f'Export {export_id} failed: ask for a new one.', code='failed')
        if row['state'] != store.DONE:
            raise Conflict(f'Export {export_id} is not ready: it is {row["state"]}.',
                           code='not_ready')
        path = exportfiles.path(row['user'], row['id'], row['format'])
        if not path.is_file():
            raise Gone(f'The file of export {export_id} is gone: ask for a new one.')
        return {'path': path, 'media_type': MEDIA_TYPES[row['format']],
                'filename': f'warble-{row["username"]}-posts-{row["created"]:%Y%m%d}'
                            f'.{row["format"]}'}

    def make(self, export_id: int) -> str:
        """Run an export to its end (the task); the outcome."""
        return list(self.steps(export_id))[-1]

    def steps(self, export_id: int) -> Iterator[str]:
        """Run an export, yielding 'batch' after each batch is recorded, then the outcome:
        'done', 'skipped' (not ours to run), 'lost' (claimed elsewhere, or deleted), 'failed'."""
        claim = secrets.token_hex(16)
        with transaction():
            row = store.claim(export_id, claim, lease_end())
        if row is None:
            yield 'skipped'
            return
        if row['attempts'] > EXPORT_ATTEMPTS:
            with transaction():
                store.fail(export_id, f'gave up after {EXPORT_ATTEMPTS} runs')
            yield 'failed'
            return
        user, fmt = row['user'], row['format']
        done = 0
        try:
            with exportfiles.open_part(user, export_id, fmt, claim, ENCODINGS[fmt]) as out:
                writer = WRITERS[fmt](out, row)
                after = 0
                while batch := store.posts(user, after, row['last_post'], _settings.batch):
                    writer.write(batch)
                    done, after = done + len(batch), batch[-1]['id']
                    out.flush()
                    with transaction():
                        ours = store.progress(export_id, claim, done, lease_end())
                    if not ours:
                        raise LostClaim
                    yield 'batch'
                writer.end()
        except LostClaim:
            exportfiles.drop_part(user, export_id, fmt, claim)
            yield 'lost'
            return
        except BaseException:
            exportfiles.drop_part(user, export_id, fmt, claim)
            raise
        try:
            exportfiles.publish(user, export_id, fmt, claim)
        except FileNotFoundError:  # its user's files were forgotten meanwhile
            yield 'lost'
            return
        with transaction():
            finished = store.finish(export_id, claim, done, keep_until())
        if not finished and store.one(export_id) is None:  # the account went meanwhile
            exportfiles.remove(user, export_id)
        yield 'done' if finished else 'lost'

    def sweep(self) -> dict:
        """Expire exports past their day; hand on those whose worker was lost. What it did."""
        now = utcnow()
        expired = 0
        while gone := store.past_their_day(now, SWEEP_BATCH):
            for row in gone:
                exportfiles.remove(row['user'], row['id'])
            with transaction():
                store.mark_expired([row['id'] for row in gone])
            expired += len(gone)
        with transaction():
            store.drop_expired(now - KEEP_EXPIRED)
        lapsed = store.lapsed(now, SWEEP_BATCH)
        with transaction():
            store.hand_on([row['id'] for row in lapsed], lease_end())
        for row in lapsed:
            offer(row['id'])
        return {'expired': expired, 'handed_on': len(lapsed)}

    def _own(self, caller: dict, export_id: int) -> dict:
        row = store.one(export_id) if 0 < export_id <= ID_MAX else None
        if row is None or row['user'] != caller['id']:
            raise NotFound(f'{caller["username"]} has no export {export_id}.')
        return row

    def _represent(self, row: dict) -> dict:
        href = f'{self.links.user(row["username"])}/exports/{row["id"]}'
        ready = row['state'] == store.DONE and row['expires'] > utcnow()
        return {'id': str(row['id']), 'href': href, 'format': row['format'],
                'state': store.EXPIRED if row['state'] == store.DONE and not ready
                else row['state'],
                'done': row['done'], 'total': row['total'],
                'created': isoformat(row['created']),
                'finished': row['finished'] and isoformat(row['finished']),
                'expires': isoformat(row['expires']),
                'download': f'{href}/download' if ready else None}


class LostClaim(Exception):
    """The export was claimed by another worker, or deleted, while this one wrote it."""


def post_fields(post: dict) -> dict:
    """A post as an export shows it: the id as text (as the API shows it), times in UTC."""
    return {'id': str(post['id']), 'created': isoformat(post['created']),
            'edited': post['edited'] and isoformat(post['edited']),
            'referenced': post['referenced_username'], 'text': post['text']}


class JsonWriter:
    """`{"username", "exported", "posts": [...]}`, written a batch at a time."""

    def __init__(self, out: IO[str], row: dict):
        self.out, self.first = out, True
        head = json.dumps({'username': row['username'], 'exported': isoformat(utcnow())},
                          ensure_ascii=False)
        out.write(head[:-1] + ', "posts": [')

    def write(self, posts: list[dict]) -> None:
        for post in posts:
            self.out.write(('\n' if self.first else ',\n')
                           + json.dumps(post_fields(post), ensure_ascii=False))
            self.first = False

    def end(self) -> None:
        self.out.write('\n]}\n')


class CsvWriter:
    """A header row, then one row per post (RFC 4180 quoting: commas, quotes and newlines in a
    text stay in its field), UTF-8 with a byte order mark so spreadsheets read it as UTF-8."""

    def __init__(self, out: IO[str], row: dict):
        self.writer = csv.DictWriter(out, CSV_COLUMNS, lineterminator='\r\n')
        self.writer.writeheader()

    def write(self, posts: list[dict]) -> None:
        self.writer.writerows(post_fields(post) for post in posts)

    def end(self) -> None:
        pass


WRITERS = {'json': JsonWriter, 'csv': CsvWriter}
ENCODINGS = {'json': 'utf-8', 'csv': 'utf-8-sig'}
