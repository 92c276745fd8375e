"""The svg muscle map, judged by its pixels: cairosvg renders it to PNG and a worked muscle's
region must come out darker than a less-worked one, an unworked one grey."""

from __future__ import annotations

import dataclasses
import io
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import cairosvg
import pytest
from helpers.render import render_with
from helpers.results import make_coached_plan, make_coached_routine, make_plan, make_routine
from PIL import Image

from routinegen import load_catalog
from routinegen.exporter import RenderContext
from routinegen.output.render import RenderError, render
from routinegen.plugins import svg as svg_plugin
from routinegen.results import Plan, Routine

SVG = "{http://www.w3.org/2000/svg}"
GREY = (0xEC, 0xEC, 0xEC)  # what the legend calls "none"
DARKEST = (0xA5, 0x0F, 0x15)


def routine() -> Routine:
    """Lats most worked, traps half as much, glutes a little, chest not at all."""
    return dataclasses.replace(
        make_routine(),
        coverage={"lats": 600, "traps": 300, "glutes": 60},
        muscle_names={"lats": "Lats", "traps": "Traps", "glutes": "Glutes", "chest": "Chest"},
    )


def plan() -> Plan:
    """Week 1 works the lower back, week 2 does not."""
    return dataclasses.replace(
        make_plan(),
        weekly_coverage=({"lats": 450, "erector_spinae": 420}, {"lats": 450}),
    )


def points(svg: str, element_id: str) -> list[tuple[float, float]]:
    """The corners of the region drawn with ``element_id`` (an ``M x,y L x,y ... Z`` path)."""
    root = ET.fromstring(svg)
    path = next(e for e in root.iter(f"{SVG}path") if e.get("id") == element_id)
    pairs = re.findall(r"(-?[\d.]+),(-?[\d.]+)", path.get("d", ""))
    return [(float(x), float(y)) for x, y in pairs]


def inside(point: tuple[float, float], polygon: list[tuple[float, float]]) -> bool:
    x, y = point
    hit = False
    for (x1, y1), (x2, y2) in zip(polygon, polygon[1:] + polygon[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            hit = not hit
    return hit


def pixel(png: Image.Image, svg: str, element_id: str, scale: float = 1.0) -> tuple[int, ...]:
    """The rendered colour in the middle of a region (its corners' mean, checked inside)."""
    polygon = points(svg, element_id)
    middle = (
        sum(x for x, _ in polygon) / len(polygon),
        sum(y for _, y in polygon) / len(polygon),
    )
    assert inside(middle, polygon), element_id
    rgb: tuple[int, ...] = png.getpixel((round(middle[0] * scale), round(middle[1] * scale)))
    return rgb[:3]


def to_png(svg: str) -> Image.Image:
    data = cairosvg.svg2png(bytestring=svg.encode("utf-8"))
    return Image.open(io.BytesIO(data)).convert("RGB")


def luminance(rgb: tuple[int, ...]) -> float:
    r, g, b = rgb[:3]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def close(a: tuple[int, ...], b: tuple[int, ...], tolerance: int = 6) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a, b, strict=True))


def test_the_most_worked_muscle_is_darkest_and_an_unworked_one_grey() -> None:
    svg = str(render_with(svg_plugin, routine()))
    png = to_png(svg)
    assert png.width == 400
    lats = pixel(png, svg, "back-lats-0")
    traps = pixel(png, svg, "back-traps-0")
    glutes = pixel(png, svg, "back-glutes-1")
    chest = pixel(png, svg, "front-chest-0")
    assert close(lats, DARKEST), lats
    assert luminance(lats) < luminance(traps) < luminance(glutes) < luminance(chest)
    assert close(chest, GREY), chest
    # Both sides of the body are shaded alike.
    assert pixel(png, svg, "back-lats-1") == lats


def test_the_map_scales_to_the_width_asked_for() -> None:
    svg = str(render_with(svg_plugin, routine(), width=800))
    png = to_png(svg)
    assert png.width == 800
    assert close(pixel(png, svg, "back-lats-0", scale=2.0), DARKEST)


def test_title_legend_and_listing_are_text() -> None:
    svg = str(render_with(svg_plugin, routine()))
    texts = [t.text or "" for t in ET.fromstring(svg).iter(f"{SVG}text")]
    assert texts[0] == "Back routine (15 min)"
    assert "Shade: share of the most-worked muscle's time" in texts
    assert "(100% = Lats, 10:00)" in texts
    assert {"none", "≤ 20%", "≤ 100%", "Front", "Back", "Lats", "Traps", "10:00", "5:00"} <= set(
        texts
    )
    # Legend text is at least 11 px at 400 px wide: readable.
    sizes = [float(t.get("font-size", "0")) for t in ET.fromstring(svg).iter(f"{SVG}text")]
    assert min(sizes) >= 11


