"""Profiles' input rules: what a display name, a bio, an avatar upload and a people search may be.

The schemas check types and sizes (and describe the API); `text_problem` then judges the
characters, which a schema pattern would only say are wrong, not why. Column sizes of
migration 0031 come from these limits."""
from __future__ import annotations

import re
import unicodedata

from controllers.micropost_rules import SEARCH_MIN
from controllers.micropost_rules import USER_CHANGES as SETTINGS_CHANGES

DISPLAY_NAME_MAX = 50  # characters (code points, after NFC), as PostgreSQL's VARCHAR counts
BIO_MAX = 160
PEOPLE_SEARCH_MAX = DISPLAY_NAME_MAX  # a name searched for is at most a whole display name
SUBSTRING_FROM = SEARCH_MIN  # shorter names match the start of a name only (see the search)
COMBINING_RUN_MAX = 4  # combining marks on one letter: Vietnamese needs 2, "Zalgo" dozens
BIO_LINES_MAX = 5

AVATAR_MAX_BYTES = 5 * 1024 * 1024  # the upload; a body over it is refused 413 unread
AVATAR_MAX_PIXELS = 4096 * 4096  # decoded (RGBA: 64 MiB); a 12-megapixel photo fits
AVATAR_MAX_SIDE = 8192  # a wide panorama fits; a strip of a billion pixels does not
AVATAR_SIZES = (256, 64)  # squares stored for each avatar: profiles, and lists of posts or people
AVATAR_TYPES = {'image/jpeg': 'JPEG', 'image/png': 'PNG', 'image/webp': 'WEBP',
                'image/gif': 'GIF'}  # media types accepted, and the decoders they may use

# Characters that change how other text is shown or read rather than being text: C0 and C1
# controls, line and paragraph separators, bidirectional embeddings, overrides and isolates,
# interlinear annotations, and the byte order mark / zero-width no-break space.
NOT_TEXT = re.compile('[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069'
                      '\ufff9-\ufffb\ufeff]')
NEWLINES = re.compile(r'\r\n?')

DISPLAY_NAME = {'type': ['string', 'null'], 'maxLength': DISPLAY_NAME_MAX,
                'description': f'the name shown beside the username: up to {DISPLAY_NAME_MAX} '
                               'characters on one line, no control characters; empty or null '
                               'clears it'}
BIO = {'type': ['string', 'null'], 'maxLength': BIO_MAX,
       'description': f'about the user: up to {BIO_MAX} characters and {BIO_LINES_MAX} lines, '
                      'no other control characters; empty or null clears it'}
USER_CHANGES = {**SETTINGS_CHANGES,
                'properties': {**SETTINGS_CHANGES['properties'], 'display_name': DISPLAY_NAME,
                               'bio': BIO}}
PEOPLE_NAME = {'type': 'string', 'minLength': 1, 'maxLength': PEOPLE_SEARCH_MAX,
               'description': 'part of a username or display name, ignoring case: names of '
                              f'fewer than {SUBSTRING_FROM} characters match the start of a '
                              'word only'}
AVATAR_FILE = re.compile(r'^(?:(?P<version>[0-9a-f]{16})-(?P<size>[0-9]{2,3})\.webp|default\.svg)$')


def text_problem(text: str, most: int, lines: int = 1) -> str | None:
    """Why `text` (normalised, see `normalised`) cannot be a display name or bio, or None."""
    if len(text) > most:
        return f'at most {most} characters'
    if NOT_TEXT.search(text.replace('\n', '') if lines > 1 else text):
        return 'no control characters' + (' but line breaks' if lines > 1 else
                                           ' or line breaks')
    if text.count('\n') >= lines:
        return f'at most {lines} lines'
    run = 0
    for character in text:
        run = run + 1 if unicodedata.combining(character) else 0
        if run > COMBINING_RUN_MAX:
            return f'at most {COMBINING_RUN_MAX} accents on one letter'
    return None


def normalised(text: str | None) -> str:
    """`text` in NFC (so that one letter is stored and counted one way), with Windows and old
    Mac line ends as `\\n` and no spaces around it; '' for None."""
    return unicodedata.normalize('NFC', NEWLINES.sub('\n', text or '')).strip()
