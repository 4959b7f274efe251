"""The page shell: every screen's URL answers the same page, and the browser draws the screen.

The paths here are the screens of `static/js/routes.js`, so a reload or a shared link works.
The shell carries the rule book's input limits, so the browser checks what the server will.
"""
from __future__ import annotations

import json

import bottle

from api.assets import static_prefix
from controllers import micropost_rules as rules
from controllers import profile_rules

app = bottle.Bottle()

SCREENS = (
    '/', '/signup', '/login', '/timeline', '/search', '/stats', '/notifications', '/export',
    '/settings', '/forgot-password', '/reset-password', '/confirm-email',
    '/users/<username>', '/users/<username>/<tab:re:followers|following>',
    '/users/<username>/posts/<post_id:int>',
    '/analyzer', '/analyzer/imports/<import_id:int>',
    '/analyzer/imports/<import_id:int>/citizens/<citizen_id:int>',
)
# The limits the browser checks before sending; the shell carries them as JSON in an attribute
# (escaped by the template), which the security policy allows where it forbids inline scripts.
LIMITS = {'text_max': rules.TEXT_MAX, 'search_min': rules.SEARCH_MIN,
          'username_min': rules.USERNAME_MIN, 'username_max': rules.USERNAME_MAX,
          'username_characters': rules.USERNAME_CHARACTERS,
          'display_name_max': profile_rules.DISPLAY_NAME_MAX, 'bio_max': profile_rules.BIO_MAX,
          'bio_lines_max': profile_rules.BIO_LINES_MAX,
          'people_search_max': profile_rules.PEOPLE_SEARCH_MAX,
          'avatar_max_bytes': profile_rules.AVATAR_MAX_BYTES,
          'avatar_types': list(profile_rules.AVATAR_TYPES)}
LIMITS_JSON = json.dumps(LIMITS)


def shell(**_path_values) -> str:
    settings = bottle.request.app.config['warble.settings']
    bottle.response.set_header('Cache-Control', 'no-cache')
    return bottle.template('layout', title=settings.app.name, static=static_prefix(),
                           limits=LIMITS, limits_json=LIMITS_JSON)


def missing_page() -> str:
    """The page shell answering an unknown URL (the 404 stays): its router finds no screen
    there and shows the styled "Not found" screen with a way back."""
    bottle.response.content_type = 'text/html; charset=UTF-8'
    return shell()


for rule in SCREENS:
    app.get(rule, callback=shell)
