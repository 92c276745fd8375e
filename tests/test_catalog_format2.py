"""Catalog format 2: each new field loads, each bad value names file, line and field, and
format 1 files keep loading with the documented defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from routinegen.catalog import load_catalog
from routinegen.catalog.exercise import NOT_A_LOAD, default_loaded, default_mechanic
from routinegen.catalog.records import SAFETY_TAGS, Exercise
from routinegen.errors import InputError

BASE = """\
format: 2
name: mini
muscles:
  lats: Lats
  traps: Traps
  abs: Abs
equipment:
  kettlebell: Kettlebell
  pullup_bar: Pull-up bar
tags:
  knee_pain: Hard on sore knees
exercises:
  - id: row
    name: Row
    primary: [lats]
    secondary: [traps, abs]
    weights: {traps: 0.25}
    equipment: [kettlebell]
    reps: [6, 12]
    pattern: horizontal_pull
    mechanic: compound
    loaded: true
    skill: moderate
    power: false
    tags: [grip, knee_pain]
    role: main
    cues: [Pull the elbow to the hip., "Flat back, always."]
  - id: jacks
    name: Jacks
    primary: [abs]
    timed: [20, 40]
  - id: plank
    name: Plank
    primary: [abs]
    hold: [20, 40]
"""


def write(tmp_path: Path, text: str, name: str = "mini.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def edit(old: str, new: str, base: str = BASE) -> str:
    assert old in base, old
    return base.replace(old, new, 1)


def load(tmp_path: Path, text: str) -> dict[str, Exercise]:
    return {e.id: e for e in load_catalog(write(tmp_path, text)).exercises}


def test_every_new_field_loads(tmp_path: Path) -> None:
    catalog = load_catalog(write(tmp_path, BASE))
    row, jacks, plank = catalog.exercises
    assert row.dose == "reps" and row.reps == (6, 12) and not row.by_seconds
    assert row.pattern == "horizontal_pull" and row.mechanic == "compound" and row.loaded
    assert row.skill == "moderate" and not row.power and row.role == "main"
    assert row.tags == {"grip", "knee_pain"}
    assert row.weights == (("traps", 0.25),)
    assert (row.share("lats"), row.share("traps"), row.share("abs")) == (1.0, 0.25, 0.5)
    assert row.cues == ("Pull the elbow to the hip.", "Flat back, always.")
    assert jacks.dose == "timed" and jacks.hold == (20, 40) and jacks.by_seconds
    assert not jacks.is_hold
    assert plank.dose == "hold" and plank.is_hold and plank.reps is None
    assert catalog.tags["knee_pain"] == "Hard on sore knees"
    assert set(SAFETY_TAGS) <= set(catalog.tags)


def test_format2_defaults_when_left_out(tmp_path: Path) -> None:
    jacks = load(tmp_path, BASE)["jacks"]
    assert jacks.pattern is None and jacks.mechanic == "isolation" and not jacks.loaded
    assert jacks.skill == "low" and not jacks.power and jacks.tags == frozenset()
    assert jacks.weights == () and jacks.role == "main" and jacks.cues == ()


def test_a_file_without_format_is_the_newest(tmp_path: Path) -> None:
    jacks = load(tmp_path, BASE.replace("format: 2\n", ""))["jacks"]
    assert jacks.dose == "timed"


@pytest.mark.parametrize("role", ["warmup", "cooldown"])
def test_roles(tmp_path: Path, role: str) -> None:
    assert load(tmp_path, edit("role: main", f"role: {role}"))["row"].role == role


def test_single_number_dose_means_exactly_that(tmp_path: Path) -> None:
    assert load(tmp_path, edit("timed: [20, 40]", "timed: 30"))["jacks"].hold == (30, 30)


# ---------------------------------------------------------------------------- format 1

FORMAT1 = """\
format: 1
name: old
muscles:
  lats: Lats
  traps: Traps
equipment:
  kettlebell: Kettlebell
  pullup_bar: Pull-up bar
  band: Band
exercises:
  - id: row
    name: Row
    primary: [lats]
    secondary: [traps]
    equipment: [kettlebell, band]
    reps: [6, 12]
  - id: hang
    name: Hang
    primary: [lats]
    equipment: [pullup_bar]
    hold: [20, 40]
  - id: shrug
    name: Shrug
    primary: [traps]
    reps: [10, 20]
