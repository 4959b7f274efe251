"""The page shell: every screen's URL answers the same page, and the browser draws the screen.

The paths here are the screens of `static/js/routes.js`, so a reload or a shared link works.
"""
from __future__ import annotations

import bottle

from api.assets import static_prefix

app = bottle.Bottle()

SCREENS = (
    '/', '/signup', '/login', '/timeline', '/search', '/stats',
    '/users/<username>', '/users/<username>/<tab:re:followers|following>',
    '/users/<username>/posts/<post_id:int>',
    '/analyzer', '/analyzer/imports/<import_id:int>',
    '/analyzer/imports/<import_id:int>/citizens/<citizen_id:int>',
)


def shell(**_path_values) -> str:
    settings = bottle.request.app.config['warble.settings']
    bottle.response.set_header('Cache-Control', 'no-cache')
    return bottle.template('layout', title=settings.app.name, static=static_prefix())


for rule in SCREENS:
    app.get(rule, callback=shell)
