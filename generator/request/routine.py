"""The request: presets and flags merged, then checked against the catalog's vocabulary.

Every value remembers where it came from (a flag, or a preset's file and line) so that an
error can point at the culprit. Defaults that depend on the budget are filled in here, so the
model only ever sees a complete, valid request.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from routinegen.catalog import BODYWEIGHT, DEFAULT_CATALOG, LEVELS, Catalog
from routinegen.catalog.records import SAFETY_TAGS
from routinegen.coaching.blocks import block_seconds
from routinegen.coaching.goals import DEFAULT_GOAL, GOALS, goal_of
from routinegen.errors import InputError
from routinegen.request.settings import Setting, Settings
from routinegen.results import EffectiveRequest

MAX_TIME_LIMIT = 3600  # seconds
MAX_MINUTES = 240
FULL_BODY = "full-body"  # the focus whose sessions must cover every big pattern
# A full-body session covers these pattern families (COACHING.md, "Movement patterns").
FULL_BODY_PATTERNS = ("legs", "hinge", "push", "pull", "core")


@dataclass(frozen=True)
class Request:
    """A complete, validated request: everything the model needs, nothing it must guess."""

    budget_seconds: int
    equipment: frozenset[str]  # items at hand; bodyweight is always allowed
    focus: tuple[str, ...]  # muscle ids
    focus_label: str
    level: str
    rounds: tuple[int, int]
    exercise_count: tuple[int, int]
    exclude: frozenset[str] = frozenset()
    keep: frozenset[str] = frozenset()  # exercises the routine must have (a swap keeps them)
    seed: int = 0
    min_fill: float = 0.9
    rest_seconds: int = 20
    round_rest_seconds: int = 60
    catalog: str = DEFAULT_CATALOG
    start: datetime | None = None
    tz: str = "UTC"
    goal: str = DEFAULT_GOAL
    avoid: frozenset[str] = frozenset()  # safety tags to leave out
    warmup: bool = True
    cooldown: bool = True
    main_rest_seconds: int | None = None  # straight sets: rest between sets of a main lift
    progressive: bool = False  # a multi-week plan: doses may reach the ends of their range
    extras: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def minutes(self) -> float:
        return self.budget_seconds / 60

    @property
    def blocks(self) -> tuple[int, int]:
        """Seconds set aside for the warm-up and the cool-down (0 when turned off)."""
        return block_seconds(self.budget_seconds, self.warmup, self.cooldown)

    @property
    def main_seconds(self) -> int:
        """The main block's budget: the session less its warm-up and cool-down."""
        return self.budget_seconds - sum(self.blocks)

    @property
    def patterns(self) -> tuple[str, ...]:
        """The pattern families the session must cover: all of them in a full-body one."""
        return FULL_BODY_PATTERNS if self.focus_label == FULL_BODY else ()

    def effective(self) -> EffectiveRequest:
        """The part of the request that is echoed into results."""
        return EffectiveRequest(
            minutes=self.minutes,
            equipment=tuple(sorted(self.equipment)) or (BODYWEIGHT,),
            focus=self.focus,
            focus_label=self.focus_label,
            level=self.level,
            seed=self.seed,
            catalog=self.catalog,
            start=self.start,
            tz=self.tz,
            goal=self.goal,
            avoid=tuple(sorted(self.avoid)),
            warmup=self.warmup,
            cooldown=self.cooldown,
        )


LISTED = 20  # an error lists at most this many known names
DEFAULT_START = time(7, 0)  # a session with no --start is tomorrow at 07:00
# --start's years: far enough for any plan, and clear of date's limits (years 1 and 9999),
# which a 12-week plan or a calendar's time-zone rules would otherwise run past.
START_YEARS = (1900, 9000)


# ---------------------------------------------------------------------------- resolving


