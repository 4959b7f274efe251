"""Avatar pictures as files: one folder per user id under `avatars.directory`, holding the
pictures of their current version (`<version>-<size>.webp`). A file appears whole or not at
all (written beside, then renamed over), and a version's name is the digest of its pictures,
so a file once written never changes and is served as immutable."""
from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

_directory: Path | None = None


def configure(directory: Path) -> None:
    global _directory
    _directory = directory


def folder(user_id: int) -> Path:
    if _directory is None:
        raise RuntimeError('the avatar store is not configured (controllers.boot)')
    return _directory / str(int(user_id))


def file_name(version: str, size: int) -> str:
    return f'{version}-{size}.webp'


def write(user_id: int, version: str, pictures: dict[int, bytes]) -> None:
    """Store the pictures `{size: webp}` of one version, each file whole once it is there."""
    where = folder(user_id)
    where.mkdir(parents=True, exist_ok=True)
    for size, data in pictures.items():
        handle, temporary = tempfile.mkstemp(dir=where, prefix='.upload-')
        try:
            with os.fdopen(handle, 'wb') as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, where / file_name(version, size))
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise


def read(user_id: int, version: str, size: int) -> bytes | None:
    """The picture of `version` at `size`, or None when there is none."""
    try:
        return (folder(user_id) / file_name(version, size)).read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        return None


def remove(user_id: int, version: str, sizes: tuple[int, ...]) -> None:
    """Delete the pictures of one version (those already gone are fine)."""
    for size in sizes:
        with contextlib.suppress(FileNotFoundError):
            (folder(user_id) / file_name(version, size)).unlink()


def forget(user_id: int) -> None:
    """Delete every picture of the user."""
    shutil.rmtree(folder(user_id), ignore_errors=True)
