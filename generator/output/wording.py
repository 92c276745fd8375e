"""The wording the human-facing exporters share, public so that a plugin need not copy it.

``from routinegen import wording``: ``clock(90)`` is ``1:30``, ``plural(3, "round")`` is
``3 rounds``, ``exercise_lines(item)`` says how to do one exercise, ``title(routine)`` names a
routine, and the date helpers write the same English in every locale. docs/plugins.md lists
them; they follow semantic versioning like the rest of the public API.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from routinegen.results import Plan, PlannedSession, Routine, RoutineItem


def plain_number(value: float) -> int | float:
    """Whole numbers as ints, so 15 minutes reads ``15`` and not ``15.0``."""
    return int(value) if float(value).is_integer() else value


def clock(seconds: int) -> str:
    """Seconds as ``m:ss``, the way a workout timer shows them."""
    minutes, rest = divmod(max(0, int(seconds)), 60)
    return f"{minutes}:{rest:02d}"


def _title(label: str, minutes: float) -> str:
    label = label.strip()
    name = f"{label[:1].upper()}{label[1:]} routine" if label else "Routine"
    return f"{name} ({plain_number(minutes)} min)"


def title(routine: Routine) -> str:
    """A short name such as ``Back routine (15 min)``, used as heading and event summary."""
    return _title(routine.request.focus_label, routine.request.minutes)


def plan_title(plan: Plan) -> str:
    """``Full-body plan (2 weeks, 6 sessions)``: the text card's heading, the calendar's name."""
    label = plan.request.focus_label.strip()
    name = f"{label[:1].upper()}{label[1:]} plan" if label else "Plan"
    weeks = plural(plan.rules.weeks, "week")
    return f"{name} ({weeks}, {plural(len(plan.sessions), 'session')})"


def session_title(session: PlannedSession) -> str:
    """A plan session's name, e.g. ``Upper routine (30 min)``: its focus and its budget."""
    return _title(session.focus_label, session.routine.request.minutes)


def event_title(session: PlannedSession, tz: str) -> str:
    """A calendar event's name, e.g. ``Upper · week 1 Mon``: the session's focus, its week
    and its weekday on the plan's clock, so each event of a plan reads apart from the rest."""
    label = session.focus_label.strip() or "whole body"
    day = day_name(local_start(session, tz).date())
    return f"{label[:1].upper()}{label[1:]} · week {session.week} {day}"


def zone(name: str) -> ZoneInfo:
    """The IANA time zone ``name``, or a ValueError a person can act on."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r}") from None


def local_start(session: PlannedSession, tz: str) -> datetime:
    """When the session starts, on the clock of ``tz`` (the plan's ``--tz``)."""
    if session.start.utcoffset() is None:
        raise ValueError("a session's start time must be timezone-aware")
    return session.start.astimezone(zone(tz))


# Fixed English names: ``strftime("%a")`` would follow the process locale.
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day_name(day: date) -> str:
    """``Mon``: the weekday, the same in every locale."""
    return DAY_NAMES[day.weekday()]


def short_date(day: date) -> str:
    """``30 Nov 2026``: day first, month in letters, so no reader misreads it."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def long_date(day: date) -> str:
    """``Mon 30 Nov 2026``."""
    return f"{day_name(day)} {short_date(day)}"


def session_heading(session: PlannedSession, tz: str) -> str:
    """``Mon 30 Nov 2026, 07:00 — upper``: when and what, heading a session's card."""
    start = local_start(session, tz)
    heading = f"{long_date(start.date())}, {start:%H:%M}"
    label = session.focus_label.strip()
    return f"{heading} — {label}" if label else heading


def plural(count: int, word: str) -> str:
    """``1 round`` / ``3 rounds``: small, but the card reads like a person wrote it."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def exercise_lines(item: RoutineItem) -> list[str]:
    """How to do one exercise: one line, or a right and a left line for a unilateral move."""
    amount = plural(item.reps, "rep") if item.reps is not None else f"{item.hold_seconds} s hold"
    gear = "" if item.equipment == "none" else f" ({item.equipment.replace('+', ' + ')})"
    if not item.per_side:
        return [f"{item.name} — {amount}{gear}"]
    return [f"{item.name}, {side} — {amount}{gear}" for side in ("right", "left")]


def rounds_line(routine: Routine) -> str:
    """Rounds and rests in one sentence; the rest between rounds only when there are several."""
    line = f"{plural(routine.rounds, 'round')}, rest {routine.rest_seconds} s between exercises"
    if routine.rounds > 1:
        line += f" and {routine.round_rest_seconds} s between rounds"
    return line + "."
