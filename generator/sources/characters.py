"""Characters a displayed text may not carry: C0/C1 controls (escape sequences, carriage
returns), line and paragraph separators, lone surrogates, and the bidirectional controls
that reorder what a terminal or a calendar shows ("Trojan Source"). Zero-width joiners
stay: emoji sequences use them. One home for the rule that catalogs, terminal messages
and calendar files all follow (RFC 5545 forbids control characters)."""

from __future__ import annotations

import unicodedata

BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_CATEGORIES = ("Cc", "Zl", "Zp", "Cs")


def is_unsafe(char: str) -> bool:
    """Whether one character may not be shown as it is."""
    return char in BIDI_CONTROLS or unicodedata.category(char) in _CATEGORIES


def unsafe_character(text: str) -> str | None:
    """The first character of ``text`` that a displayed name may not hold, or None."""
    return next((char for char in text if is_unsafe(char)), None)


def escaped(text: str) -> str:
    """``text`` with its unsafe characters written as escapes (``\\x1b``), for messages."""
    if text.isprintable():
        return text
    return "".join(
        char.encode("unicode_escape").decode("ascii") if is_unsafe(char) else char for char in text
    )


def stripped(text: str, keep: str = "\n") -> str:
    """``text`` without its unsafe characters but those in ``keep`` (line breaks, which a
    calendar's DESCRIPTION escapes itself)."""
    return "".join(char for char in text if char in keep or not is_unsafe(char))
