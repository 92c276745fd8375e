"""The weekly-plan request: days, dates, splits and week rules, on top of a session request.

A plan is a list of dated slots, each with its own complete session ``Request`` (its day's
budget, its split's focus), plus the rules that tie the sessions together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from importlib import resources
from zoneinfo import ZoneInfo

from routinegen.catalog import Catalog
from routinegen.coaching.progression import VOLUME_TARGETS, deload_weeks
from routinegen.errors import InputError
from routinegen.request.routine import (
    MAX_MINUTES,
    Request,
    default_exercise_count,
    default_rounds,
    near_matches,
    resolve_request,
)
from routinegen.request.settings import PLAN_KEYS, Setting, Settings
from routinegen.results import PlanRules
from routinegen.sources.files import packaged_yaml, read_named_yaml

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MAX_WEEKS = 12


@dataclass(frozen=True)
class Slot:
    """One session to plan: when it is and what it must satisfy on its own."""

    date: date
    start: datetime
    week: int  # 1-based
    weekday: str
    focus_label: str
    request: Request


@dataclass(frozen=True)
class PlanRequest:
    """A complete, validated plan request."""

    base: Request  # the session request before per-day budgets and split focuses
    slots: tuple[Slot, ...]
    focus: tuple[str, ...]  # every muscle some session focuses on
    rules: PlanRules

    @property
    def weeks(self) -> int:
        return self.rules.weeks


def builtin_splits() -> dict[str, resources.abc.Traversable]:
    """Built-in split templates: name -> file."""
    return packaged_yaml("routinegen.configs", "splits")


def load_split(spec: str) -> tuple[str, ...]:
    """A split's session focuses, in order (each a group or comma-separated muscles)."""
    doc = read_named_yaml(spec, builtin_splits(), "split")
    data = doc.data
    if not isinstance(data, dict) or "sessions" not in data:
        raise doc.error((), "a split needs 'sessions': a list of focuses")
    sessions = data["sessions"]
    if (
        not isinstance(sessions, list)
        or not sessions
        or not all(isinstance(s, str) and s.strip() for s in sessions)
    ):
        raise doc.error(("sessions",), "must be a non-empty list of focuses (groups or muscles)")
    return tuple(s.strip() for s in sessions)


_DAY = re.compile(r"^\s*([a-z]{3})[a-z]*\s*(?:=\s*(\d+(?:\.\d+)?)\s*)?$", re.ASCII)


def parse_days(setting: Setting) -> list[tuple[str, float | None]]:
    """``mon,wed,fri`` or ``mon=20,sat=45`` -> [(weekday, minutes or None)] in week order."""
    raw = setting.value
    words = raw if isinstance(raw, list) else str(raw).split(",")
    days: dict[str, float | None] = {}
    for word in words:
        match = _DAY.match(str(word).lower())
        if not match or match[1] not in WEEKDAYS:
            raise InputError(
                f"{setting.origin}: expected days like mon,wed,fri or mon=20,sat=45, got {word!r}"
            )
        if match[1] in days:
            raise InputError(f"{setting.origin}: {match[1]} is given twice")
        minutes = float(match[2]) if match[2] else None
        if minutes is not None and not 1 <= minutes <= MAX_MINUTES:
            raise InputError(
                f"{setting.origin}: a session lasts 1 to {MAX_MINUTES} minutes, got {minutes:g}"
            )
        days[match[1]] = minutes
    if not days:
        raise InputError(f"{setting.origin}: names no day")
    return sorted(days.items(), key=lambda kv: WEEKDAYS.index(kv[0]))


