"""The page shell at `/` and the static files it loads."""
from __future__ import annotations

import bottle

from lib.config import ROOT

app = bottle.Bottle()
STATIC = ROOT / 'static'


@app.get('/')
def shell() -> str:
    return bottle.template('layout', title='Warble')


@app.get('/static/<path:path>')
def static_file(path: str) -> bottle.HTTPResponse:
    answer = bottle.static_file(path, root=str(STATIC))
    if answer.status_code == 200:
        answer.set_header('Cache-Control', 'public, max-age=3600')
    return answer
