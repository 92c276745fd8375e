"""Strict JSON for importers: a hostile file is an input error naming the file, never a crash.

The standard library's decoder recurses once per nesting level (a file of ``[`` raises
RecursionError) and refuses integers of more than 4,300 digits with a ValueError that speaks
of ``sys.set_int_max_str_digits``; ``1e999`` silently becomes infinity. Here each of these is
refused in words, and so is nesting deeper than any exercise database needs.
"""

from __future__ import annotations

import json
import math
from typing import Any

from routinegen.errors import InputError
from routinegen.sources.document import MAX_DEPTH

MAX_DIGITS = 100  # no count in an exercise database comes near this


def parse_json(text: str, source: str) -> Any:
    """``text`` as JSON; InputError naming ``source`` for anything but plain, finite data."""
    try:
        data = json.loads(text, parse_int=_integer, parse_float=_float, parse_constant=_constant)
    except json.JSONDecodeError as exc:
        raise InputError(f"{source}:{exc.lineno}: not JSON ({exc.msg})") from None
    except RecursionError:
        raise InputError(f"{source}: nested more than {MAX_DEPTH} levels deep; refused") from None
    except _Refused as exc:
        raise InputError(f"{source}: {exc}") from None
    except ValueError as exc:  # the decoder's own limits
        raise InputError(f"{source}: not usable JSON ({' '.join(str(exc).split())})") from None
    if _depth(data) > MAX_DEPTH:
        raise InputError(f"{source}: nested more than {MAX_DEPTH} levels deep; refused")
    return data


class _Refused(ValueError):
    """A value the decoder read that is not plain, finite data."""


def _integer(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise _Refused(f"a number of {len(text.lstrip('-'))} digits ({text[:12]}...); refused")
    return int(text)


def _float(text: str) -> float:
    if len(text) > MAX_DIGITS * 4:
        raise _Refused(f"a number of {len(text)} characters ({text[:12]}...); refused")
    value = float(text)
    if not math.isfinite(value):
        raise _Refused(f"the number {text[:24]} is too large; refused")
    return value


def _constant(text: str) -> Any:
    raise _Refused(f"{text} is not a JSON number; refused")


def _depth(data: Any) -> int:
    """How deep ``data`` nests, walked without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return deepest
