"""The wording the human-facing exporters share, public so that a plugin need not copy it.

``from routinegen import wording``: ``clock(90)`` is ``1:30``, ``plural(3, "round")`` is
``3 rounds``, ``exercise_lines(item)`` says how to do one exercise, ``title(routine)`` names a
routine, and the date helpers write the same English in every locale. The prescription
helpers (``dose_words``, ``rest_words``, ``effort_words``, ``format_words``, ``block_title``
and the rest, in ``routinegen.output.prescription``) are re-exported here. docs/plugins.md
lists them; they follow semantic versioning like the rest of the public API.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# Re-exported: the prescription wording lives in its own module to keep this one short.
from routinegen.output.prescription import (
    BLOCK_TITLES,
    amount_words,
    avoid_words,
    block_heading,
    block_times,
    block_title,
    cue_words,
    detail_words,
    dose_words,
    effort_words,
    format_words,
    gear_words,
    hard_sets_lines,
    in_rounds,
    load_words,
    missing_words,
    number_words,
    proof_scope,
    proof_words,
    rest_words,
    seconds_words,
    status_words,
    switch_words,
)
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
    """How to do one set of one exercise: one line, or a right and a left line for a unilateral
    move. ``30 s hold`` is an isometric hold, ``40 s`` timed work (a jumping jack is no hold)."""
    amount = amount_words(item)
    gear = gear_words(item)
    gear = f" ({gear})" if gear else ""
    if not item.per_side:
        return [f"{item.name} — {amount}{gear}"]
    return [f"{item.name}, {side} — {amount}{gear}" for side in ("right", "left")]


def rounds_line(routine: Routine) -> str:
    """The main block's rounds and rests in one sentence (straight sets: how they are done)."""
    if routine.format == "straight_sets":
        between = seconds_words(routine.rest_seconds)
        return (
            "Straight sets: each exercise's sets in a row with the rest it gives, "
            f"then {between} before the next exercise."
        )
    rounds = plural(routine.rounds, "round")
    if routine.format == "intervals" and routine.interval is not None:
        work, rest = routine.interval
        line = f"{rounds} of {work} s on, {rest} s off through the exercises"
        if routine.rounds > 1:
            line += f", {routine.round_rest_seconds} s between rounds"
        return line + "."
    line = f"{rounds}, rest {routine.rest_seconds} s between exercises"
    if routine.rounds > 1:
        line += f" and {routine.round_rest_seconds} s between rounds"
    return line + "."


def item_lines(item: RoutineItem, routine: Routine) -> list[str]:
    """One exercise of ``routine`` as lines: in a round, ``exercise_lines`` (a right and a
    left line for a unilateral move); in sets of its own, ``Back Squat — 4 x 5 reps
    (barbell)``; then its prescription (switch, rest, effort, load) on one line."""
    if in_rounds(routine, item):
        lines = exercise_lines(item)
    else:
        gear = gear_words(item)
        dose = dose_words(item)
        lines = [f"{item.name} — {dose}" + (f" ({gear})" if gear else "")]
    details = detail_words(item, routine)
    return [*lines, " · ".join(details)] if details else lines


def session_lines(routine: Routine) -> list[str]:
    """The session in plain lines, block by block: a heading per block (the main one with its
    format and rests), numbered exercises with their prescription, then what it avoided and
    which patterns it misses. A circuit with no warm-up or cool-down reads as in 1.x:
    ``rounds_line`` and the numbered exercises."""
    legacy = not routine.warmup and not routine.cooldown and routine.format == "circuit"
    lines: list[str] = [rounds_line(routine)] if legacy else []
    for block, items in routine.blocks:
        if not legacy:
            lines.append(f"{block_heading(routine, block)}:")
            if block == "main":
                lines.append(rounds_line(routine))
        for number, item in enumerate(items, start=1):
            first, *more = item_lines(item, routine)
            lines.append(f"{number}. {first}")
            lines.extend(f"   {line}" for line in more)
    lines += [note for note in (avoid_words(routine.request), missing_words(routine.proof)) if note]
    return lines


__all__ = [
    "BLOCK_TITLES",
    "DAY_NAMES",
    "MONTH_NAMES",
    "amount_words",
    "avoid_words",
    "block_heading",
    "block_times",
    "block_title",
    "clock",
    "cue_words",
    "day_name",
    "detail_words",
    "dose_words",
    "effort_words",
    "event_title",
    "exercise_lines",
    "format_words",
    "gear_words",
    "hard_sets_lines",
    "in_rounds",
    "item_lines",
    "load_words",
    "local_start",
    "long_date",
    "missing_words",
    "number_words",
    "plain_number",
    "plan_title",
    "plural",
    "proof_scope",
    "proof_words",
    "rest_words",
    "rounds_line",
    "seconds_words",
    "session_heading",
    "session_lines",
    "session_title",
    "short_date",
    "status_words",
    "switch_words",
    "title",
    "zone",
]