def resolve_plan_request(catalog: Catalog, settings: Settings) -> PlanRequest:
    """Validate plan settings and lay out the dated session slots."""
    session_settings = {k: v for k, v in settings.items() if k not in PLAN_KEYS}
    base = resolve_request(catalog, session_settings)
    get = settings.get
    days = parse_days(get("days") or Setting("mon,wed,fri", "default days"))
    weeks = _whole(get("weeks"), 1, 1, MAX_WEEKS, "weeks")
    progression = _progression(get("progression"))
    if weeks > 1 and progression[1] > 0:  # double progression: the doses climb their range
        base = replace(base, progressive=True)
    at = _clock(get("time"))
    tz = ZoneInfo(base.tz)
    first = _first_day(settings.get("start"), base)
    split_setting = get("split")
    split = str(split_setting.value) if split_setting and split_setting.value else None
    focuses = load_split(split) if split else (base.focus_label,)

    slots: list[Slot] = []
    weekdays = {d for d, _ in days}
    for offset in range(7 * weeks):
        day = first + timedelta(days=offset)
        weekday = WEEKDAYS[day.weekday()]
        if weekday not in weekdays:
            continue
        minutes = dict(days)[weekday]
        focus_label = focuses[len(slots) % len(focuses)]
        request = _session_request(catalog, settings, base, minutes, focus_label)
        slots.append(
            Slot(day, datetime.combine(day, at, tz), offset // 7 + 1, weekday, focus_label, request)
        )
    if not slots:  # pragma: no cover - every listed weekday occurs in a 7-day span
        raise InputError("the plan has no session")
    focus = tuple(dict.fromkeys(m for s in slots for m in s.request.focus))
    deload = _flag(get("deload"))
    rules = PlanRules(
        days=tuple(f"{d}={m:g}" if m else d for d, m in days),
        weeks=weeks,
        split=split,
        recovery_hours=_whole(get("recovery_hours"), 48, 0, 24 * 7, "recovery_hours"),
        max_repeats=_whole(get("max_repeats"), 2, 1, 7, "max_repeats"),
        progression=progression,
        deload=deload,
        volume=_volume(catalog, get("volume"), focus, base.level),
        deload_weeks=tuple(sorted(deload_weeks(weeks, deload))),
    )
    return PlanRequest(base, tuple(slots), focus, rules)


def _session_request(
    catalog: Catalog, settings: Settings, base: Request, minutes: float | None, focus_label: str
) -> Request:
    """The base request with this day's budget and this session's focus."""
    request = base
    if minutes is not None:
        request = replace(
            request,
            budget_seconds=round(minutes * 60),
            rounds=base.rounds if "rounds" in settings else default_rounds(minutes),
            exercise_count=(
                base.exercise_count if "exercises" in settings else default_exercise_count(minutes)
            ),
        )
    if focus_label != base.focus_label:
        focus_only = resolve_request(catalog, {"focus": Setting(focus_label, "the split")})
        request = replace(request, focus=focus_only.focus, focus_label=focus_label)
    return request


_RANGE = re.compile(r"^\s*([\w-]+)\s*=\s*(\d+)\s*-\s*(\d+)\s*$", re.ASCII)


def _volume(
    catalog: Catalog, setting: Setting | None, focus: tuple[str, ...], level: str
) -> tuple[tuple[str, int, int], ...]:
    """Each focus muscle's weekly hard-set target: the level's range, or the one given
    for it (``lats=12-18``; a group sets each of its muscles)."""
    targets = {m: VOLUME_TARGETS[level] for m in focus}
    if setting is None or setting.value in (None, "", []):
        return tuple((m, *targets[m]) for m in focus)
    raw = setting.value
    words = raw if isinstance(raw, list | tuple) else str(raw).split(",")
    for word in words:
        match = _RANGE.match(str(word))
        if not match:
            raise InputError(
                f"{setting.origin}: expected MUSCLE=LOW-HIGH weekly hard sets like "
                f"lats=12-18, got {word!r}"
            )
        name, low, high = match[1], int(match[2]), int(match[3])
        if not 0 <= low <= high <= 60:
            raise InputError(
                f"{setting.origin}: a weekly range lies within 0-60 hard sets with low <= "
                f"high, got {word!r}"
            )
        muscles = catalog.groups.get(name) or ((name,) if name in catalog.muscles else ())
        if not muscles:
            known = [*catalog.muscles, *catalog.groups]
            raise InputError(
                f"{setting.origin}: unknown muscle {name!r}{near_matches(name, known)}"
            )
        outside = [m for m in muscles if m not in targets]
        if outside:
            raise InputError(
                f"{setting.origin}: no session of the plan focuses on "
                f"{', '.join(catalog.muscles.get(m, m) for m in outside)}; add it to --focus"
            )
        for m in muscles:
            targets[m] = (low, high)
    return tuple((m, *targets[m]) for m in focus)


def _first_day(setting: Setting | None, base: Request) -> date:
    """``--start`` as a date; by default the coming Monday."""
    if setting is None or setting.value in (None, ""):
        today = datetime.now(ZoneInfo(base.tz)).date()
        return today + timedelta(days=(7 - today.weekday()) % 7 or 7)
    assert base.start is not None
    return base.start.date()


def _clock(setting: Setting | None) -> time:
    if setting is None or setting.value in (None, ""):
        return time(7, 0)
    value = setting.value
    if isinstance(value, int) and not isinstance(value, bool):  # YAML 1.2 keeps 07:30 a str
        raise InputError(f"{setting.origin}: expected a time like 07:30, got {value!r}")
    match = re.match(r"^(\d{1,2}):(\d{2})$", str(value).strip(), re.ASCII)
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise InputError(f"{setting.origin}: expected a time like 07:30, got {value!r}")
    return time(int(match[1]), int(match[2]))


def _whole(setting: Setting | None, default: int, low: int, high: int, what: str) -> int:
    if setting is None or setting.value is None:
        return default
    value = setting.value
    try:
        number = int(value) if not isinstance(value, bool) else None
    except (TypeError, ValueError):
        number = None
    if number is None or str(number) != str(value).strip() or not low <= number <= high:
        raise InputError(
            f"{setting.origin}: {what} must be a whole number from {low} to {high}, got {value!r}"
        )
    return number


def _flag(setting: Setting | None) -> bool:
    if setting is None or setting.value is None:
        return False
    if not isinstance(setting.value, bool):
        raise InputError(f"{setting.origin}: expected true or false, got {setting.value!r}")
    return setting.value


def _progression(setting: Setting | None) -> tuple[float, float]:
    """``5-10`` (percent a week) -> (0.05, 0.10)."""
    if setting is None or setting.value is None:
        return (0.05, 0.10)
    value = str(setting.value).strip().rstrip("%")
    match = re.match(r"^(\d+(?:\.\d+)?)\s*(?:-\s*(\d+(?:\.\d+)?))?$", value, re.ASCII)
    if not match:
        raise InputError(
            f"{setting.origin}: expected a percentage range like 5-10, got {setting.value!r}"
        )
    lo = float(match[1])
    hi = float(match[2] or match[1])
    if not 0 <= lo <= hi <= 50:
        raise InputError(
            f"{setting.origin}: progression must lie within 0-50 % with min <= "
            f"max, got {setting.value!r}"
        )
    return (lo / 100, hi / 100)
