"""free-exercise-db import: mapping, skips with reasons, the YAML loads, bad input refused.

Uses tests/fixtures/free-exercise-db-sample.json, a small file in the source format written
for these tests (facts only, no instruction text); never the full file in ../shared.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from routinegen.catalog import load_catalog
from routinegen.catalog.importers import catalog_yaml, import_free_exercise_db
from routinegen.cli import app
from routinegen.errors import InputError

SAMPLE = Path(__file__).parent / "fixtures" / "free-exercise-db-sample.json"


@pytest.fixture(scope="module")
def records() -> list[dict[str, Any]]:
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def imported(records: list[dict[str, Any]]) -> tuple[dict[str, Any], Any]:
    return import_free_exercise_db(copy.deepcopy(records), name="sample")


def by_name(catalog: dict[str, Any], name: str) -> dict[str, Any]:
    return next(e for e in catalog["exercises"] if e["name"] == name)


def test_counts_and_reasons(imported: tuple[dict[str, Any], Any]) -> None:
    catalog, report = imported
    assert report.total == 28
    assert report.imported == len(catalog["exercises"]) == 23
    assert report.skipped_count == 5
    skipped = {name: reason for reason, names in report.skipped.items() for name in names}
    assert "90/90 Hamstring" not in skipped  # stretches are warm-up and cool-down moves now
    assert skipped["Calves-SMR"].startswith("foam rolling")
    assert skipped["Elliptical Trainer"] == "cardio machine"
    assert skipped["Atlas Stones"] == "strongman or specialty implement"
    assert "not identifiable" in skipped["Balance Board"]
    assert "load not named" in skipped["Weighted Pull Ups"]
    text = "\n".join(report.lines())
    assert "skipped 5:" in text and "e.g. Balance Board" in text
    assert "middle back -> rhomboids" in text


def test_body_only_reads_the_name(imported: tuple[dict[str, Any], Any]) -> None:
    catalog, report = imported
    assert by_name(catalog, "Pushups")["equipment"] == []
    assert by_name(catalog, "Pullups")["equipment"] == ["pullup_bar"]
    assert by_name(catalog, "Chin-Up")["equipment"] == ["pullup_bar"]
    assert by_name(catalog, "Bench Dips")["equipment"] == ["bench"]
    assert by_name(catalog, "Scapular Pull-Up")["equipment"] == ["pullup_bar"]  # null
    assert by_name(catalog, "Inverted Row")["equipment"] == [
        "suspension_trainer",
        ["barbell", "squat_rack"],
    ]
    # "With No Hyperextension Bench" rules the bench out; the plain one needs it.
    assert by_name(catalog, "Hyperextensions With No Hyperextension Bench")["equipment"] == []
    assert by_name(catalog, "Hyperextensions (Back Extensions)")["equipment"] == [
        "back_extension_bench"
    ]
    assert by_name(catalog, "Muscle Up")["equipment"] == ["pullup_bar"]  # "other"
    assert "Pullups" in report.inferred["pull-up bar"]


def test_weights_machines_and_extras(imported: tuple[dict[str, Any], Any]) -> None:
    catalog, _ = imported
    assert by_name(catalog, "One-Arm Kettlebell Row")["equipment"] == ["kettlebell"]
    assert by_name(catalog, "Dumbbell Bench Press")["equipment"] == [["bench", "dumbbell"]]
    assert by_name(catalog, "Barbell Squat")["equipment"] == [["barbell", "squat_rack"]]
    assert by_name(catalog, "Smith Machine Squat")["equipment"] == ["smith_machine"]
    assert by_name(catalog, "Thigh Abductor")["equipment"] == ["machine"]
    assert by_name(catalog, "Rope Jumping")["equipment"] == ["jump_rope"]
    declared = set(catalog["equipment"])
    used = {
        item
        for e in catalog["exercises"]
        for way in e["equipment"]
        for item in ([way] if isinstance(way, str) else way)
    }
    assert used == declared


def test_muscles_levels_doses_sides(imported: tuple[dict[str, Any], Any]) -> None:
    catalog, _ = imported
    row = by_name(catalog, "Bent Over Two-Dumbbell Row")  # middle back; lats secondary
    assert row["primary"] == ["rhomboids", "lats"]  # a row works both: lats promoted
    assert "traps" in row["secondary"] and "lats" not in row["secondary"]
    abductor = by_name(catalog, "Thigh Abductor")  # abductors -> glutes, glutes secondary
    assert abductor["primary"] == ["glutes"] and "glutes" not in abductor["secondary"]
    assert by_name(catalog, "Isometric Neck Exercise - Sides")["primary"] == ["neck"]
    assert by_name(catalog, "Hyperextensions (Back Extensions)")["primary"][0] == "erector_spinae"
    plank = by_name(catalog, "Plank")
    assert "hold" in plank and "reps" not in plank and "seconds_per_rep" not in plank
    clean = by_name(catalog, "Clean")  # olympic weightlifting: slow reps, long set-up
    assert clean["seconds_per_rep"] == 4 and clean["setup_seconds"] >= 20
    assert by_name(catalog, "Medicine Ball Chest Pass")["seconds_per_rep"] == 1.5
    assert by_name(catalog, "One-Arm Kettlebell Row")["unilateral"] is True
    assert by_name(catalog, "Alternating Kettlebell Press")["unilateral"] is True
    assert "unilateral" not in by_name(catalog, "Pushups")
    levels = {e["level"] for e in catalog["exercises"]}
    assert levels <= {"beginner", "intermediate", "advanced"}


def test_yaml_loads_and_copies_no_instructions(
    records: list[dict[str, Any]], tmp_path: Path
) -> None:
    sample = copy.deepcopy(records)
    sample[0]["instructions"] = ["A secret sentence that must not be copied."]
    catalog, _ = import_free_exercise_db(sample, name="sample")
    path = tmp_path / "sample.yaml"
    path.write_text(catalog_yaml(catalog, ["header"]), encoding="utf-8")
    loaded = load_catalog(path)
    assert len(loaded.exercises) == 23
    assert loaded.name == "sample"
    assert loaded.groups["back"] == ("lats", "rhomboids", "traps", "erector_spinae")
    assert "secret sentence" not in path.read_text(encoding="utf-8")
    three_quarter = {"id": "3_4_Sit-Up", "name": "3/4 Sit-Up"}
    extra = {**sample[0], **three_quarter}
    catalog, _ = import_free_exercise_db([extra, extra], name="dupes")
    assert [e["id"] for e in catalog["exercises"]] == ["3_4_sit_up", "3_4_sit_up_2"]
    path.write_text(catalog_yaml(catalog), encoding="utf-8")
    assert [e.name for e in load_catalog(path).exercises] == ["3/4 Sit-Up", "3/4 Sit-Up"]


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda rs: {"exercises": rs}, "expected a JSON list"),
        (lambda rs: [*rs[:3], "oops"], "record 3: expected an exercise object"),
        (lambda rs: [{k: v for k, v in rs[0].items() if k != "level"}], "missing required"),
        (lambda rs: [{**rs[0], "level": "pro"}], "'level' must be one of"),
        (lambda rs: [{**rs[0], "primaryMuscles": ["wings"]}], "'primaryMuscles'"),
        (lambda rs: [{**rs[0], "primaryMuscles": []}], "'primaryMuscles' is empty"),
        (lambda rs: [{**rs[0], "id": "has space"}], "'id' must be"),
        (lambda rs: [r for r in rs if r["equipment"] == "foam roll"], "no importable"),
    ],
)
def test_bad_input(records: list[dict[str, Any]], mutate: Any, message: str) -> None:
    with pytest.raises(InputError, match=message):
        import_free_exercise_db(mutate(copy.deepcopy(records)))


# ---------------------------------------------------------------------------- format 2 fields


def test_writes_format_2_with_the_coaching_fields(imported: tuple[dict[str, Any], Any]) -> None:
    catalog, _ = imported
    assert catalog["format"] == 2
    for exercise in catalog["exercises"]:
        for key in ("mechanic", "loaded", "skill", "power", "tags", "role"):
            assert key in exercise, (exercise["name"], key)
        assert exercise.get("pattern") is not None, exercise["name"]


@pytest.mark.parametrize(
    ("name", "pattern", "mechanic", "loaded"),
    [
        ("Pushups", "horizontal_push", "compound", False),
        ("Pullups", "vertical_pull", "compound", False),
        ("Inverted Row", "horizontal_pull", "compound", False),  # the bar holds the body
        ("One-Arm Kettlebell Row", "horizontal_pull", "compound", True),
        ("Barbell Squat", "squat", "compound", True),
        ("Clean", "hinge", "compound", True),
        ("Alternating Kettlebell Press", "vertical_push", "compound", True),
        ("Dumbbell Shrug", "isolation", "isolation", True),
        ("Plank", "core_anti_extension", "isolation", False),
        ("Rope Jumping", "conditioning", "compound", False),
        ("Thigh Abductor", "isolation", "isolation", True),  # a machine is a load
    ],
)
def test_pattern_mechanic_and_load(
    imported: tuple[dict[str, Any], Any], name: str, pattern: str, mechanic: str, loaded: bool
) -> None:
    exercise = by_name(imported[0], name)
    assert (exercise["pattern"], exercise["mechanic"], exercise["loaded"]) == (
        pattern,
        mechanic,
        loaded,
    )


def test_dose_power_skill_and_tags(imported: tuple[dict[str, Any], Any]) -> None:
    catalog, _ = imported
    assert "hold" in by_name(catalog, "Plank")  # force static: isometric
    rope = by_name(catalog, "Rope Jumping")  # dynamic work for a time, not a hold
    assert "timed" in rope and "hold" not in rope and "impact" in rope["tags"]
    assert (
        by_name(catalog, "Clean")["power"] and by_name(catalog, "Medicine Ball Chest Pass")["power"]
    )
    assert not by_name(catalog, "Rope Jumping")["power"]
    assert by_name(catalog, "Muscle Up")["skill"] == "high"
    assert by_name(catalog, "Clean")["skill"] == "moderate"  # olympic lifting
    assert by_name(catalog, "Pushups")["skill"] == "low"
    assert by_name(catalog, "Barbell Squat")["tags"][:2] == ["spinal_loading", "deep_knee_flexion"]
    assert "spinal_loading" in by_name(catalog, "Clean")["tags"]
    assert "wrist_loading" in by_name(catalog, "Pushups")["tags"]
    assert "grip" in by_name(catalog, "Pullups")["tags"]


def test_prime_movers_are_promoted(records: list[dict[str, Any]]) -> None:
    """Rows get lats and rhomboids, deadlifts erectors, glutes and hamstrings as primary,
    when the source lists them among the secondaries; other moves keep the source's."""
    base = next(r for r in records if r["name"] == "Pushups")
    deadlift = {
        **base,
        "id": "Kettlebell_Deadlift",
        "name": "Kettlebell One-Legged Deadlift",
        "equipment": "kettlebells",
        "force": "pull",
        "primaryMuscles": ["hamstrings"],
        "secondaryMuscles": ["glutes", "lower back", "forearms"],
    }
    curl = {**base, "id": "Curl", "name": "Dumbbell Curl", "equipment": "dumbbell",
            "mechanic": "isolation", "force": "pull", "primaryMuscles": ["biceps"],
            "secondaryMuscles": ["forearms"]}  # fmt: skip
    catalog, _ = import_free_exercise_db([deadlift, curl])
    hinge, arm = catalog["exercises"]
    assert hinge["pattern"] == "hinge"
    assert hinge["primary"] == ["hamstrings", "glutes", "erector_spinae"]
    assert hinge["secondary"] == ["forearms"]
    assert "spinal_loading" in hinge["tags"]
    assert arm["primary"] == ["biceps"] and arm["pattern"] == "isolation"