def resolve_request(catalog: Catalog, settings: Settings) -> Request:
    """Validate merged settings against ``catalog`` and fill the budget-driven defaults."""
    get = settings.get
    minutes = _number(get("minutes"), 15, low=1, high=MAX_MINUTES, what="minutes")
    level = _choice(get("level"), "intermediate", LEVELS, "level")
    goal = goal_of(_choice(get("goal"), DEFAULT_GOAL, GOALS, "goal"))
    # Conditioning alternates upper, lower and core: by default it trains the whole body.
    whole = goal.counts_conditioning and FULL_BODY in catalog.groups
    focus_label, focus = _focus(catalog, get("focus"), FULL_BODY if whole else "back")
    equipment = _equipment(catalog, get("equipment"))
    exclude = _exercises(catalog, get("exclude"))
    keep = _kept(catalog, get("keep"), exclude, focus, focus_label)
    rest_default, round_rest_default = goal.rest[level], goal.round_rest[level]
    rest_setting = get("rest")
    rest_given = rest_setting is not None and rest_setting.value is not None
    tz = _zone(get("tz"))
    time_limit_of(settings)  # not part of the request, but checked with it, before solving
    return Request(
        budget_seconds=round(minutes * 60),
        equipment=equipment,
        focus=focus,
        focus_label=focus_label,
        level=level,
        rounds=_range(get("rounds"), default_rounds(minutes, goal.format), 1, 20, "rounds"),
        exercise_count=_range(
            get("exercises"), default_exercise_count(minutes), 1, 30, "exercises"
        ),
        exclude=exclude,
        keep=keep,
        seed=int(_number(get("seed"), 0, low=0, high=2**31 - 1, what="seed", whole=True)),
        min_fill=_number(get("min_fill"), 0.9, low=0.0, high=1.0, what="min_fill"),
        rest_seconds=int(
            _number(get("rest"), rest_default, low=0, high=600, what="rest", whole=True)
        ),
        round_rest_seconds=int(
            _number(
                get("round_rest"),
                round_rest_default,
                low=0,
                high=1200,
                what="round_rest",
                whole=True,
            )
        ),
        catalog=catalog.name,
        start=_start(get("start"), tz),
        tz=tz.key,
        goal=goal.name,
        avoid=_avoid(catalog, get("avoid")),
        # a catalog without warm-up or cool-down moves gives its whole budget to the main block
        warmup=_flag(get("warmup"), True, "warmup") and _has_role(catalog, "warmup"),
        cooldown=_flag(get("cooldown"), True, "cooldown") and _has_role(catalog, "cooldown"),
        main_rest_seconds=None if rest_given else goal.main_rest[level],
    )


def _has_role(catalog: Catalog, role: str) -> bool:
    return any(e.role == role for e in catalog.exercises)


def _avoid(catalog: Catalog, setting: Setting | None) -> frozenset[str]:
    """Safety tags to leave out: the known ones and any a catalog's exercises carry."""
    if setting is None or setting.value is None:
        return frozenset()
    known = set(SAFETY_TAGS) | {tag for e in catalog.exercises for tag in e.tags}
    tags = set()
    for word in _words(setting):
        if word not in known:
            raise _unknown(setting, "safety tag", word, known)
        tags.add(word)
    return frozenset(tags)


def _flag(setting: Setting | None, default: bool, what: str) -> bool:
    if setting is None or setting.value is None:
        return default
    if not isinstance(setting.value, bool):
        raise _fail(setting, f"{what} must be true or false, got {setting.value!r}")
    return setting.value


def _zone(setting: Setting | None) -> ZoneInfo:
    if setting is None or setting.value in (None, ""):
        return ZoneInfo("UTC")
    try:
        return ZoneInfo(str(setting.value))
    except (ZoneInfoNotFoundError, ValueError):
        raise _fail(
            setting,
            f"unknown time zone {setting.value!r}; use an IANA name such as Europe/Berlin or UTC",
        ) from None


