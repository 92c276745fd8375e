"""A routinegen plugin: routines and weekly plans as Markdown, and a desk-breaks catalog.

It uses only what ``routinegen`` exports (docs/plugins.md), so it keeps working when
routinegen's internals change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib.resources import files
from zoneinfo import ZoneInfo

from routinegen import (
    CatalogSource,
    Exporter,
    Options,
    Plan,
    RenderContext,
    Result,
    Routine,
    RoutineItem,
    hookimpl,
    option,
)

__version__ = "0.1.0"


DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")  # not strftime: locale-proof


def _clock(seconds: int) -> str:
    minutes, rest = divmod(seconds, 60)
    return f"{minutes}:{rest:02d}"


def _cell(text: str) -> str:
    """Table cells must not end the cell early or start a new row."""
    return text.replace("|", "\\|").replace("\n", " ")


def _dose(item: RoutineItem) -> str:
    amount = f"{item.reps} reps" if item.reps is not None else f"{item.hold_seconds} s hold"
    return f"{amount} per side" if item.per_side else amount


def _status(proven: bool) -> str:
    if proven:
        return "_Proven optimal: nothing fits these limits better._"
    return "_Best found within the time limit; not proven optimal._"


def _circuit(routine: Routine, coverage: bool) -> list[str]:
    """One session's body: rounds and rests, the exercises as a table, time, coverage."""
    request = routine.request
    equipment = ", ".join(request.equipment) or "none (bodyweight only)"
    lines = [
        f"**Focus:** {request.focus_label or 'whole body'} · **Equipment:** {equipment} · "
        f"**Level:** {request.level}",
        "",
        f"{routine.rounds} rounds, {routine.rest_seconds} s rest between exercises "
        f"and {routine.round_rest_seconds} s between rounds.",
        "",
        "| # | Exercise | Dose | Equipment |",
        "|---|---|---|---|",
    ]
    for number, item in enumerate(routine.items, start=1):
        gear = "—" if item.equipment == "none" else item.equipment
        lines.append(f"| {number} | {_cell(item.name)} | {_dose(item)} | {_cell(gear)} |")
    lines += [
        "",
        f"**Total time:** {_clock(routine.total_seconds)} of {_clock(routine.budget_seconds)}",
    ]
    if coverage and request.focus:
        lines += ["", "**Work per muscle:**", ""]
        lines += [
            f"- {routine.muscle_name(m)}: {_clock(routine.coverage.get(m, 0))}"
            for m in request.focus
        ]
    return lines


@dataclass(frozen=True)
class MarkdownOptions(Options):
    """``--set heading_level=2``, ``--set coverage=no``: checked before anything is solved."""

    heading_level: int = option(1, "level of the title heading, 1 to 5")
    coverage: bool = option(True, "list the work per focus muscle")

    def validate(self) -> None:
        if not 1 <= self.heading_level <= 5:  # a plan's sessions are one level deeper
            raise ValueError(f"heading_level must be 1 to 5, got {self.heading_level}")


def render(result: Result, options: MarkdownOptions, context: RenderContext) -> str:
    """A routine as one Markdown card; a weekly plan as a card per session under one title."""
    level = options.heading_level
    coverage = options.coverage
    if isinstance(result, Routine):
        request = result.request
        focus = (request.focus_label or "whole-body").capitalize()
        lines = [f"{'#' * level} {focus} routine ({request.minutes:g} min)", ""]
        lines += _circuit(result, coverage)
    elif isinstance(result, Plan):
        weeks = result.rules.weeks
        sessions = len(result.sessions)
        focus = (result.request.focus_label or "whole-body").capitalize()
        lines = [
            f"{'#' * level} {focus} plan: {sessions} session{'s' * (sessions != 1)} "
            f"over {weeks} week{'s' * (weeks != 1)}"
        ]
        zone = ZoneInfo(result.request.tz)
        for session in result.sessions:
            start = session.start.astimezone(zone)
            lines += [
                "",
                f"{'#' * (level + 1)} Week {session.week}, {DAYS[start.weekday()]} "
                f"{start:%Y-%m-%d %H:%M} — {session.focus_label}",
                "",
            ]
            lines += _circuit(session.routine, coverage)
    else:
        raise TypeError(f"the markdown exporter cannot render a {type(result).__name__}")
    return "\n".join([*lines, "", _status(result.solver.proven_optimal)]) + "\n"


EXPORTER = Exporter(
    name="markdown",
    extension="md",
    media_type="text/markdown",
    render=render,
    description="Markdown card with the circuit as a table, for notes, wikis and READMEs.",
    options=MarkdownOptions,
)


@hookimpl
def routinegen_register_exporters(register: Callable[[Exporter], None]) -> None:
    """Offer the markdown format (``--format markdown``, or ``-o file.md``), for make and week."""
    register(EXPORTER)


@hookimpl
def routinegen_register_catalogs(register: Callable[[str, CatalogSource], None]) -> None:
    """Offer the desk-breaks catalog (``--catalog desk-breaks``), read from the package."""
    register("desk-breaks", files(__package__) / "desk-breaks.yaml")