def test_stretches_become_cooldown_and_warmup_moves(records: list[dict[str, Any]]) -> None:
    moving = next(r for r in records if r["name"] == "90/90 Hamstring")
    static = {
        **moving,
        "id": "Child_s_Pose",
        "name": "Child's Pose",
        "force": "static",
        "equipment": None,
        "primaryMuscles": ["lower back"],
        "secondaryMuscles": ["glutes", "middle back"],
    }
    smr = {**static, "id": "Neck-SMR", "name": "Neck-SMR", "equipment": "other"}
    catalog, report = import_free_exercise_db([moving, static, smr])
    drill, stretch = catalog["exercises"]
    assert drill["role"] == "warmup" and drill["pattern"] == "hinge" and "reps" in drill
    assert stretch["role"] == "cooldown" and stretch["pattern"] == "mobility"
    assert stretch["hold"] == [20, 60] and stretch["equipment"] == []
    assert stretch["primary"] == ["erector_spinae"]  # stretched; not promoted
    assert not drill["power"] and not stretch["loaded"]
    assert "Neck-SMR" in report.skipped["foam rolling (self-massage, not timed training work)"]


# ---------------------------------------------------------------------------- the command


def test_cli_import_then_make(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "my-catalog.yaml"
    result = runner.invoke(
        app, ["catalog", "import", "free-exercise-db", str(SAMPLE), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "imported 23 of 28" in result.output and "skipped 5:" in result.output
    assert load_catalog(out).name == "my-catalog"
    made = runner.invoke(
        app, ["make", "--catalog", str(out), "-m", "15", "-e", "dumbbell,pullup_bar", "--seed", "3"]
    )
    assert made.exit_code == 0, made.output
    assert "Proven" in made.output  # optimal, or near-optimal within the variety tolerance


def test_cli_bad_input_writes_nothing(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "out.yaml"
    out.write_text("keep me\n", encoding="utf-8")
    bad = tmp_path / "bad.json"
    for content in ("{not json", json.dumps([{"id": "x"}])):
        bad.write_text(content, encoding="utf-8")
        result = runner.invoke(
            app, ["catalog", "import", "free-exercise-db", str(bad), "-o", str(out)]
        )
        assert result.exit_code == 1
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("routinegen: error:")
        assert str(bad) in lines[0]
        assert out.read_text(encoding="utf-8") == "keep me\n"
    missing = runner.invoke(
        app, ["catalog", "import", "free-exercise-db", str(tmp_path / "no.json"), "-o", str(out)]
    )
    assert missing.exit_code == 1 and "no such file" in missing.output
    unknown = runner.invoke(app, ["catalog", "import", "wger", str(SAMPLE), "-o", str(out)])
    assert unknown.exit_code == 2
    bad_name = runner.invoke(
        app,
        ["catalog", "import", "free-exercise-db", str(SAMPLE), "-o", str(out), "--name", "A B"],
    )
    assert bad_name.exit_code == 2
    assert out.read_text(encoding="utf-8") == "keep me\n"


FULL_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "free-exercise-db.json"


@pytest.mark.skipif(not FULL_DATA.exists(), reason="the full free-exercise-db file is not here")
def test_the_real_catalog_serves_the_headline_request(tmp_path: Path) -> None:
    """On the imported real catalog, `make -m 15 -e kettlebell` (focus back) is feasible:
    rows now work the lats as primary, a one-legged deadlift the erectors."""
    runner = CliRunner()
    out = tmp_path / "fedb.yaml"
    result = runner.invoke(
        app, ["catalog", "import", "free-exercise-db", str(FULL_DATA), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    catalog = load_catalog(out)
    kettlebell = [e for e in catalog.exercises if e.way_with(["kettlebell"]) is not None]
    for muscle in ("lats", "rhomboids", "traps", "erector_spinae"):
        assert any(muscle in e.primary and e.role == "main" for e in kettlebell), muscle
    assert sum(e.role == "cooldown" for e in catalog.exercises) >= 50
    made = runner.invoke(app, ["make", "-m", "15", "-e", "kettlebell", "--catalog", str(out)])
    assert made.exit_code == 0, made.output
    assert "Proven" in made.output