def _start(setting: Setting | None, tz: ZoneInfo) -> datetime:
    """``2026-11-30`` (at 07:00) or ``2026-11-30T18:30`` in ``tz``; default tomorrow 07:00."""
    if setting is None or setting.value in (None, ""):
        return datetime.combine(datetime.now(tz).date() + timedelta(days=1), DEFAULT_START, tz)
    value = setting.value
    try:
        if isinstance(value, datetime):
            moment = value
        elif isinstance(value, date):
            moment = datetime.combine(value, DEFAULT_START)
        elif "T" in str(value) or " " in str(value).strip():
            moment = datetime.fromisoformat(str(value).strip())
        else:
            moment = datetime.combine(date.fromisoformat(str(value).strip()), DEFAULT_START)
    except ValueError:
        raise _fail(
            setting, f"expected a date like 2026-11-30 or 2026-11-30T18:30, got {value!r}"
        ) from None
    if not START_YEARS[0] <= moment.year <= START_YEARS[1]:
        raise _fail(
            setting, f"must lie in the years {START_YEARS[0]} to {START_YEARS[1]}, got {value!r}"
        )
    if moment.tzinfo is None:
        return moment.replace(tzinfo=tz)
    return moment.astimezone(tz)


def default_rounds(minutes: float, layout: str = "circuit") -> tuple[int, int]:
    """More rounds for longer sessions; the seed's 2-3 for the everyday 10-25 minutes.
    Intervals may go once through a longer list, so a short session still covers every
    pattern."""
    if layout == "intervals":
        return (1, default_rounds(minutes)[1])
    if minutes < 10:
        return (1, 2)
    if minutes < 25:
        return (2, 3)
    if minutes < 45:
        return (2, 4)
    return (3, max(5, math.ceil(minutes / 12)))


def default_exercise_count(minutes: float) -> tuple[int, int]:
    """A short session keeps few moves; a long one earns more variety."""
    if minutes < 10:
        return (2, 5)
    if minutes < 25:
        return (3, 8)
    if minutes < 45:
        return (4, 9)
    return (5, 10)


def _fail(setting: Setting, message: str) -> InputError:
    return InputError(f"{setting.origin}: {message}")


def time_limit_of(settings: Settings) -> float | None:
    """The ``time_limit`` setting in seconds; None when not given, and the solve options'
    default applies (``routinegen.solve_options``)."""
    setting = settings.get("time_limit")
    if setting is None or setting.value is None:
        return None
    return _number(setting, 0.0, low=0.01, high=MAX_TIME_LIMIT, what="time_limit")


def _number(
    setting: Setting | None,
    default: float,
    *,
    low: float,
    high: float,
    what: str,
    whole: bool = False,
) -> float:
    if setting is None or setting.value is None:
        return default
    value = setting.value
    if isinstance(value, str):
        # float() and int() take any script's digits, "1_000" and "nan": a number here is
        # written as a person types one, in ASCII digits.
        pattern = _WHOLE if whole else _DECIMAL
        try:
            if not pattern.match(value):
                raise ValueError(value)
            value = float(value) if not whole else int(value)
        except ValueError:
            raise _fail(
                setting, f"expected a {'whole ' if whole else ''}number, got {setting.value!r}"
            ) from None
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        raise _fail(setting, f"expected a number, got {setting.value!r}")
    if whole and value != int(value):
        raise _fail(setting, f"expected a whole number, got {setting.value!r}")
    if not low <= value <= high:
        raise _fail(setting, f"must be from {_shown(low)} to {_shown(high)}, got {_shown(value)}")
    return float(value)


_WHOLE = re.compile(r"^\s*[-+]?[0-9]+\s*$", re.ASCII)
_DECIMAL = re.compile(r"^\s*[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?\s*$", re.ASCII)


def _shown(number: float) -> str:
    """A number as a person wrote it: 2147483647, not 2.14748e+09; 0.5, not 0.500000."""
    if isinstance(number, int):
        text = str(number)
        return text if len(text) <= 40 else f"{text[:20]}... ({len(text)} digits)"
    if math.isfinite(number) and number == int(number) and abs(number) < 1e16:
        return str(int(number))
    return f"{number:.6g}"


def _choice(setting: Setting | None, default: str, choices: Iterable[str], what: str) -> str:
    if setting is None or setting.value is None:
        return default
    options = list(choices)
    if setting.value not in options:
        raise _fail(setting, f"unknown {what} {setting.value!r}; choose from {', '.join(options)}")
    return str(setting.value)


def _words(setting: Setting) -> list[str]:
    """A list from YAML, or comma-separated strings from one or more flags."""
    raw = setting.value
    items = raw if isinstance(raw, list | tuple) else [raw]
    words: list[str] = []
    for item in items:
        if not isinstance(item, str):
            raise _fail(setting, f"expected names, got {item!r}")
        words.extend(w.strip() for w in item.split(",") if w.strip())
    return words


