"""The ``text`` exporter: a coach's card to read (or print) before the workout.

A session reads in its blocks: the warm-up, the main block in its format (rounds, straight
sets or intervals) with each exercise's sets, dose, rest, effort and load, and the cool-down;
then the time, the hard sets per focus muscle, what it avoided and what was proven. A weekly
plan reads as a week at a glance (one row a session, the work of each week), then
every session's card under a heading saying when it is.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping

from routinegen.exporter import Exporter, Options, RenderContext, Result
from routinegen.hookspecs import hookimpl
from routinegen.output.wording import (
    avoid_words,
    block_heading,
    clock,
    cue_words,
    day_name,
    detail_words,
    dose_words,
    exercise_lines,
    gear_words,
    hard_sets_lines,
    in_rounds,
    local_start,
    missing_words,
    plain_number,
    plan_title,
    plural,
    proof_words,
    rounds_line,
    session_heading,
    session_title,
    short_date,
    status_words,
    title,
)
from routinegen.results import Plan, PlannedSession, Routine, RoutineItem

BAR_WIDTH = 20  # characters of the coverage bar for the best-covered muscle
WIDTH = 80  # the at-a-glance rows are shortened to fit a terminal or a printed page
MIN_NAME = 8  # a name cut shorter than this says too little: the row gives a count instead


def _header(routine: Routine) -> list[str]:
    """What was asked for, so the card stands on its own when printed."""
    req = routine.request
    equipment = ", ".join(req.equipment) if req.equipment else "none (bodyweight only)"
    heading = title(routine)
    return [
        heading,
        "=" * len(heading),
        f"Focus: {req.focus_label or 'whole body'}",
        f"Equipment: {equipment}",
        f"Level: {req.level}",
        f"Goal: {req.goal}",
    ]


def _wrap(parts: list[str], indent: str) -> list[str]:
    """Phrases joined with `` · `` into lines that fit the card's width."""
    lines: list[str] = []
    for part in parts:
        if lines and len(lines[-1]) + 3 + len(part) <= WIDTH:
            lines[-1] += f" · {part}"
        else:
            lines.append(f"{indent}{part}")
    return lines


def _one_line(item: RoutineItem, routine: Routine) -> str:
    """A straight-sets or warm-up item: ``Back Squat — 4 x 5 reps (barbell)``."""
    gear = gear_words(item)
    dose = dose_words(item, per_round=in_rounds(routine, item))
    return f"{item.name} — {dose}" + (f" ({gear})" if gear else "")


def _exercises(routine: Routine, items: tuple[RoutineItem, ...]) -> list[str]:
    """Numbered in order, each with its prescription under it. In a circuit both sides of a
    unilateral move get a line under one number (no rest between); in sets of its own the
    dose says ``a side``."""
    lines: list[str] = []
    width = len(str(len(items)))
    for number, item in enumerate(items, start=1):
        if in_rounds(routine, item):
            first, *more = exercise_lines(item)
        else:
            first, more = _one_line(item, routine), []
        prefix = f"{number:>{width}}. "
        pad = f"  {' ' * len(prefix)}"
        lines.append(f"  {prefix}{first}")
        lines.extend(f"{pad}{line}" for line in more)
        lines += _wrap(detail_words(item, routine), pad)
        cues = cue_words(item)
        if cues:
            lines += textwrap.wrap(
                f"cues: {cues}", WIDTH, initial_indent=pad, subsequent_indent=f"{pad}  "
            )
    return lines


def _blocks(routine: Routine) -> list[str]:
    """The warm-up, the main block and the cool-down, each under its heading; a routine with
    only a main block reads as it always did."""
    if not routine.warmup and not routine.cooldown and routine.format == "circuit":
        return [rounds_line(routine), "", *_exercises(routine, routine.items)]
    lines: list[str] = []
    for block, items in routine.blocks:
        if lines:
            lines.append("")
        lines.append(f"{block_heading(routine, block)}:")
        if block == "main":
            lines += textwrap.wrap(
                rounds_line(routine), WIDTH, initial_indent="  ", subsequent_indent="  "
            )
        lines += _exercises(routine, items)
    return lines


def _notes(routine: Routine, names: Mapping[str, str] | None) -> list[str]:
    """Hard sets per focus muscle, what the routine avoided and the patterns it misses."""
    lines: list[str] = []
    counted = hard_sets_lines(routine, dict(names or {}))
    if counted:
        lines += ["Hard sets per focus muscle:", *(f"  {line}" for line in counted)]
    for note in (avoid_words(routine.request), missing_words(routine.proof)):
        if note:
            lines += textwrap.wrap(note, WIDTH, subsequent_indent="  ")
    return lines


