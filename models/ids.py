"""Time-ordered 64-bit ids for the tables that grow without bound (posts, follows, outbox, tokens).

An id is made in the process that writes the row, with no round trip to a central counter:

    bit 63       0 (ids stay positive, below 2**63: a BIGINT, a SQLite INTEGER)
    bits 62..22  milliseconds since EPOCH (41 bits: until 2089)
    bits 21..17  shard: `ids.shard` of the settings, one per host (0..31)
    bits 16..12  slot: the process's own number on its host (0..31)
    bits 11..0   sequence within the millisecond (4,096 a millisecond)

Ids of one process grow strictly; ids of two processes differ in shard or slot. The shard comes
from the settings, checked at start (`controllers/boot.py`); the slot is claimed by the process
itself on its first id, as an exclusive `flock` on one of SLOTS files in the host's `var/ids/`.
Every process that writes claims its own, whoever started it (a gunicorn worker, a Celery
worker, `manage.py`), and the kernel frees it when the process ends. A child forked after its
parent made ids claims a slot of its own on its first id: the parent's lock is not its own.

A slot's next holder may start within the millisecond its last holder ended in, so it starts
past the millisecond of its claim; and a holder whose ids run ahead of the clock (below) writes
the furthest millisecond it used into the slot's file, where the next holder starts past it.

When the clock steps back, ids are borrowed from the last millisecond used rather than waited
for: the sequence goes on there, and past its 4,096 the millisecond moves one ahead, so the
process never waits and never repeats an id; its ids run a little ahead of the clock until the
clock catches up.
"""
from __future__ import annotations

import datetime as dt
import fcntl
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import peewee

EPOCH = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
EPOCH_MS = int(EPOCH.timestamp() * 1000)
TIME_BITS, SHARD_BITS, SLOT_BITS, SEQUENCE_BITS = 41, 5, 5, 12
SHARDS = 1 << SHARD_BITS
SLOTS = 1 << SLOT_BITS
SEQUENCES = 1 << SEQUENCE_BITS
SLOT_SHIFT = SEQUENCE_BITS
SHARD_SHIFT = SLOT_SHIFT + SLOT_BITS
TIME_SHIFT = SHARD_SHIFT + SHARD_BITS


class NoFreeSlot(Exception):
    """Every slot of the host is held by a running process."""


class Layout(NamedTuple):
    """What an id says: when it was made, by which shard and slot, its place in that
    millisecond."""

    made: dt.datetime
    shard: int
    slot: int
    sequence: int


def wall_clock_ms() -> int:
    return time.time_ns() // 1_000_000


class IdGenerator:
    """Ids of one shard and slot, strictly increasing; safe across threads and greenlets (the
    lock is never held while waiting on anything)."""

    def __init__(self, shard: int, slot: int, clock: Callable[[], int] = wall_clock_ms,
                 after_ms: int = -1, ahead: Callable[[int], None] | None = None):
        """`after_ms`: a millisecond (since EPOCH) an earlier generator of this slot used; this
        one starts past it. `ahead` is told each millisecond it uses ahead of the clock."""
        if not 0 <= shard < SHARDS or not 0 <= slot < SLOTS:
            raise ValueError(f'shard must be 0..{SHARDS - 1} and slot 0..{SLOTS - 1}')
        self.worker = (shard << SHARD_SHIFT) | (slot << SLOT_SHIFT)
        self.clock = clock
        self.ahead = ahead
        self._lock = threading.Lock()
        self._last_ms = self._told_ms = after_ms
        self._sequence = SEQUENCES - 1  # spent: the next id is past `after_ms`

    @property
    def last_ms(self) -> int:
        return self._last_ms

    def next_id(self) -> int:
        with self._lock:
            now = self.clock() - EPOCH_MS
            if now > self._last_ms:
                self._last_ms, self._sequence = now, 0
            elif self._sequence + 1 < SEQUENCES:
                self._sequence += 1  # this millisecond again, or a clock that stepped back
            else:
                self._last_ms, self._sequence = self._last_ms + 1, 0  # borrowed ahead
            if now < self._last_ms and self._told_ms < self._last_ms and self.ahead:
                self.ahead(self._last_ms)
                self._told_ms = self._last_ms
            return (self._last_ms << TIME_SHIFT) | self.worker | self._sequence


