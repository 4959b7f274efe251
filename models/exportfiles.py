"""The files of exports, under one directory (`exports.directory`):
`<user id>/<export id>.<format>`, written first as a part file of the worker's claim and renamed
into place when complete, so a download never reads a half-written file."""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import IO

_directory: Path | None = None


def configure(directory: Path) -> None:
    global _directory
    _directory = directory


def directory() -> Path:
    if _directory is None:
        raise RuntimeError('exportfiles.configure() was not called')
    return _directory


def path(user_id: int, export_id: int, fmt: str) -> Path:
    return directory() / str(user_id) / f'{export_id}.{fmt}'


def open_part(user_id: int, export_id: int, fmt: str, claim: str, encoding: str) -> IO[str]:
    """A new part file of this claim, for text in `encoding` (newlines as written)."""
    part = _part(user_id, export_id, fmt, claim)
    part.parent.mkdir(parents=True, exist_ok=True)
    return part.open('w', encoding=encoding, newline='')


def publish(user_id: int, export_id: int, fmt: str, claim: str) -> Path:
    """Put a complete part file in place (on disk first: a crash leaves it whole or absent)."""
    part = _part(user_id, export_id, fmt, claim)
    with part.open('rb') as written:
        os.fsync(written.fileno())
    final = path(user_id, export_id, fmt)
    part.replace(final)
    return final


def drop_part(user_id: int, export_id: int, fmt: str, claim: str) -> None:
    _part(user_id, export_id, fmt, claim).unlink(missing_ok=True)


def remove(user_id: int, export_id: int) -> None:
    """Delete an export's file and any part files left of it."""
    folder = directory() / str(user_id)
    for stale in folder.glob(f'{export_id}.*'):
        stale.unlink(missing_ok=True)


def forget(user_id: int) -> None:
    """Delete every export file of a user."""
    shutil.rmtree(directory() / str(user_id), ignore_errors=True)


def _part(user_id: int, export_id: int, fmt: str, claim: str) -> Path:
    return directory() / str(user_id) / f'{export_id}.{fmt}.{claim}.part'
