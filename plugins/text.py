"""The ``text`` exporter: a coach's card to read (or print) before the workout."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from routinegen.document import clock, exercise_lines, rounds_line, title
from routinegen.exporter import Exporter, Result
from routinegen.hookspecs import hookimpl
from routinegen.routine import Routine

BAR_WIDTH = 20  # characters of the coverage bar for the best-covered muscle


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
    ]


def _exercises(routine: Routine) -> list[str]:
    """Numbered in order; both sides of a unilateral move share one number (no rest between)."""
    lines: list[str] = []
    width = len(str(len(routine.items)))
    for number, item in enumerate(routine.items, start=1):
        first, *more = exercise_lines(item)
        prefix = f"{number:>{width}}. "
        lines.append(f"  {prefix}{first}")
        lines.extend(f"  {' ' * len(prefix)}{line}" for line in more)
    return lines


def _coverage(routine: Routine) -> list[str]:
    """Work per focus muscle with a bar scaled to the best-covered one: balance at a glance."""
    muscles = routine.request.focus
    if not muscles:
        return []
    seconds = {m: routine.coverage.get(m, 0) for m in muscles}
    most = max(seconds.values())
    names = {m: routine.muscle_name(m) for m in muscles}
    pad = max(len(n) for n in names.values())
    lines = ["Work per muscle, all rounds:"]
    for m in muscles:
        filled = round(BAR_WIDTH * seconds[m] / most) if most else 0
        bar = "#" * filled + "." * (BAR_WIDTH - filled)
        lines.append(f"  {names[m]:<{pad}}  {clock(seconds[m]):>5}  {bar}")
    return lines


def _status(routine: Routine) -> str:
    """Say honestly whether CP-SAT proved this is the best routine or ran out of time."""
    if routine.solver.proven_optimal:
        return "Proven optimal: no routine fits these limits better."
    return "Best routine found within the time limit; it is not proven optimal."


def render(result: Result, options: Mapping[str, Any]) -> str:
    """The card; no wall time or clock in it, so the same request gives the same text."""
    routine = result
    lines = _header(routine)
    lines += ["", rounds_line(routine), ""]
    lines += _exercises(routine)
    lines += [
        "",
        f"Total time: {clock(routine.total_seconds)} (budget {clock(routine.budget_seconds)})",
    ]
    coverage = _coverage(routine)
    if coverage:
        lines += ["", *coverage]
    lines += ["", _status(routine)]
    return "\n".join(lines) + "\n"


EXPORTER = Exporter(
    name="text",
    extension="txt",
    media_type="text/plain",
    render=render,
    description="A readable workout card: rounds, exercises, total time and muscle coverage.",
)


@hookimpl
def routinegen_register_exporters(register: Callable[[Exporter], None]) -> None:
    """Offer the text card to routinegen."""
    register(EXPORTER)
