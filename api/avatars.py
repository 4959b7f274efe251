"""Avatars: a user uploads a picture (the body itself, as `image/...`), removes it, and
anyone fetches the pictures, under URLs that never show anything else (cached for good)."""
from __future__ import annotations

import re

import bottle

from api.decorators import auth
from api.errors import error_response
from api.schemas import USER
from api.spec import operation
from api.web import header, links
from controllers.avatars import AvatarController
from controllers.profile_rules import AVATAR_MAX_BYTES, AVATAR_TYPES

app = bottle.Bottle()

UPLOAD_PATH = re.compile(r'/api/v1/users/[^/]+/avatar')  # bodies up to AVATAR_MAX_BYTES
PICTURE = {'type': 'string', 'format': 'binary'}
UPLOAD = {media_type: {'schema': PICTURE} for media_type in AVATAR_TYPES}
PICTURES = {'content': {'image/webp': {'schema': PICTURE},
                        'image/svg+xml': {'schema': {'type': 'string'}}}}
FOREVER = 'public, max-age=31536000, immutable'  # a version's pictures never change
DEFAULT_SECONDS = 86400  # the drawn default may be drawn differently by a later release


@app.put('/api/v1/users/<username>/avatar')
@auth('owner')
@operation(f'Upload your avatar: a JPEG, PNG, WebP or GIF (its first frame) of at most '
           f'{AVATAR_MAX_BYTES // 2**20} MiB, sent as the body with its media type; it is '
           'cropped to a square, resized and stored without its metadata (EXIF, GPS)',
           tags=('users',), upload=UPLOAD, security=True,
           responses={200: USER, 400: None, 401: None, 403: None, 429: None})
def upload_avatar(username: str, caller: dict) -> dict:
    media_type = header('Content-Type').split(';')[0].strip().lower()
    if media_type not in AVATAR_TYPES:
        raise error_response(415, 'An avatar is sent as the picture itself, with its media '
                                  f'type: one of {", ".join(AVATAR_TYPES)}.',
                             fields={'Content-Type': 'an image type'})
    data = bottle.request.body.read(AVATAR_MAX_BYTES + 1)
    return AvatarController(links()).upload(caller, data)


@app.delete('/api/v1/users/<username>/avatar')
@auth('owner')
@operation('Remove your avatar (the drawn default shows again)', tags=('users',),
           security=True, responses={204: None, 401: None, 403: None})
def remove_avatar(username: str, caller: dict) -> None:
    AvatarController(links()).remove(caller)
    bottle.response.status = 204


@app.get('/api/v1/users/<username>/avatar/<file>')
@operation('A picture of an avatar, as its URL in the user names it: `<version>-256.webp`, '
           '`<version>-64.webp`, or `default.svg`', tags=('users',),
           responses={200: PICTURES, 304: None, 404: None})
def avatar_picture(username: str, file: str) -> bytes | str:
    content, media_type, tag = AvatarController(links()).picture(username, file)
    etag = f'"{tag}"'
    bottle.response.set_header('ETag', etag)
    bottle.response.set_header('Cache-Control', FOREVER if media_type == 'image/webp'
                               else f'public, max-age={DEFAULT_SECONDS}')
    if etag in (part.strip() for part in header('If-None-Match').split(',')):
        bottle.response.status = 304
        return b''
    bottle.response.content_type = media_type
    return content