"""


def test_format1_defaults(tmp_path: Path) -> None:
    got = load(tmp_path, FORMAT1)
    row, hang, shrug = got["row"], got["hang"], got["shrug"]
    assert row.dose == "reps" and hang.dose == "hold" and hang.is_hold
    assert row.mechanic == "compound"  # two muscles
    assert hang.mechanic == "isolation" and shrug.mechanic == "isolation"
    assert row.loaded  # a kettlebell is a load (a catalog's own 'band' id is one too)
    assert not hang.loaded  # a pull-up bar holds the body; it is no weight to pick
    assert not shrug.loaded  # bodyweight
    for exercise in got.values():
        assert exercise.role == "main" and exercise.pattern is None
        assert exercise.skill == "low" and not exercise.power and not exercise.tags
        assert exercise.weights == () and exercise.cues == ()
    assert row.share("lats") == 1.0 and row.share("traps") == 0.5 and row.share("abs") == 0.0


def test_default_rules() -> None:
    assert default_mechanic(["a"], ["b"]) == "compound"
    assert default_mechanic(["a"], []) == "isolation"
    assert not default_loaded([])
    assert not default_loaded([frozenset(NOT_A_LOAD)])
    assert default_loaded([frozenset({"bench"}), frozenset({"bench", "dumbbell"})])
    assert default_loaded([frozenset({"sandbag"})])  # an unknown item is taken for a load


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("timed", "[20, 40]"),
        ("pattern", "hinge"),
        ("mechanic", "compound"),
        ("loaded", "true"),
        ("skill", "low"),
        ("power", "false"),
        ("tags", "[grip]"),
        ("weights", "{traps: 0.5}"),
        ("role", "main"),
        ("cues", "[Stand tall.]"),
    ],
)
def test_format2_keys_in_a_format1_file(tmp_path: Path, key: str, value: str) -> None:
    text = FORMAT1.replace("    reps: [10, 20]\n", f"    reps: [10, 20]\n    {key}: {value}\n")
    if key == "timed":
        text = text.replace("    reps: [10, 20]\n", "")
    message = error_of(tmp_path, text)
    assert message.startswith(f"{tmp_path / 'mini.yaml'}:"), message
    assert f"exercises[2].{key}: '{key}' is a format 2 field" in message
    assert "format: 2" in message


def test_format2_top_level_tags_in_a_format1_file(tmp_path: Path) -> None:
    message = error_of(tmp_path, FORMAT1.replace("name: old\n", "name: old\ntags:\n  x: X\n"))
    assert message.startswith(f"{tmp_path / 'mini.yaml'}:3: tags: 'tags' is a format 2 field")


def test_format1_mixes_with_format2_through_include(tmp_path: Path) -> None:
    """A format 1 catalog may include a format 2 one (the built-in back catalog)."""
    text = """\
format: 1
name: mine
include: [back]
exercises:
  - id: towel_row
    name: Towel Row
    primary: [lats]
    reps: [8, 12]
