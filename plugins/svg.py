"""The ``svg`` exporter: a muscle map, front and back, each muscle shaded by its work.

The heading says the main block's format and, when there is a warm-up or a cool-down, the
blocks and their times. The body is our own simple drawing kept as data (``body_map.json``:
polygons per muscle id of the catalogs' vocabulary, in a 200 x 420 box per view). A muscle's
shade is its work (``coverage``: seconds, secondary muscles at half) as a share of the
most-worked muscle's, in five steps the legend names. A plan gets one map per week, all on
the plan's one scale, each with that week's sessions listed. drawsvg writes the SVG; it is
imported inside ``render``, so listing exporters stays fast and a missing drawsvg is one
clear line.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from routinegen.exporter import Exporter, Options, RenderContext, Result, option
from routinegen.hookspecs import hookimpl
from routinegen.output.wording import (
    block_times,
    block_title,
    clock,
    format_words,
    plan_title,
    plural,
    session_heading,
    title,
)
from routinegen.plugins._extras import missing
from routinegen.results import Plan, Routine

# ColorBrewer "Reds", five classes: share of the most-worked muscle's time, in fifths.
SHADES = ("#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15")
UNWORKED = "#ececec"
OUTLINE = "#5a5a5a"
INK = "#1a1a1a"
FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"
CANVAS = 400  # layout units across; the image is scaled to the width asked for
SCALE = 0.9  # a 200-unit view drawn 180 units wide, two side by side
VIEW_TOP = 14  # below a block's heading
LINE = 16  # text line height
NAME_ROOM = 24  # characters of a muscle's name that fit its column


@dataclass(frozen=True)
class SvgOptions(Options):
    width: int = option(400, "width of the image in pixels (it scales; 400 is readable)")

    def validate(self) -> None:
        if not 300 <= self.width <= 4000:
            raise ValueError(f"width must be between 300 and 4000 pixels, got {self.width}")


@cache
def body() -> dict[str, Any]:
    """The body drawing (``body_map.json``), read once."""
    text = files(__package__).joinpath("body_map.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def drawn_muscles() -> set[str]:
    """The muscle ids the drawing has a region for, in either view."""
    return {m for view in body()["views"] for m in view["muscles"]}


def shade(seconds: int, most: int) -> str:
    """The fill for ``seconds`` of work when the most-worked muscle has ``most``."""
    if seconds <= 0 or most <= 0:
        return UNWORKED
    step = min(len(SHADES), math.ceil(len(SHADES) * seconds / most))
    return SHADES[step - 1]


def _text(dw: Any, text: str, size: float, x: float, y: float, **style: Any) -> Any:
    return dw.Text(text, size, x, y, font_family=FONT, fill=INK, **style)


def _figures(
    dw: Any,
    top: float,
    work: Mapping[str, int],
    most: int,
    names: Mapping[str, str],
    prefix: str = "",
) -> tuple[Any, float]:
    """The front and back views side by side from ``top``; returns the group and its height."""
    data = body()
    group = dw.Group()
    box_w, box_h = data["size"]
    head = data["head"]
    for n, view in enumerate(data["views"]):
        left = 10 + n * (CANVAS / 2)

        def at(point: Sequence[float], left: float = left) -> tuple[float, float]:
            return round(left + point[0] * SCALE, 1), round(top + point[1] * SCALE, 1)

        outline = [c for point in data["outline"] for c in at(point)]
        group.append(dw.Lines(*outline, close=True, fill="#ffffff", stroke=OUTLINE))
        cx, cy = at((head["cx"], head["cy"]))
        group.append(
            dw.Ellipse(
                cx, cy, head["rx"] * SCALE, head["ry"] * SCALE, fill="#ffffff", stroke=OUTLINE
            )
        )
        for muscle in sorted(view["muscles"]):
            seconds = work.get(muscle, 0)
            for k, polygon in enumerate(view["muscles"][muscle]):
                region = dw.Lines(
                    *[c for point in polygon for c in at(point)],
                    close=True,
                    fill=shade(seconds, most),
                    stroke=OUTLINE,
                    stroke_width=0.6,
                    id=f"{prefix}{view['id']}-{muscle}-{k}",
                    class_=f"muscle {muscle}",
                )
                region.append_title(f"{names.get(muscle, muscle)}: {clock(seconds)}")
                group.append(region)
        label_y = top + box_h * SCALE + 14
        group.append(
            _text(dw, view["label"], 13, left + box_w * SCALE / 2, label_y, text_anchor="middle")
        )
    return group, box_h * SCALE + 22


def _legend(dw: Any, top: float, most: int, who: str) -> tuple[Any, float]:
    """Five shades and unworked, each a box with its range under it; ``who`` is 100%."""
    group = dw.Group()
    group.append(_text(dw, "Shade: share of the most-worked muscle's time", 12, 10, top))
    group.append(_text(dw, f"(100% = {who})", 11, 10, top + 14))
    top += 14
    labels = ["none", "≤ 20%", "≤ 40%", "≤ 60%", "≤ 80%", "≤ 100%"]
    width = (CANVAS - 20) / len(labels)
    for n, (fill, label) in enumerate(zip((UNWORKED, *SHADES), labels, strict=True)):
        x = 10 + n * width
        group.append(
            dw.Rectangle(x, top + 6, width - 4, 14, fill=fill, stroke=OUTLINE, stroke_width=0.6)
        )
        group.append(_text(dw, label, 11, x + (width - 4) / 2, top + 33, text_anchor="middle"))
    if most <= 0:
        group.append(_text(dw, "No muscle work in this result.", 12, 10, top + 52))
        return group, 74
    return group, 56


def _muscle_list(
    dw: Any, top: float, work: Mapping[str, int], most: int, names: Mapping[str, str]
) -> tuple[Any, float]:
    """The worked muscles, most first, in two columns: name, work and the shade used."""
    group = dw.Group()
    worked = sorted((m for m, s in work.items() if s > 0), key=lambda m: (-work[m], m))
    drawn = drawn_muscles()
    rows = math.ceil(len(worked) / 2)
    for n, muscle in enumerate(worked):
        x = 10 + (n // rows) * (CANVAS / 2) if rows else 10
        y = top + (n % rows) * LINE if rows else top
        group.append(
            dw.Rectangle(x, y - 10, 10, 10, fill=shade(work[muscle], most), stroke=OUTLINE)
        )
        name = names.get(muscle, muscle).split(" (")[0][:NAME_ROOM]
        mark = "" if muscle in drawn else " *"
        group.append(_text(dw, f"{name}{mark}", 12, x + 15, y))
        group.append(_text(dw, clock(work[muscle]), 12, x + 185, y, text_anchor="end"))
    height = rows * LINE
    if any(m not in drawn for m in worked):
        group.append(_text(dw, "* not on the drawing", 11, 10, top + height))
        height += LINE
    return group, height


def _drawing(dw: Any, height: float, width: int, label: str, prefix: str) -> Any:
    drawing = dw.Drawing(CANVAS, math.ceil(height), id_prefix=f"{prefix}map")
    drawing.set_render_size(width)
    drawing.append(dw.Title(label))
    drawing.append(dw.Rectangle(0, 0, CANVAS, math.ceil(height), fill="#ffffff"))
    return drawing


def _routine(dw: Any, routine: Routine, width: int, prefix: str) -> Any:
    work = dict(routine.coverage)
    most = max(work.values(), default=0)
    names = routine.muscle_names
    parts: list[Any] = []
    heading = title(routine)
    parts.append(_text(dw, heading, 18, 10, 24, font_weight="bold"))
    sub = f"{format_words(routine)}, {clock(routine.total_seconds)} in all"
    parts.append(_text(dw, f"Work per muscle: {sub}", 12, 10, 42))
    y = 56.0
    blocks = blocks_line(routine)
    if blocks:
        parts.append(_text(dw, blocks, 12, 10, y))
        y += LINE
    figures, used = _figures(dw, y, work, most, names, prefix)
    parts.append(figures)
    y += used + 18
    legend, used = _legend(dw, y, most, _most_name(work, names))
    parts.append(legend)
    y += used + 16
    listing, used = _muscle_list(dw, y, work, most, names)
    parts.append(listing)
    drawing = _drawing(dw, y + used + 6, width, f"{heading}: muscle map", prefix)
    for part in parts:
        drawing.append(part)
    return drawing


def blocks_line(routine: Routine) -> str:
    """``Warm-up 2:20 · Main block 32:00 · Cool-down 2:05``: the session's blocks and their
    times, so the map says what it is of; empty for a routine that is only a main block."""
    if not routine.warmup and not routine.cooldown:
        return ""
    times = block_times(routine)
    return " · ".join(f"{block_title(b)} {clock(times[b])}" for b, _ in routine.blocks)


def _most_name(work: Mapping[str, int], names: Mapping[str, str]) -> str:
    if not work or max(work.values()) <= 0:
        return "none worked"
    top = min(work, key=lambda m: (-work[m], m))
    name = names.get(top, top).split(" (")[0]
    return f"{name[:NAME_ROOM]}, {clock(work[top])}"


def _plan(dw: Any, plan: Plan, width: int, prefix: str) -> Any:
    """One map per week, all shaded on the plan's scale so weeks compare at a glance."""
    names = plan.muscle_names
    everything = [dict(week) for week in plan.weekly_coverage]
    most = max((s for week in everything for s in week.values()), default=0)
    parts: list[Any] = []
    heading = plan_title(plan)
    parts.append(_text(dw, heading, 18, 10, 24, font_weight="bold"))
    parts.append(_text(dw, "Work per muscle, week by week, on one scale", 12, 10, 42))
    y = 64.0
    peak_week: dict[str, int] = {}
    for number, work in enumerate(everything, start=1):
        weekly = plan.weekly_work_seconds
        total = weekly[number - 1] if number <= len(weekly) else 0
        parts.append(
            _text(dw, f"Week {number} — total work {clock(total)}", 14, 10, y, font_weight="bold")
        )
        figures, used = _figures(dw, y + VIEW_TOP - 8, work, most, names, f"{prefix}w{number}-")
        parts.append(figures)
        y += VIEW_TOP + used
        for session in (s for s in plan.sessions if s.week == number):
            extra = len(session.routine.warmup) + len(session.routine.cooldown)
            more = f" (+{extra} warm-up, cool-down)" if extra else ""
            line = (
                f"{session_heading(session, plan.request.tz)}: "
                f"{plural(len(session.routine.items), 'exercise')}{more}, "
                f"{clock(session.routine.total_seconds)}"
            )
            parts.append(_text(dw, line, 12, 10, y))
            y += LINE
        y += 18
        peak_week.update({m: max(s, peak_week.get(m, 0)) for m, s in work.items()})
    legend, used = _legend(dw, y, most, _most_name(peak_week, names) + " in a week")
    parts.append(legend)
    drawing = _drawing(dw, y + used + 6, width, f"{heading}: muscle maps", prefix)
    for part in parts:
        drawing.append(part)
    return drawing


def muscle_map(result: Result, width: int = 400, prefix: str = "") -> str:
    """The map of ``result`` as SVG text; ``prefix`` starts every element id, so several
    maps can share one HTML page (the html exporter puts them inline)."""
    try:
        import drawsvg as dw
    except ImportError:
        raise missing("svg", "drawsvg", "svg") from None
    if isinstance(result, Plan):
        drawing = _plan(dw, result, width, prefix)
    else:
        drawing = _routine(dw, result, width, prefix)
    svg: str = drawing.as_svg()
    return svg


def render(result: Result, options: SvgOptions, context: RenderContext) -> str:
    """The map; no clock in it, so the same result gives the same bytes."""
    return muscle_map(result, options.width)


EXPORTER = Exporter(
    name="svg",
    extension="svg",
    media_type="image/svg+xml",
    render=render,
    description="Muscle map: front and back, each muscle shaded by its work, with a legend; "
    "for a plan, one map per week with its sessions (needs routinegen[svg]).",
    options=SvgOptions,
)


@hookimpl
def routinegen_register_exporters(register: Callable[[Exporter], None]) -> None:
    """Offer the muscle map to routinegen."""
    register(EXPORTER)
