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
    hookimpl,
    option,
    wording,
)

__version__ = "0.1.0"


DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")  # not strftime: locale-proof


def _clock(seconds: int) -> str:
    minutes, rest = divmod(seconds, 60)
    return f"{minutes}:{rest:02d}"


def _cell(text: str) -> str:
    """Table cells must not end the cell early or start a new row."""
    return text.replace("|", "\\|").replace("\n", " ")


def _status(proven: bool) -> str:
    if proven:
        return "_Proven optimal: nothing fits these limits better._"
    return "_Best found within the time limit; not proven optimal._"


def _table(routine: Routine, block: str) -> list[str]:
    """One block's exercises as a table: the dose with its rest, effort and load (routinegen's
    own wording, so a hold says "hold" and timed work does not)."""
    items = dict(routine.blocks).get(block, ())
    lines = ["| # | Exercise | Dose | Equipment |", "|---|---|---|---|"]
    for number, item in enumerate(items, start=1):
        dose = wording.dose_words(item, per_round=wording.in_rounds(routine, item))
        dose = " · ".join([dose, *wording.detail_words(item, routine)])
        gear = wording.gear_words(item) or "—"
        lines.append(f"| {number} | {_cell(item.name)} | {_cell(dose)} | {_cell(gear)} |")
    return lines


def _session(routine: Routine, coverage: bool) -> list[str]:
    """One session's body: its blocks (a heading each when there is a warm-up or cool-down),
    the exercises as tables, time, coverage, hard sets and what it avoided."""
    request = routine.request
    equipment = ", ".join(request.equipment) or "none (bodyweight only)"
    lines = [
        f"**Focus:** {request.focus_label or 'whole body'} · **Equipment:** {equipment} · "
        f"**Level:** {request.level}",
    ]
    alone = not routine.warmup and not routine.cooldown
    for block, _ in routine.blocks:
        lines.append("")
        if not alone:
            lines += [f"**{wording.block_heading(routine, block)}**", ""]
        if block == "main":
            lines += [wording.rounds_line(routine), ""]
        lines += _table(routine, block)
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
    notes = [f"- {line}" for line in wording.hard_sets_lines(routine)]
    said = (wording.avoid_words(request), wording.missing_words(routine.proof))
    notes += [f"- {note}" for note in said if note]
    if notes:
        lines += ["", *notes]
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
        lines += _session(result, coverage)
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
            lines += _session(session.routine, coverage)
    else:
        raise TypeError(f"the markdown exporter cannot render a {type(result).__name__}")
    return "\n".join([*lines, "", _status(result.solver.proven_optimal)]) + "\n"


EXPORTER = Exporter(
    name="markdown",
    extension="md",
    media_type="text/markdown",
    render=render,
    description="Markdown card with each block as a table, for notes, wikis and READMEs.",
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
