"""Static files under a content version, so a deploy never mixes old and new files.

Pages link assets as `/static/<version>/<path>`, where the version is a digest of every file
under `static/`. Those answers may be cached for a year; a changed file changes the version, so
browsers fetch the new set. Unversioned `/static/<path>` is revalidated on every use.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import bottle

from lib.config import ROOT

app = bottle.Bottle()
YEAR = 365 * 24 * 3600


class AssetVersion:
    """A short digest of the files under a folder, computed again only when one of them changes."""

    def __init__(self, root: Path):
        self.root = root
        self._signature: tuple = ()
        self._digest = ''

    def current(self) -> str:
        files = sorted(Path(folder, name)
                       for folder, _, names in os.walk(self.root, followlinks=True)
                       for name in names)
        signature = tuple((str(path), path.stat().st_mtime_ns, path.stat().st_size)
                          for path in files)
        if signature != self._signature:
            sha = hashlib.sha256()
            for path in files:
                sha.update(str(path.relative_to(self.root)).encode() + b'\0')
                sha.update(path.read_bytes())
            self._signature, self._digest = signature, sha.hexdigest()[:12]
        return self._digest


STATIC = ROOT / 'static'
version = AssetVersion(STATIC)


def static_prefix() -> str:
    """The URL prefix of the current asset set, for templates: `/static/<version>`."""
    return f'/static/{version.current()}'


@app.get('/static/<asset_version:re:[0-9a-f]{12}>/<path:path>')
def versioned_file(asset_version: str, path: str) -> bottle.HTTPResponse:
    if asset_version != version.current():
        raise bottle.HTTPError(404)
    answer = bottle.static_file(path, root=str(STATIC))
    if answer.status_code == 200:
        answer.set_header('Cache-Control', f'public, max-age={YEAR}, immutable')
    return answer


@app.get('/static/<path:path>')
def static_file(path: str) -> bottle.HTTPResponse:
    answer = bottle.static_file(path, root=str(STATIC))
    if answer.status_code in (200, 304):
        answer.set_header('Cache-Control', 'no-cache')
    return answer