def _coverage(routine: Routine, names: Mapping[str, str] | None = None) -> list[str]:
    """Work per focus muscle with a bar scaled to the best-covered one: balance at a glance."""
    muscles = routine.request.focus
    if not muscles:
        return []
    seconds = {m: routine.coverage.get(m, 0) for m in muscles}
    most = max(seconds.values())
    fallback = names or {}
    shown = {m: routine.muscle_names.get(m, fallback.get(m, m)) for m in muscles}
    pad = max(len(n) for n in shown.values())
    lines = ["Work per muscle, all rounds:" if routine.format == "circuit" else "Work per muscle:"]
    for m in muscles:
        filled = round(BAR_WIDTH * seconds[m] / most) if most else 0
        bar = "#" * filled + "." * (BAR_WIDTH - filled)
        lines.append(f"  {shown[m]:<{pad}}  {clock(seconds[m]):>5}  {bar}")
    return lines


def _card(routine: Routine, names: Mapping[str, str] | None = None) -> list[str]:
    """The workout itself: the blocks, total time, coverage and hard sets (no header, no
    status)."""
    lines = _blocks(routine)
    lines += [
        "",
        f"Total time: {clock(routine.total_seconds)} (budget {clock(routine.budget_seconds)})",
    ]
    coverage = _coverage(routine, names)
    if coverage:
        lines += ["", *coverage]
    notes = _notes(routine, names)
    if notes:
        lines += ["", *notes]
    return lines


def _status(routine: Routine) -> list[str]:
    """Say honestly whether CP-SAT proved this is the best routine or ran out of time, and
    what exactly it proved."""
    lines = [status_words(routine.solver.proven_optimal, "routine", routine.proof)]
    return lines + textwrap.wrap(proof_words(routine), WIDTH)


def _render_routine(routine: Routine) -> str:
    lines = _header(routine)
    lines += ["", *_card(routine), "", *_status(routine)]
    return "\n".join(lines) + "\n"


# --- plans ------------------------------------------------------------------------------


def _plan_header(plan: Plan) -> list[str]:
    """What was asked for and under which week rules."""
    req, rules = plan.request, plan.rules
    equipment = ", ".join(req.equipment) if req.equipment else "none (bodyweight only)"
    heading = plan_title(plan)
    lines = [heading, "=" * len(heading), f"Focus: {req.focus_label or 'whole body'}"]
    if rules.split:
        lines.append(f"Split: {rules.split}")
    lines += [
        f"Equipment: {equipment}",
        f"Level: {req.level}",
        f"Days: {', '.join(rules.days)}",
        f"Weeks: {rules.weeks}",
    ]
    return lines


def _plan_status(plan: Plan) -> str:
    """Said once for the whole plan: every session comes from the same solve."""
    if plan.solver.proven_optimal:
        return "Proven optimal: no plan fits these limits better."
    return "Best plan found within the time limit; it is not proven optimal."


def _shorten_names(routine: Routine, width: int) -> str:
    """Exercise names that fit ``width``: all, the first few and ``+N more``, or a count."""
    names = [item.name for item in routine.items]
    if not names:
        return "no exercises"
    for shown in range(len(names), 0, -1):
        more = f" +{len(names) - shown} more" if shown < len(names) else ""
        text = ", ".join(names[:shown])
        if len(text) + len(more) <= width:
            return text + more
    more = f" +{len(names) - 1} more" if len(names) > 1 else ""
    room = width - len(more) - 1  # the first name, cut, then "…"
    if room >= MIN_NAME:
        return f"{names[0][:room].rstrip()}…{more}"
    return plural(len(names), "exercise")


def _minutes(seconds: int) -> int:
    """Whole minutes, half a minute rounding up: the glance rounds, the card is exact."""
    return (max(0, seconds) + 30) // 60


