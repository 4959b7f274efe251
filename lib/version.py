"""The version Warble reports: a release's `VERSION` file, else `git describe` of the checkout."""
from __future__ import annotations

import functools
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UNKNOWN = '0+unknown'
PRODUCT = 'Warble'  # what the `Server` header says: a name, never a version


def describe(root: Path = ROOT) -> str:
    """`git describe --tags --always --dirty` of the checkout at `root`, or UNKNOWN."""
    try:
        found = subprocess.run(['git', 'describe', '--tags', '--always', '--dirty'], cwd=root,
                               capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return UNKNOWN
    return found.stdout.strip() if found.returncode == 0 and found.stdout.strip() else UNKNOWN


@functools.lru_cache(maxsize=1)
def version(root: Path = ROOT) -> str:
    """The release's `VERSION` file (written by `fab package`), else the checkout's git version."""
    stamped = root / 'VERSION'
    if stamped.is_file():
        return stamped.read_text().strip()
    return describe(root)