def decode(id_: int) -> Layout:
    """The parts of an id."""
    made = EPOCH + dt.timedelta(milliseconds=id_ >> TIME_SHIFT)
    return Layout(made, (id_ >> SHARD_SHIFT) % SHARDS, (id_ >> SLOT_SHIFT) % SLOTS,
                  id_ % SEQUENCES)


class Slot:
    """One of the host's slots, held by this process as an exclusive `flock` on its file. The
    file also keeps the furthest millisecond a holder used ahead of the clock."""

    def __init__(self, number: int, fd: int):
        self.number, self.fd = number, fd

    def used_until(self) -> int:
        """The furthest millisecond an earlier holder used ahead of the clock (-1: none)."""
        kept = os.pread(self.fd, 32, 0).strip()
        return int(kept) if kept else -1

    def keep(self, ms: int) -> None:
        """Let the next holder know that ids of `ms` were made (no fsync: the page cache
        outlives the process, and a host that restarts has moved its clock past it)."""
        os.pwrite(self.fd, b'%20d' % ms, 0)

    def release(self) -> None:
        os.close(self.fd)


def claim_slot(directory: Path) -> Slot:
    """The first slot no running process of the host holds, held for this process."""
    directory.mkdir(parents=True, exist_ok=True)
    for number in range(SLOTS):
        fd = os.open(directory / f'slot-{number}.lock', os.O_RDWR | os.O_CREAT | os.O_CLOEXEC,
                     0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        return Slot(number, fd)
    raise NoFreeSlot(f'all {SLOTS} id slots in {directory} are held by running processes')


def slot_generator(shard: int, slot: Slot, after_ms: int = -1,
                   clock: Callable[[], int] = wall_clock_ms) -> IdGenerator:
    """The generator of a newly claimed slot: past the millisecond of the claim, in which the
    slot's last holder may have ended, and past whatever that holder used ahead of the clock."""
    start = max(after_ms, slot.used_until(), clock() - EPOCH_MS)
    return IdGenerator(shard, slot.number, clock, after_ms=start, ahead=slot.keep)


class _Process:
    """The settings, and the generator of the process that made it (None until its first id)."""

    def __init__(self, shard: int, directory: Path, after_ms: int = -1):
        self.shard, self.directory, self.after_ms = shard, directory, after_ms
        self.pid: int | None = None
        self.generator: IdGenerator | None = None
        self.slot: Slot | None = None
        self.lock = threading.Lock()

    def generator_here(self) -> IdGenerator:
        if self.pid == os.getpid():
            return self.generator
        with self.lock:
            if self.pid != os.getpid():
                if self.slot is not None:
                    self.slot.release()  # a parent's: its lock stays with the parent
                self.slot = claim_slot(self.directory)
                self.generator = slot_generator(self.shard, self.slot, self.after_ms)
                self.pid = os.getpid()
        return self.generator


_process: _Process | None = None


def configure(shard: int, directory: Path) -> None:
    """Make ids of `shard`, with process slots claimed in `directory` (`var/ids/`)."""
    global _process
    if not 0 <= shard < SHARDS:
        raise ValueError(f'ids.shard must be 0..{SHARDS - 1}, not {shard}')
    after_ms = -1
    if _process is not None:  # configured again: ids go on past the last ones
        after_ms = (_process.generator.last_ms if _process.pid == os.getpid()
                    else _process.after_ms)
        if _process.slot is not None:
            _process.slot.release()
    _process = _Process(shard, directory, after_ms)


def primary_key() -> peewee.BigIntegerField:
    """The `id` of a table whose ids this module makes: set on insert, not by the database."""
    return peewee.BigIntegerField(primary_key=True, default=next_id)


def next_id() -> int:
    """A new id of this process: the default of every time-ordered primary key."""
    if _process is None:
        raise RuntimeError('ids are not configured: controllers.boot.configure first')
    return _process.generator_here().next_id()