def _glance(plan: Plan) -> list[str]:
    """One row a session (day, date, time, minutes, focus, exercises), grouped by week."""
    tz = plan.request.tz
    rows: list[tuple[int, list[str], Routine]] = []
    for session in plan.sessions:
        start = local_start(session, tz)
        cells = [
            day_name(start.date()),
            short_date(start.date()),
            f"{start:%H:%M}",
            str(_minutes(session.routine.total_seconds)),
            session.focus_label,
        ]
        rows.append((session.week, cells, session.routine))
    head = ["Day", "Date", "Time", "Min", "Focus"]
    columns = zip(head, *(cells for _, cells, _ in rows), strict=True)
    widths = [max(len(cell) for cell in column) for column in columns]
    right = {3}  # minutes line up on the right

    def line(cells: list[str], last: str) -> str:
        parts = [
            f"{cell:>{w}}" if i in right else f"{cell:<{w}}"
            for i, (cell, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "    " + "  ".join(parts) + "  " + last

    room = WIDTH - len(line(head, ""))
    lines = [f"Week at a glance (times in {tz}):", line(head, "Exercises").rstrip()]
    weeks = sorted({week for week, _, _ in rows})
    for week in weeks:
        work = ""
        if 0 < week <= len(plan.weekly_work_seconds):
            work = f" — total work {clock(plan.weekly_work_seconds[week - 1])}"
        lines.append(f"  Week {week}{work}")
        lines += [line(c, _shorten_names(r, room)) for w, c, r in rows if w == week]
    return lines


def _volume(plan: Plan) -> list[str]:
    """The weekly volume table: each focus muscle's hard sets a week against its target
    (``<`` below it, ``>`` above it)."""
    weeks = range(1, len(plan.weekly_volume) + 1)
    if not plan.rules.volume or not weeks:
        return []
    deloads = set(plan.rules.deload_weeks)
    head = ["Muscle", "Target", *(f"W{w}" + ("d" if w in deloads else "") for w in weeks)]
    rows = []
    for m, low, high in plan.rules.volume:
        cells = [plan.muscle_name(m).split(" (")[0], f"{low}-{high}"]
        for w in weeks:
            row = next(r for r in plan.volume_rows(w) if r.muscle == m)
            mark = {"in": "", "below": "<", "above": ">"}[row.status]
            cells.append(f"{plain_number(round(row.sets, 1))}{mark}")
        rows.append(cells)
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]

    def line(cells: list[str]) -> str:
        pairs = enumerate(zip(cells, widths, strict=True))
        return "    " + "  ".join(f"{c:<{w}}" if i == 0 else f"{c:>{w}}" for i, (c, w) in pairs)

    legend = "< below the target, > above it" + (", d a deload week" if deloads else "")
    return [f"Weekly volume, hard sets ({legend}):", line(head), *(line(r) for r in rows)]


def _progression(plan: Plan) -> list[str]:
    """Each exercise of each recurring session, week by week."""
    if plan.rules.weeks < 2 or not plan.progression:
        return []
    lines = ["Progression, week by week:"]
    session = None
    for p in plan.progression:
        if p.session != session:
            session = p.session
            lines.append(f"  {session}:")
        doses = ", ".join(f"W{week} {dose}" for week, dose in p.weeks)
        lines += textwrap.wrap(
            f"{p.name}: {doses}", WIDTH, initial_indent="    ", subsequent_indent="      "
        )
    return lines


def _session_card(plan: Plan, session: PlannedSession) -> list[str]:
    heading = session_heading(session, plan.request.tz)
    return [
        heading,
        "-" * len(heading),
        f"{session_title(session)}, week {session.week} of {plan.rules.weeks}",
        "",
        *_card(session.routine, plan.muscle_names),
    ]


def _render_plan(plan: Plan) -> str:
    lines = _plan_header(plan)
    lines += ["", _plan_status(plan), "", *_glance(plan)]
    for table in (_volume(plan), _progression(plan)):
        if table:
            lines += ["", *table]
    for session in plan.sessions:
        lines += ["", "", *_session_card(plan, session)]
    return "\n".join(lines) + "\n"


def render(result: Result, options: Options, context: RenderContext) -> str:
    """The card; no wall time or clock in it, so the same request gives the same text."""
    if isinstance(result, Plan):
        return _render_plan(result)
    return _render_routine(result)


EXPORTER = Exporter(
    name="text",
    extension="txt",
    media_type="text/plain",
    render=render,
    description="A readable workout card: warm-up, main block and cool-down with each "
    "exercise's sets, dose, rest, effort and load, total time, coverage and hard sets; for a "
    "plan, the week at a glance and every session's card.",
)


@hookimpl
def routinegen_register_exporters(register: Callable[[Exporter], None]) -> None:
    """Offer the text card to routinegen."""
    register(EXPORTER)