"""
    catalog = load_catalog(write(tmp_path, text))
    assert catalog.get("towel_row").role == "main"  # type: ignore[union-attr]
    assert catalog.get("deadlift").pattern == "hinge"  # type: ignore[union-attr]


# ---------------------------------------------------------------------------- errors


def error_of(tmp_path: Path, text: str) -> str:
    path = write(tmp_path, text)
    with pytest.raises(InputError) as info:
        load_catalog(str(path))
    return str(info.value)


ROW_KEYS = {  # BASE's line of each key of the first exercise
    "weights": 17,
    "reps": 19,
    "pattern": 20,
    "mechanic": 21,
    "loaded": 22,
    "skill": 23,
    "power": 24,
    "tags": 25,
    "role": 26,
    "cues": 27,
}


@pytest.mark.parametrize(
    ("old", "new", "field", "words"),
    [
        ("pattern: horizontal_pull", "pattern: pushing", "pattern", "must be one of squat"),
        ("mechanic: compound", "mechanic: multi", "mechanic", "compound, isolation"),
        ("loaded: true", "loaded: yes", "loaded", "true or false"),
        ("skill: moderate", "skill: expert", "skill", "low, moderate, high"),
        ("power: false", "power: 1", "power", "true or false"),
        ("role: main", "role: finisher", "role", "main, warmup, cooldown"),
        ("tags: [grip, knee_pain]", "tags: grip", "tags", "must be a list of tag ids"),
        ("tags: [grip, knee_pain]", "tags: [grip, grip]", "tags", "lists a tag twice"),
        ("weights: {traps: 0.25}", "weights: [traps]", "weights", "must map a muscle"),
        ("weights: {traps: 0.25}", "weights: {}", "weights", "must map a muscle"),
        (
            'cues: [Pull the elbow to the hip., "Flat back, always."]',
            "cues: []",
            "cues",
            "1 to 6 short sentences",
        ),
        (
            'cues: [Pull the elbow to the hip., "Flat back, always."]',
            "cues: Pull.",
            "cues",
            "1 to 6 short sentences",
        ),
    ],
)
def test_bad_values_name_file_line_and_field(
    tmp_path: Path, old: str, new: str, field: str, words: str
) -> None:
    message = error_of(tmp_path, edit(old, new))
    prefix = f"{tmp_path / 'mini.yaml'}:{ROW_KEYS[field]}: exercises[0].{field}: "
    assert message.startswith(prefix), message
    assert words in message, message


@pytest.mark.parametrize(
    ("new", "field", "words"),
    [
        ("tags: [grip, bad_knees]", "exercises[0].tags[1]", "unknown tag 'bad_knees'; declare it"),
        ("weights: {traps: 0}", "exercises[0].weights.traps", "above 0 and at most 1"),
        ("weights: {traps: 1.5}", "exercises[0].weights.traps", "above 0 and at most 1"),
        ("weights: {traps: true}", "exercises[0].weights.traps", "above 0 and at most 1"),
        ("weights: {lats: 1, wings: 0.5}", "exercises[0].weights.wings", "not a primary or"),
        ('cues: [Fine., ""]', "exercises[0].cues[1]", "non-empty string"),
        ("cues: [Fine., 42]", "exercises[0].cues[1]", "non-empty string"),
        ('cues: ["' + "x" * 141 + '"]', "exercises[0].cues[0]", "at most 140"),
        ('cues: ["bell\\u0007"]', "exercises[0].cues[0]", "control character U+0007"),
    ],
)
def test_bad_items_name_the_item(tmp_path: Path, new: str, field: str, words: str) -> None:
    key = field.split(".")[1].split("[")[0]
    lines = BASE.splitlines()
    start = lines.index("exercises:")
    line = next(i for i in range(start, len(lines)) if lines[i].strip().startswith(key)) + 1
    old = lines[line - 1].strip()
    message = error_of(tmp_path, edit(old, new))
    assert message.startswith(f"{tmp_path / 'mini.yaml'}:{line}: {field}: "), message
    assert words in message, message


def test_dose_errors(tmp_path: Path) -> None:
    both = error_of(
        tmp_path, edit("    timed: [20, 40]\n", "    timed: [20, 40]\n    hold: [5, 9]\n")
    )
    assert both.startswith(f"{tmp_path / 'mini.yaml'}:28: exercises[1]: give exactly one of")
    assert "'timed' (seconds of work)" in both
    none = error_of(tmp_path, edit("    timed: [20, 40]\n", ""))
    assert "give exactly one of 'reps'" in none
    reversed_ = error_of(tmp_path, edit("timed: [20, 40]", "timed: [40, 20]"))
    assert reversed_.startswith(f"{tmp_path / 'mini.yaml'}:31: exercises[1].timed: ")
    assert "5 <= min <= max <= 600" in reversed_
    spr = error_of(tmp_path, edit("timed: [20, 40]", "timed: [20, 40]\n    seconds_per_rep: 2"))
    assert spr.startswith(f"{tmp_path / 'mini.yaml'}:32: exercises[1].seconds_per_rep: ")
    assert "dosed by 'timed' has no reps" in spr


def test_top_level_tags_errors(tmp_path: Path) -> None:
    message = error_of(tmp_path, edit("  knee_pain: Hard on sore knees", "  Knee Pain: x"))
    assert message.startswith(f"{tmp_path / 'mini.yaml'}:11: tags.Knee Pain: must be an id")
    message = error_of(tmp_path, edit("tags:\n  knee_pain: Hard on sore knees", "tags: [a]"))
    assert message.startswith(f"{tmp_path / 'mini.yaml'}:10: tags: must map an id")
