"""Bidirectional control characters: invisible, and able to reverse how a title reads.

Unicode's ``Bidi_Control`` characters (the marks U+061C, U+200E and U+200F, the embeddings and
overrides U+202A to U+202E, the isolates U+2066 to U+2069) change the direction text is laid out
in. A right-to-left override in a title reverses the cover's text on screen and on paper, while
the file still holds the letters in order: a reader cannot see why. Names in every script are laid
out correctly without them (the bidirectional algorithm needs no help with a name), so text shown
in titles is kept free of them: a params value is refused with one line (``find``), a publisher's
name has them removed (``strip``).
"""

from __future__ import annotations

import re
from typing import Any

#: every character with Unicode's Bidi_Control property, and its Unicode name
NAMES = {
    "\u061c": "ARABIC LETTER MARK", "\u200e": "LEFT-TO-RIGHT MARK", "\u200f": "RIGHT-TO-LEFT MARK",
    "\u202a": "LEFT-TO-RIGHT EMBEDDING", "\u202b": "RIGHT-TO-LEFT EMBEDDING", "\u202c": "POP DIRECTIONAL FORMATTING",
    "\u202d": "LEFT-TO-RIGHT OVERRIDE", "\u202e": "RIGHT-TO-LEFT OVERRIDE", "\u2066": "LEFT-TO-RIGHT ISOLATE",
    "\u2067": "RIGHT-TO-LEFT ISOLATE", "\u2068": "FIRST STRONG ISOLATE", "\u2069": "POP DIRECTIONAL ISOLATE",
}
CONTROLS = "".join(NAMES)
_CONTROL = re.compile(f"[{CONTROLS}]")


def find(text: str) -> str | None:
    """The first bidirectional control in ``text`` described for a reader (``U+202E RIGHT-TO-LEFT OVERRIDE,
    character 5``), or None."""
    found = _CONTROL.search(text)
    if found is None:
        return None
    char = found.group(0)
    return f"U+{ord(char):04X} {NAMES[char]}, character {found.start() + 1}"


def strip(value: Any) -> Any:
    """``value`` without bidirectional controls: a string, or a pandas Series of strings (other values as they are)."""
    if isinstance(value, str):
        return _CONTROL.sub("", value)
    if hasattr(value, "str"):
        return value.str.replace(_CONTROL, "", regex=True)
    return value
