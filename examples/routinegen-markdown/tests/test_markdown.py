"""The markdown plugin renders routines faithfully and works inside an installed routinegen."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import routinegen_markdown

from routinegen import (
    EffectiveRequest,
    Exporter,
    Options,
    Plan,
    PlannedSession,
    PlanRules,
    RenderContext,
    Routine,
    RoutineItem,
    SolverInfo,
)

DIST = "routinegen-markdown"


def make_routine() -> Routine:
    """Two rounds of a rep move, a per-side move and a bodyweight hold, proven optimal."""
    request = EffectiveRequest(
        minutes=10,
        equipment=("kettlebell",),
        focus=("lats", "erector_spinae"),
        focus_label="back",
        level="beginner",
        seed=0,
        catalog="back",
    )
    items = (
        RoutineItem("deadlift", "Deadlift", "kettlebell", 15, None, False, 55,
                    ("lats", "erector_spinae"), ("glutes",)),
        RoutineItem("row", "Single-Arm Row", "kettlebell", 10, None, True, 80,
                    ("lats",), ()),
        RoutineItem("superman", "Superman | Hold", "none", None, 30, False, 35,
                    ("erector_spinae",), (), dose="hold"),
    )  # fmt: skip
    return Routine(
        request=request,
        items=items,
        rounds=2,
        rest_seconds=15,
        round_rest_seconds=60,
        budget_seconds=600,
        total_seconds=570,
        coverage={"lats": 270, "erector_spinae": 180},
        muscle_names={"lats": "Lats", "erector_spinae": "Erector spinae"},
        solver=SolverInfo("OPTIMAL", 0.5, 10),
    )


def render(routine: Routine, **options: Any) -> str:
    exporter = routinegen_markdown.EXPORTER
    context = RenderContext(datetime(2026, 1, 1, tzinfo=UTC), reproducible=True)
    out = exporter.render(routine, exporter.options.build(options, exporter.name), context)
    assert isinstance(out, str)
    return out


def test_card() -> None:
    lines = render(make_routine()).splitlines()
    assert lines[0] == "# Back routine (10 min)"
    assert "**Focus:** back · **Equipment:** kettlebell · **Level:** beginner" in lines
    assert "2 rounds, rest 15 s between exercises and 60 s between rounds." in lines
    table = [line for line in lines if line.startswith("| ")]
    assert table == [
        "| # | Exercise | Dose | Equipment |",
        "| 1 | Deadlift | 15 reps | kettlebell |",
        "| 2 | Single-Arm Row | 10 reps a side | kettlebell |",
        "| 3 | Superman \\| Hold | 30 s hold | — |",
    ]
    assert "**Total time:** 9:30 of 10:00" in lines
    assert "**Work per muscle:**" in lines
    assert "- Lats: 4:30" in lines and "- Erector spinae: 3:00" in lines
    assert lines[-1] == "_Proven optimal: nothing fits these limits better._"


def test_blocks_each_get_a_table() -> None:
    """A warm-up and a cool-down around straight sets: a heading and a table a block, timed
    work in seconds and holds as holds, with rest, effort and load."""
    base = make_routine()
    jack = RoutineItem(
        "jack", "Jumping Jack", "none", None, 40, False, 40, (), (), block="warmup", dose="timed"
    )
    squat = RoutineItem(
        "squat",
        "Goblet Squat",
        "kettlebell",
        8,
        None,
        False,
        40,
        ("quads",),
        (),
        sets=3,
        rest_seconds=90,
        reps_in_reserve=(1, 3),
        loaded=True,
        load_cue="a weight you could lift about 10 times",
    )
    stretch = RoutineItem(
        "stretch",
        "Quad Stretch",
        "none",
        None,
        30,
        True,
        65,
        (),
        (),
        block="cooldown",
        dose="hold",
        switch_seconds=5,
    )
    routine = dataclasses.replace(base, items=(squat,), warmup=(jack,), cooldown=(stretch,),
                                  format="straight_sets", rounds=1)  # fmt: skip
    lines = render(routine).splitlines()
    headings = [
        line
        for line in lines
        if line.startswith("**Warm-up")
        or line.startswith("**Main")
        or line.startswith("**Cool-down")
    ]
    assert [h.split(",")[0].split(":")[0] for h in headings] == [
        "**Warm-up", "**Main block", "**Cool-down"]  # fmt: skip
    assert "| 1 | Jumping Jack | 40 s | — |" in lines
    assert ("| 1 | Goblet Squat | 3 x 8 reps · rest 90 s between sets · RIR 1-3 · "
            "a weight you could lift about 10 times | kettlebell |") in lines  # fmt: skip
    assert "| 1 | Quad Stretch | 30 s hold a side · 5 s to switch sides | — |" in lines


def test_options() -> None:
    routine = make_routine()
    deeper = render(routine, heading_level=3)
    assert deeper.startswith("### Back routine (10 min)\n")
    assert "Work per muscle" not in render(routine, coverage=False)
    with pytest.raises(ValueError, match="heading_level must be 1 to 5"):
        render(routine, heading_level=6)


def test_not_proven_optimal_says_so() -> None:
    feasible = dataclasses.replace(make_routine(), solver=SolverInfo("FEASIBLE", 10.0, 9))
    assert "not proven optimal" in render(feasible)


def make_plan() -> Plan:
    """Two sessions in one week, in Berlin: headings must show local time."""
    routine = make_routine()
    request = dataclasses.replace(routine.request, tz="Europe/Berlin")
    rules = PlanRules(("mon", "thu"), 1, None, 48, 2, (0.05, 0.10), False)
    sessions = (
        PlannedSession(
            date(2026, 11, 30), datetime(2026, 11, 30, 6, tzinfo=UTC), 1, "back", routine
        ),
        PlannedSession(date(2026, 12, 3), datetime(2026, 12, 3, 6, tzinfo=UTC), 1, "back", routine),
    )
    return Plan(request, rules, sessions, (1140,), ({"lats": 540},))


def test_plan_renders_a_card_per_session() -> None:
    lines = render(make_plan()).splitlines()
    assert lines[0] == "# Back plan: 2 sessions over 1 week"
    assert [line for line in lines if line.startswith("## ")] == [
        "## Week 1, Mon 2026-11-30 07:00 — back",
        "## Week 1, Thu 2026-12-03 07:00 — back",
    ]
    assert sum(line == "| 1 | Deadlift | 15 reps | kettlebell |" for line in lines) == 2
    assert lines[-1] == "_Proven optimal: nothing fits these limits better._"


def test_same_routine_same_bytes() -> None:
    assert render(make_routine()) == render(make_routine())


def test_hooks_register_the_exporter_and_the_catalog() -> None:
    exporters: list[Exporter] = []
    routinegen_markdown.routinegen_register_exporters(register=exporters.append)
    (exporter,) = exporters
    assert (exporter.name, exporter.extension, exporter.media_type) == (
        "markdown",
        "md",
        "text/markdown",
    )
    assert issubclass(exporter.options, Options)
    assert [o.name for o in exporter.options.fields()] == ["heading_level", "coverage"]
    catalogs: list[tuple[str, Any]] = []
    register: Callable[[str, Any], None] = lambda name, source: catalogs.append((name, source))  # noqa: E731
    routinegen_markdown.routinegen_register_catalogs(register=register)
    assert [name for name, _ in catalogs] == ["desk-breaks"]
    assert "name: desk-breaks" in catalogs[0][1].read_text(encoding="utf-8")


# --- through routinegen itself, as a user runs it --------------------------------------------


def routinegen(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed routinegen with this plugin loaded (tests load none by default)."""
    env = {**os.environ, "ROUTINEGEN_LOAD_PLUGINS": DIST, "SOURCE_DATE_EPOCH": "0"}
    return subprocess.run(
        [sys.executable, "-m", "routinegen", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=120,
    )


def test_routinegen_lists_the_plugin() -> None:
    run = routinegen("plugins", "--format", "json")
    assert run.returncode == 0, run.stderr
    listing = json.loads(run.stdout)
    (plugin,) = [p for p in listing["plugins"] if p["distribution"] == DIST]
    assert plugin["name"] == "markdown"
    assert plugin["hooks"] == ["routinegen_register_catalogs", "routinegen_register_exporters"]
    assert {"name": "markdown", "extension": "md", "media_type": "text/markdown",
            "plugin": f"{DIST}:markdown"} in listing["exporters"]  # fmt: skip
    assert not [w for w in listing["warnings"] if DIST in w]


def test_routinegen_make_format_markdown() -> None:
    run = routinegen("make", "--minutes", "10", "--format", "markdown")
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("# Back routine (10 min)\n")
    assert "| # | Exercise | Dose | Equipment |" in run.stdout


def test_routinegen_picks_markdown_by_extension_and_takes_options(tmp_path: Path) -> None:
    run = routinegen("make", "-m", "10", "-o", "week.md", "--set", "heading_level=2", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "week.md").read_text(encoding="utf-8").startswith("## Back routine")
    bad = routinegen("make", "-m", "10", "-F", "markdown", "--set", "heading_level=two")
    assert bad.returncode == 2
    assert "markdown exporter" in bad.stderr and "heading_level" in bad.stderr


def test_routinegen_week_format_markdown() -> None:
    run = routinegen("week", "--days", "mon,thu", "--start", "2026-11-30", "-F", "markdown")
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("# Back plan: 2 sessions over 1 week\n")
    assert "## Week 1, Thu 2026-12-03 07:00" in run.stdout


def test_routinegen_finds_the_catalog() -> None:
    listed = routinegen("catalog", "list")
    assert listed.returncode == 0, listed.stderr
    assert any(
        line.startswith("desk-breaks") and DIST in line for line in listed.stdout.splitlines()
    )
    run = routinegen("make", "-m", "10", "-c", "desk-breaks", "-f", "posture", "-F", "markdown")
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("# Posture routine (10 min)\n")
