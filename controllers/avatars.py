"""Avatars: a picture a user uploads becomes squares of `AVATAR_SIZES` pixels, decoded and
encoded again (WebP) so that nothing of the file but its pixels is kept (no EXIF, no GPS
position, no comments); everyone without one is drawn a default (their initial on a colour of
their name). The pictures are files (`models/avatars.py`), the version shown is the user's row.

A picture is judged by its header before any pixel is decoded: more than `AVATAR_MAX_PIXELS`
(a decompression bomb: 10,000 × 10,000 pixels of PNG fit in 300 KB) is refused at the cost of
reading the header. A JPEG is decoded at a reduced scale (libjpeg's draft mode), so even a
large photo costs a few MB."""
from __future__ import annotations

import hashlib
import io
import logging
import warnings

from PIL import ExifTags, Image, ImageCms, UnidentifiedImageError

from controllers import limits
from controllers.cache import FEED_SCOPE, PEOPLE_SCOPE, CacheController, user_scope
from controllers.errors import Invalid, NotFound
from controllers.profile_rules import (
    AVATAR_FILE,
    AVATAR_MAX_BYTES,
    AVATAR_MAX_PIXELS,
    AVATAR_MAX_SIDE,
    AVATAR_SIZES,
    AVATAR_TYPES,
)
from controllers.users import find_user, own_profile
from lib.config import Section, resolve
from lib.utils.urlkit import Links
from models import avatars as files
from models.db import transaction
from models.profiles import swap_avatar
from models.users import find_by_id

log = logging.getLogger('warble.avatars')
QUALITY = 85  # WebP: no visible loss at these sizes, 5-15 KB for 256 px
SRGB = ImageCms.createProfile('sRGB')
RESIZABLE = ('RGB', 'RGBA', 'L', 'LA')  # modes resized as they are, with LANCZOS
TURNS = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
         4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE,
         6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
         8: Image.Transpose.ROTATE_90}  # EXIF orientation: how to turn the picture upright
DEFAULT_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
               'viewBox="0 0 64 64"><rect width="64" height="64" fill="hsl({hue}, 45%, 40%)"/>'
               '<text x="32" y="32" dy="0.35em" text-anchor="middle" fill="#fff" '
               'font-family="system-ui, sans-serif" font-size="30" font-weight="700">'
               '{initial}</text></svg>')


def configure(settings: Section) -> None:
    """Keep the pictures in `avatars.directory`, by default `avatars/` under `paths.var`."""
    configured = settings.avatars.directory
    files.configure(resolve(configured) if configured else
                    resolve(settings.paths.var) / 'avatars')


class AvatarController:
    """Uploads, removes and serves avatars; answers with the owner's profile (with `links`)."""

    def __init__(self, links: Links | None = None):
        self.links = links

    def upload(self, caller: dict, data: bytes) -> dict:
        """Make the picture `data` the avatar of `caller` (within their budget of uploads);
        their profile as they see it. The
        new files are written before the row names them and the old ones deleted after the
        commit, so a reader never meets a version without its files; a failure leaves none
        of the new ones behind."""
        limits.take_avatar(caller['id'])
        pictures = pictures_of(data)
        version = hashlib.sha256(b''.join(pictures.values())).hexdigest()[:16]
        if find_by_id(caller['id']).avatar == version:  # the same picture again: all there
            return self._profile(caller)
        files.write(caller['id'], version, pictures)
        try:
            with transaction():
                old = swap_avatar(caller['id'], version)
        except BaseException:
            files.remove(caller['id'], version, AVATAR_SIZES)
            raise
        self._changed(caller, old, version)
        return self._profile(caller)

    def remove(self, caller: dict) -> None:
        """Take the avatar of `caller` away (they are drawn the default again)."""
        with transaction():
            old = swap_avatar(caller['id'], None)
        self._changed(caller, old, None)

    def picture(self, username: str, file: str) -> tuple[bytes, str, str]:
        """(content, media type, entity tag) of the file `file` of `username`'s avatar: one
        of the pictures of their current version, or `default.svg`; NotFound otherwise."""
        named = AVATAR_FILE.fullmatch(file)
        user = find_user(username)
        if named is None:
            raise NotFound(f'There is no avatar file {file!r}.')
        if file == 'default.svg':
            svg = default_svg(user.username).encode()
            return svg, 'image/svg+xml', hashlib.sha256(svg).hexdigest()[:16]
        version, size = named['version'], int(named['size'])
        data = files.read(user.id, version, size) if (
            version == user.avatar and size in AVATAR_SIZES) else None
        if data is None:
            raise NotFound(f'{user.username} has no avatar {file!r} (any longer).')
        return data, 'image/webp', f'{version}-{size}'

    def _changed(self, caller: dict, old: str | None, new: str | None) -> None:
        if old and old != new:
            files.remove(caller['id'], old, AVATAR_SIZES)
        CacheController().invalidate(user_scope(caller['username']), FEED_SCOPE, PEOPLE_SCOPE)

    def _profile(self, caller: dict) -> dict:
        return own_profile(self.links, find_user(caller['username']))