def _unknown(setting: Setting, what: str, word: str, known: Iterable[str]) -> InputError:
    return _fail(setting, f"unknown {what} {word!r}{near_matches(word, known)}")


def near_matches(word: str, known: Iterable[str]) -> str:
    """The hint after an unknown name: its near matches, else what is known."""
    options = sorted(set(known))
    close = difflib.get_close_matches(word, options, n=3)
    if close:
        return f"; did you mean {' or '.join(repr(c) for c in close)}?"
    if len(options) <= LISTED:
        return f"; known: {', '.join(options)}"
    # a big catalog: a list of thousands of ids helps nobody
    return f"; {len(options)} are known, e.g. {', '.join(options[:LISTED])}"


def _focus(
    catalog: Catalog, setting: Setting | None, default: str = "back"
) -> tuple[str, tuple[str, ...]]:
    if setting is None or setting.value is None:
        setting = Setting(default, "default focus")
    words = _words(setting)
    if not words:
        raise _fail(setting, "names no muscle or group")
    muscles: list[str] = []
    for word in words:
        if word in catalog.groups:
            muscles.extend(catalog.groups[word])
        elif word in catalog.muscles:
            muscles.append(word)
        else:
            raise _unknown(setting, "muscle or group", word, [*catalog.groups, *catalog.muscles])
    return ",".join(words), tuple(dict.fromkeys(muscles))


def _equipment(catalog: Catalog, setting: Setting | None) -> frozenset[str]:
    if setting is None or setting.value is None:
        return frozenset()
    items = set()
    for word in _words(setting):
        if word in (BODYWEIGHT, "bodyweight"):
            continue
        if word not in catalog.equipment:
            raise _unknown(setting, "equipment", word, [BODYWEIGHT, *catalog.equipment])
        items.add(word)
    return frozenset(items)


def _kept(
    catalog: Catalog,
    setting: Setting | None,
    exclude: frozenset[str],
    focus: tuple[str, ...],
    focus_label: str,
) -> frozenset[str]:
    """The exercises to keep: known, not excluded, and working the focus (a routine is made
    of exercises that work its focus)."""
    keep = _exercises(catalog, setting)
    if setting is None or not keep:
        return keep
    if keep & exclude:
        raise _fail(
            setting, f"{', '.join(sorted(keep & exclude))} cannot be both kept and excluded"
        )
    off = sorted(
        e.id for e in catalog.exercises if e.id in keep and not set(e.primary) & set(focus)
    )
    if off:
        raise _fail(
            setting, f"{', '.join(off)} works no focus muscle ({focus_label}) as a primary muscle"
        )
    return keep


def _exercises(catalog: Catalog, setting: Setting | None) -> frozenset[str]:
    if setting is None or setting.value is None:
        return frozenset()
    ids = {e.id for e in catalog.exercises}
    words = _words(setting)
    for word in words:
        if word not in ids:
            raise _unknown(setting, "exercise", word, ids)
    return frozenset(words)


_RANGE = re.compile(r"^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$", re.ASCII)


def _range(
    setting: Setting | None, default: tuple[int, int], low: int, high: int, what: str
) -> tuple[int, int]:
    """``3``, ``"2-3"`` or ``[2, 3]`` -> ``(2, 3)``, within ``low..high``."""
    if setting is None or setting.value is None:
        return default
    value = setting.value
    pair: list[Any]
    if isinstance(value, int) and not isinstance(value, bool):
        pair = [value, value]
    elif isinstance(value, str) and (match := _RANGE.match(value)):
        pair = [int(match[1]), int(match[2] or match[1])]
    elif isinstance(value, list) and len(value) == 2:
        pair = value
    else:
        raise _fail(setting, f"expected a number or a range like 2-3, got {value!r}")
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in pair):
        raise _fail(setting, f"expected whole numbers, got {value!r}")
    lo, hi = pair
    if not low <= lo <= hi <= high:
        raise _fail(
            setting, f"{what} must be a range within {low}-{high} with min <= max, got {value!r}"
        )
    return lo, hi
