"""The ``html`` exporter: a printable card, one self-contained file to pin on the wall.

A routine is one page: its blocks (warm-up, the main block in its format, cool-down), each
exercise with its dose, rest, effort, load and equipment and a tick box per round or set,
the total time, the hard sets, what it avoided and what was proven, and the muscle map (the
svg exporter's, inline). A plan is a page
at a glance, then one such page per session. Print CSS sets the page (``paper``: A4 or
Letter) and keeps each session on one page. Jinja2 fills ``templates/card.html.j2`` with
autoescaping on; it and drawsvg are imported inside ``render``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

from routinegen.exporter import Exporter, Options, RenderContext, Result, option
from routinegen.hookspecs import hookimpl
from routinegen.output.document import generator_version
from routinegen.output.wording import (
    avoid_words,
    block_heading,
    clock,
    cue_words,
    detail_words,
    dose_words,
    gear_words,
    hard_sets_lines,
    in_rounds,
    local_start,
    long_date,
    missing_words,
    plan_title,
    plural,
    proof_words,
    rounds_line,
    session_heading,
    session_title,
    status_words,
    title,
)
from routinegen.plugins._extras import missing
from routinegen.results import EffectiveRequest, Plan, Routine, RoutineItem

PAPERS = {"a4": "A4", "letter": "letter"}
MAP_WIDTH = 400  # the map's own pixel width; CSS scales it into its column


@dataclass(frozen=True)
class HtmlOptions(Options):
    paper: str = option("a4", "page size when printed: a4 or letter")
    map: bool = option(True, "include the muscle map")

    def validate(self) -> None:
        if self.paper.lower() not in PAPERS:
            raise ValueError(f"paper must be a4 or letter, got {self.paper!r}")


def _meta(req: EffectiveRequest) -> str:
    equipment = ", ".join(req.equipment) if req.equipment else "none (bodyweight only)"
    return (
        f"Focus: {req.focus_label or 'whole body'} · Equipment: {equipment} · "
        f"Level: {req.level} · Goal: {req.goal}"
    )


def _rows(routine: Routine, items: tuple[RoutineItem, ...]) -> list[dict[str, Any]]:
    """One row an exercise: its dose, then the rest, effort and load; a tick box per round
    (in a circuit) or per set."""
    rows = []
    for number, item in enumerate(items, start=1):
        per_round = in_rounds(routine, item)
        rows.append(
            {
                "number": number,
                "name": item.name,
                "side": "right side, then left" if item.per_side else "",
                "dose": dose_words(item, per_round=per_round),
                "equipment": gear_words(item),
                "details": " · ".join(detail_words(item, routine)),
                "cues": cue_words(item),
                "boxes": routine.rounds if per_round else max(1, item.sets),
            }
        )
    return rows


def _rests(routine: Routine) -> str:
    line = f"Rest {routine.rest_seconds} s between exercises"
    if routine.rounds > 1:
        line += f", {routine.round_rest_seconds} s between rounds"
    return line + "."


def _blocks(routine: Routine) -> list[dict[str, Any]]:
    """The blocks in session order; a circuit alone reads as it always did (no heading)."""
    alone = not routine.warmup and not routine.cooldown and routine.format == "circuit"
    blocks = []
    for block, items in routine.blocks:
        intro: list[str] = []
        after: list[str] = []
        if block == "main" and routine.format == "circuit":
            intro.append(f"{plural(routine.rounds, 'round')} of the circuit below, in order.")
            after.append(_rests(routine))
        elif block == "main":
            intro.append(rounds_line(routine))
        blocks.append(
            {
                "title": "" if alone else block_heading(routine, block),
                "intro": intro,
                "rows": _rows(routine, items),
                "after": after,
            }
        )
    return blocks


def _notes(routine: Routine, names: dict[str, str]) -> list[str]:
    notes = []
    counted = hard_sets_lines(routine, names)
    if counted:
        notes.append("Hard sets: " + "; ".join(counted) + ".")
    notes += [n for n in (avoid_words(routine.request), missing_words(routine.proof)) if n]
    return notes


def _card(
    routine: Routine,
    heading: str,
    when: str,
    status: list[str],
    map_svg: Any,
    names: dict[str, str] | None = None,
) -> dict[str, Any]:
    return {
        "title": heading,
        "when": when,
        "meta": _meta(routine.request),
        "blocks": _blocks(routine),
        "total": clock(routine.total_seconds),
        "budget": clock(routine.budget_seconds),
        "notes": _notes(routine, names or {}),
        "status": [line for line in status if line],
        "map": map_svg,
    }


def _map(routine: Routine, show: bool, prefix: str) -> Any:
    """The inline SVG (without its XML declaration), marked safe for the template."""
    if not show:
        return ""
    from markupsafe import Markup

    from routinegen.plugins._extras import MissingExtra
    from routinegen.plugins.svg import muscle_map

    try:
        svg = muscle_map(routine, MAP_WIDTH, prefix)
    except MissingExtra:
        raise missing("html", "drawsvg", "html") from None
    return Markup(svg[svg.index("<svg") :])


def _plan_page(plan: Plan) -> dict[str, Any]:
    rules = plan.rules
    tz = plan.request.tz
    split = f" · Split: {rules.split}" if rules.split else ""
    rows = []
    for session in plan.sessions:
        start = local_start(session, tz)
        rows.append(
            {
                "week": session.week,
                "when": f"{long_date(start.date())}, {start:%H:%M}",
                "title": session_title(session),
                "time": clock(session.routine.total_seconds),
                "exercises": ", ".join(item.name for item in session.routine.items),
            }
        )
    return {
        "meta": f"{_meta(plan.request)}{split} · Days: {', '.join(rules.days)} · Times in {tz}",
        "status": status_words(plan.solver.proven_optimal, "plan"),
        "rows": rows,
    }


def render(result: Result, options: HtmlOptions, context: RenderContext) -> str:
    """The card; nothing from the clock in it, so the same result gives the same bytes."""
    try:
        import jinja2
    except ImportError:
        raise missing("html", "jinja2", "html") from None
    template_text = files(__package__).joinpath("templates/card.html.j2").read_text("utf-8")
    environment = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    template = environment.from_string(template_text)
    if isinstance(result, Plan):
        heading = plan_title(result)
        plan = _plan_page(result)
        cards = [
            _card(
                s.routine,
                f"{session_title(s)}, week {s.week} of {result.rules.weeks}",
                session_heading(s, result.request.tz),
                [proof_words(s.routine)],
                _map(s.routine, options.map, f"s{n}-"),
                result.muscle_names,
            )
            for n, s in enumerate(result.sessions, start=1)
        ]
    else:
        heading = title(result)
        plan = None
        status = [
            status_words(result.solver.proven_optimal, "routine", result.proof),
            proof_words(result),
        ]
        cards = [_card(result, heading, "", status, _map(result, options.map, ""))]
    return template.render(
        heading=heading,
        plan=plan,
        cards=cards,
        paper=PAPERS[options.paper.lower()],
        version=generator_version(),
    )


EXPORTER = Exporter(
    name="html",
    extension="html",
    media_type="text/html",
    render=render,
    description="Printable card (one self-contained HTML page a session, with the muscle "
    "map); for a plan, a page at a glance and every session's (needs routinegen[html]).",
    options=HtmlOptions,
)


@hookimpl
def routinegen_register_exporters(register: Callable[[Exporter], None]) -> None:
    """Offer the printable card to routinegen."""
    register(EXPORTER)
