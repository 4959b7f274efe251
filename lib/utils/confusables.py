"""Skeletons of text (Unicode TR39): strings that look alike, like `paypal` and `paypaI`, `m` and
`rn`, `0` and `O`, have the same skeleton. The data is Unicode's confusables table, as the
`confusable_homoglyphs` package ships it."""
from __future__ import annotations

import functools
import unicodedata

from confusable_homoglyphs.confusables import confusables_data

DIRECTION_MARK = '\u200e'  # the package wraps right-to-left characters in these


@functools.lru_cache(maxsize=4096)
def prototype(char: str) -> str:
    """What Unicode says `char` looks like: the prototype it maps to, else `char` itself.

    The package lists, for a prototype, the characters that map to it, and for each of those
    characters, its prototype; two characters that only look like each other both list the
    other, and either then stands for both (the smaller one, so that both map alike)."""
    homoglyphs = confusables_data.get(char)
    if not homoglyphs or len(homoglyphs) != 1:
        return char
    target = homoglyphs[0]['c'].replace(DIRECTION_MARK, '')
    if len(confusables_data.get(target, ())) != 1:
        return target
    return min(char, target)


def skeleton(text: str) -> str:
    """TR39's skeleton: decomposed, each character replaced by its prototype, decomposed."""
    decomposed = unicodedata.normalize('NFD', text)
    return unicodedata.normalize('NFD', ''.join(prototype(char) for char in decomposed))


def username_key(username: str) -> str:
    """One key for every username that looks like this one, before or after a change of case
    (`Paypal_x`, `paypaI_x`, `PAYPAL_X`, `rnary` for `Mary`): at most one user may hold it."""
    return skeleton(skeleton(username).lower())