def test_every_muscle_of_the_built_in_catalogs_is_drawn() -> None:
    muscles = set(load_catalog("full-body").muscles) | set(load_catalog("back").muscles)
    assert muscles <= svg_plugin.drawn_muscles()
    svg = str(render_with(svg_plugin, routine()))
    ids = {e.get("id", "") for e in ET.fromstring(svg).iter(f"{SVG}path")}
    for muscle in muscles:
        assert any(i.split("-")[1] == muscle for i in ids if i.count("-") == 2), muscle


def test_a_muscle_not_on_the_drawing_is_listed_and_marked() -> None:
    result = dataclasses.replace(routine(), coverage={"lats": 100, "neck": 50})
    svg = str(render_with(svg_plugin, result))
    texts = [t.text or "" for t in ET.fromstring(svg).iter(f"{SVG}text")]
    assert "neck *" in texts and "* not on the drawing" in texts


def test_a_plan_has_one_map_per_week_on_one_scale() -> None:
    svg = str(render_with(svg_plugin, plan()))
    png = to_png(svg)
    week1 = pixel(png, svg, "w1-back-erector_spinae-0")
    week2 = pixel(png, svg, "w2-back-erector_spinae-0")
    assert close(week2, GREY) and luminance(week1) < luminance(week2) - 40
    # lats 450 of the plan's most (450) in both weeks: the same darkest shade.
    assert pixel(png, svg, "w1-back-lats-0") == pixel(png, svg, "w2-back-lats-0")
    texts = [t.text or "" for t in ET.fromstring(svg).iter(f"{SVG}text")]
    assert "Week 1 — total work 20:00" in texts and "Week 2 — total work 11:40" in texts
    assert sum(t.startswith("Fri 23 Oct 2026, 07:00 — upper") for t in texts) == 1
    assert sum("Mon 26 Oct 2026, 07:00 — lower" in t for t in texts) == 1


def test_the_same_result_gives_the_same_bytes() -> None:
    assert render_with(svg_plugin, routine()) == render_with(svg_plugin, routine())


def test_without_drawsvg_rendering_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "drawsvg", None)  # import drawsvg now raises
    exporter = svg_plugin.EXPORTER
    with pytest.raises(RenderError, match=r"pip install 'routinegen\[svg\]'"):
        render(exporter, routine(), exporter.default_options(), RenderContext.now(), where="t")


def test_a_width_too_small_to_read_is_refused_before_solving() -> None:
    from routinegen.exporter import OptionError

    with pytest.raises(OptionError, match="width must be between 300"):
        svg_plugin.EXPORTER.parse_options({"width": "100"})


@pytest.mark.slow
def test_make_writes_a_map_for_the_svg_extension(tmp_path: Path) -> None:
    out = tmp_path / "back.svg"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "routinegen",
            "make",
            "-m",
            "15",
            "-e",
            "kettlebell",
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1767225600"},
        check=False,
    )
    assert run.returncode == 0, run.stderr
    svg = out.read_text(encoding="utf-8")
    png = to_png(svg)
    # A back routine: the lats are worked, the chest (front) is not.
    assert luminance(pixel(png, svg, "back-lats-0")) < luminance(GREY) - 40
    assert close(pixel(png, svg, "front-chest-0"), GREY)


def test_a_coached_map_names_its_format_and_blocks() -> None:
    """Parsed as XML: the heading says straight sets and the three blocks with their times."""
    svg = str(render_with(svg_plugin, make_coached_routine()))
    texts = [t.text or "" for t in ET.fromstring(svg).iter(f"{SVG}text")]
    assert texts[0] == "Full-body routine (45 min)"
    assert "Work per muscle: straight sets, 36:25 in all" in texts
    assert "Warm-up 2:20 · Main block 32:00 · Cool-down 2:05" in texts
    intervals = dataclasses.replace(make_routine(), format="intervals", interval=(40, 20))
    texts = [
        t.text or ""
        for t in ET.fromstring(str(render_with(svg_plugin, intervals))).iter(f"{SVG}text")
    ]
    assert "Work per muscle: intervals 40 s on / 20 s off, 3 rounds, 14:15 in all" in texts
    assert not any(text.startswith("Warm-up") for text in texts)


def test_a_coached_plan_lists_a_sessions_blocks() -> None:
    svg = str(render_with(svg_plugin, make_coached_plan()))
    texts = [t.text or "" for t in ET.fromstring(svg).iter(f"{SVG}text")]
    assert any("4 exercises (+5 warm-up, cool-down), 36:25" in text for text in texts)