def forget(user_id: int) -> None:
    """Delete the avatar files of a user (whose account is being deleted)."""
    files.forget(user_id)


def pictures_of(data: bytes) -> dict[int, bytes]:
    """`{size: WebP}` squares of the picture `data` (its first frame), centred and cropped;
    Invalid for what is not a picture of an accepted kind, or too large."""
    if len(data) > AVATAR_MAX_BYTES:  # the body limit has refused it already; a direct call
        raise Invalid('The picture is too large.', {'avatar': f'at most {AVATAR_MAX_BYTES} '
                                                              'bytes'})
    kinds = sorted(set(AVATAR_TYPES.values()))
    try:
        with warnings.catch_warnings():  # judged by AVATAR_MAX_PIXELS below, far lower
            warnings.simplefilter('ignore', Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=kinds)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError,
            SyntaxError):
        raise not_a_picture() from None
    width, height = image.size
    if width * height > AVATAR_MAX_PIXELS or max(width, height) > AVATAR_MAX_SIDE:
        raise Invalid(f'The picture is {width} × {height} pixels, more than is accepted.',
                      {'avatar': f'at most {AVATAR_MAX_PIXELS:,} pixels and '
                                 f'{AVATAR_MAX_SIDE} on a side'})
    if image.format == 'JPEG':  # decode at 1/2, 1/4 or 1/8 scale, still at least 2× the size
        image.draft('RGB', (AVATAR_SIZES[0] * 2, AVATAR_SIZES[0] * 2))
    try:
        image.load()
        square = upright(image, squared(image, AVATAR_SIZES[0]))
    except (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError):
        raise not_a_picture() from None
    pictures = {}
    for size in AVATAR_SIZES:
        resized = square if size == square.width else square.resize(
            (size, size), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        resized.save(out, 'WEBP', quality=QUALITY, method=4, exif=b'', icc_profile=None)
        pictures[size] = out.getvalue()
    return pictures


def squared(image: Image.Image, size: int) -> Image.Image:
    """The centre square of `image` at `size` × `size` (smaller pictures are enlarged), made
    before anything else so that only the small square is copied and converted: the centre
    square is the same however the picture is turned."""
    if image.mode not in RESIZABLE:  # palettes (GIF), CMYK, 16-bit: converted whole first
        image = image.convert('RGBA' if has_alpha(image) else 'RGB')
    side = min(image.width, image.height)
    left, top = (image.width - side) // 2, (image.height - side) // 2
    return image.resize((size, size), Image.Resampling.LANCZOS,
                        box=(left, top, left + side, top + side), reducing_gap=3.0)


def upright(original: Image.Image, square: Image.Image) -> Image.Image:
    """`square` turned as the EXIF orientation of `original` says (a phone photo held
    upright), in sRGB colours, RGB or RGBA, without any of the original's metadata."""
    turn = TURNS.get(original.getexif().get(ExifTags.Base.Orientation, 1))
    if turn is not None:
        square = square.transpose(turn)
    plain = square.convert('RGBA' if has_alpha(original) else 'RGB')
    icc = original.info.get('icc_profile')
    if icc:
        try:
            plain = ImageCms.profileToProfile(plain, ImageCms.ImageCmsProfile(io.BytesIO(icc)),
                                              SRGB, outputMode=plain.mode)
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            log.info('colour profile ignored (unreadable or of another mode)')
    plain.info = {}
    return plain


def has_alpha(image: Image.Image) -> bool:
    return image.mode in ('RGBA', 'LA', 'PA') or 'transparency' in image.info


def not_a_picture() -> Invalid:
    return Invalid('The upload is not a picture that can be read (JPEG, PNG, WebP or GIF).',
                   {'avatar': 'a JPEG, PNG, WebP or GIF picture'})


def default_svg(username: str, size: int = AVATAR_SIZES[0]) -> str:
    """The avatar of everyone without one: their initial on a colour of their name (the same
    name, any case, the same colour)."""
    hue = int.from_bytes(hashlib.sha256(username.lower().encode()).digest()[:2], 'big') % 360
    return DEFAULT_SVG.format(size=size, hue=hue, initial=username[:1].upper())
