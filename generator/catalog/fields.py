"""Checks of single catalog values: each bad value is an InputError naming file, line and
field, so an author can go straight to the mistake."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from routinegen.sources.characters import unsafe_character
from routinegen.sources.document import Document, Path_

ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def identifier(doc: Document, path: Path_, value: Any) -> str:
    if not isinstance(value, str) or not ID.match(value):
        raise doc.error(
            path, f"must be an id of lower-case letters, digits, '_' or '-'; got {value!r}"
        )
    return value


def text(doc: Document, path: Path_, value: Any, limit: int | None = None) -> str:
    """A non-empty string with no control characters (names reach terminals and calendars)."""
    if not isinstance(value, str) or not value.strip():
        raise doc.error(path, f"must be a non-empty string; got {value!r}")
    bad = unsafe_character(value)
    if bad is not None:
        raise doc.error(
            path,
            f"contains the control character U+{ord(bad):04X}; names are shown on terminals and "
            "written to calendars (RFC 5545 forbids control characters), so they may hold none",
        )
    if limit is not None and len(value.strip()) > limit:
        raise doc.error(path, f"is {len(value.strip())} characters long; at most {limit}")
    return value.strip()


def names(doc: Document, key: str, value: Any) -> dict[str, str]:
    """A mapping of ids to display names (``muscles``, ``equipment``, ``tags``)."""
    if not isinstance(value, dict):
        raise doc.error((key,), "must map an id to a display name")
    for item, name in value.items():
        identifier(doc, (key, item), item)
        text(doc, (key, item), name)
    return {item: name.strip() for item, name in value.items()}


def members(
    doc: Document, path: Path_, value: Any, known: Mapping[str, str], what: str, where: str
) -> list[str]:
    """A list of known ids, none twice; ``where`` is the section that declares them."""
    if not isinstance(value, list):
        raise doc.error(path, f"must be a list of {what} ids")
    for j, item in enumerate(value):
        if not isinstance(item, str):
            raise doc.error((*path, j), f"must be a {what} id; got {item!r}")
        if item not in known:
            raise doc.error((*path, j), f"unknown {what} {item!r}; declare it under '{where}'")
    if len(set(value)) != len(value):
        raise doc.error(path, f"lists a {what} twice")
    return list(value)


def number(doc: Document, path: Path_, value: Any, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise doc.error(path, f"must be a number from {low:g} to {high:g}; got {value!r}")
    return value


def whole_range(doc: Document, path: Path_, value: Any, low: int, high: int) -> tuple[int, int]:
    """A ``[min, max]`` pair of whole numbers (a single number means exactly that)."""
    pair = [value, value] if isinstance(value, int) and not isinstance(value, bool) else value
    if (
        not isinstance(pair, list)
        or len(pair) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in pair)
        or not low <= pair[0] <= pair[1] <= high
    ):
        raise doc.error(
            path,
            f"must be [min, max] whole numbers with {low} <= min <= max <= {high}; got {value!r}",
        )
    return pair[0], pair[1]


def flag(doc: Document, path: Path_, value: Any) -> bool:
    """true or false; YAML 1.1's yes/no/on/off arrive as strings and are refused."""
    if not isinstance(value, bool):
        raise doc.error(path, f"must be true or false; got {value!r}")
    return value


def choice(doc: Document, path: Path_, value: Any, allowed: Sequence[str]) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise doc.error(path, f"must be one of {', '.join(allowed)}; got {value!r}")
    return value
