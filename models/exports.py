"""Exports of one's posts: the row of each export asked for, its progress and lease, and the
posts it reads batch by batch (the file it writes: `models/exportfiles.py`)."""
from __future__ import annotations

import datetime as dt

import peewee

from lib.utils.datekit import utcnow
from models import ids
from models.db import BaseModel
from models.microposts import Micropost, Referenced
from models.users import User

PENDING = 'pending'   # asked for; handed to Celery (or to the sweep once `due`)
RUNNING = 'running'   # claimed by one worker (`claim`) until `due`, which each batch renews
DONE = 'done'         # the file is there until `expires`
FAILED = 'failed'     # given up after too many lost runs (`error` says why)
EXPIRED = 'expired'   # past its day: the file is gone, the row says so until it is dropped too
UNDER_WAY = (PENDING, RUNNING)


class Export(BaseModel):
    id = ids.primary_key()
    user = peewee.ForeignKeyField(User, on_delete='CASCADE', index=False)
    format = peewee.CharField(max_length=4)
    state = peewee.CharField(max_length=10, default=PENDING)
    done = peewee.IntegerField(default=0)
    total = peewee.IntegerField(default=0)
    last_post = peewee.BigIntegerField(default=0)  # the newest post it takes: its snapshot
    attempts = peewee.IntegerField(default=0)
    claim = peewee.CharField(max_length=32, null=True)
    due = peewee.DateTimeField()
    created = peewee.DateTimeField(default=utcnow)
    finished = peewee.DateTimeField(null=True)
    expires = peewee.DateTimeField()
    error = peewee.CharField(max_length=500, null=True)

    class Meta:
        indexes = ((('user', 'id'), False), (('state', 'due'), False), (('expires',), False))


FIELDS = (Export.id, Export.user, Export.format, Export.state, Export.done, Export.total,
          Export.last_post, Export.attempts, Export.created, Export.finished, Export.expires,
          User.username)


def _select() -> peewee.ModelSelect:
    """Exports as dicts with their owner's username."""
    return Export.select(*FIELDS).join(User, on=(Export.user == User.id)).dicts()


def start(user_id: int, fmt: str, due: dt.datetime, expires: dt.datetime) -> dict | None:
    """A new export of every post `user_id` has now; None when one of theirs is under way
    already (the partial unique index `export_one_under_way` refuses a second)."""
    newest = (Micropost.select(peewee.fn.MAX(Micropost.id), peewee.fn.COUNT(Micropost.id))
              .where(Micropost.user == user_id).tuples().get())
    export_id = ids.next_id()
    written = (Export.insert(id=export_id, user=user_id, format=fmt, state=PENDING,
                             total=newest[1], last_post=newest[0] or 0, due=due,
                             expires=expires, created=utcnow())
               .on_conflict_ignore().as_rowcount().execute())
    return one(export_id) if written else None


def under_way(user_id: int) -> dict | None:
    return _select().where(Export.user == user_id, Export.state.in_(UNDER_WAY)).first()


def one(export_id: int) -> dict | None:
    return _select().where(Export.id == export_id).first()


def newest_of(user_id: int, count: int) -> list[dict]:
    return list(_select().where(Export.user == user_id).order_by(Export.id.desc()).limit(count))


def due_now(export_id: int, now: dt.datetime) -> None:
    """Leave an export the broker did not take to the sweep at once."""
    Export.update(due=now).where(Export.id == export_id, Export.state == PENDING).execute()


def claim(export_id: int, claim_token: str, due: dt.datetime) -> dict | None:
    """Take an export under way and not claimed (or whose claim ran out) for this worker; its
    row, or None."""
    taken = (Export.update(state=RUNNING, claim=claim_token, due=due, done=0,
                           attempts=Export.attempts + 1)
             .where(Export.id == export_id, Export.state.in_(UNDER_WAY),
                    Export.claim.is_null() | (Export.due <= utcnow()))
             .execute())
    return one(export_id) if taken else None


def progress(export_id: int, claim_token: str, done: int, due: dt.datetime) -> bool:
    """Record rows written and renew the lease, if the claim is still ours (and the export
    still there)."""
    return (Export.update(done=done, due=due)
            .where(Export.id == export_id, Export.claim == claim_token,
                   Export.state == RUNNING).execute()) > 0


def finish(export_id: int, claim_token: str, done: int, expires: dt.datetime) -> bool:
    now = utcnow()
    return (Export.update(state=DONE, done=done, total=done, finished=now, expires=expires,
                          claim=None)
            .where(Export.id == export_id, Export.claim == claim_token,
                   Export.state == RUNNING).execute()) > 0


def fail(export_id: int, error: str) -> None:
    (Export.update(state=FAILED, claim=None, finished=utcnow(), error=error[:500])
     .where(Export.id == export_id, Export.state.in_(UNDER_WAY)).execute())


def lapsed(now: dt.datetime, count: int) -> list[dict]:
    """Exports under way whose lease ran out (never handed over, or their worker gone)."""
    return list(Export.select(Export.id, Export.attempts)
                .where(Export.state.in_(UNDER_WAY), Export.due <= now)
                .order_by(Export.due).limit(count).dicts())


def hand_on(export_ids: list[int], due: dt.datetime) -> None:
    """Free lapsed exports for the next worker to claim."""
    (Export.update(claim=None, due=due)
     .where(Export.id.in_(export_ids), Export.state.in_(UNDER_WAY)).execute())


def past_their_day(now: dt.datetime, count: int) -> list[dict]:
    """`{"id", "user", "format"}` of exports past `expires` not marked expired yet."""
    return list(Export.select(Export.id, Export.user, Export.format)
                .where(Export.expires <= now, Export.state != EXPIRED)
                .limit(count).dicts())


def mark_expired(export_ids: list[int]) -> None:
    (Export.update(state=EXPIRED, claim=None)
     .where(Export.id.in_(export_ids)).execute())


def drop_expired(before: dt.datetime) -> int:
    """Forget expired exports whose day ended before `before`."""
    return (Export.delete()
            .where(Export.state == EXPIRED, Export.expires < before).execute())


def posts(user_id: int, after: int, last: int, count: int) -> list[dict]:
    """Up to `count` posts of `user_id` with ids past `after` up to `last`, oldest first:
    `{"id", "text", "created", "edited", "referenced_username"}`."""
    return list(Micropost.select(Micropost.id, Micropost.text, Micropost.created,
                                 Micropost.edited,
                                 Referenced.username.alias('referenced_username'))
                .join(Referenced, peewee.JOIN.LEFT_OUTER,
                      on=(Micropost.referenced == Referenced.id))
                .where(Micropost.user == user_id, Micropost.id > after, Micropost.id <= last)
                .order_by(Micropost.id).limit(count).dicts())
