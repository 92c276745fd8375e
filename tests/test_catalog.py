"""Catalog files: every mistake is named with file, line and field; built-ins load."""

from __future__ import annotations

from pathlib import Path

import pytest

from routinegen.catalog import builtin_catalogs, load_catalog, merge_catalogs
from routinegen.errors import InputError

BASE = """\
format: 1
name: mini
muscles:
  lats: Lats
  traps: Traps
equipment:
  kettlebell: Kettlebell
exercises:
  - id: row
    name: Row
    primary: [lats]
    equipment: [kettlebell]
    reps: [8, 12]
  - id: shrug
    name: Shrug
    primary: [traps]
    hold: [20, 40]
"""


def write(tmp_path: Path, text: str, name: str = "mini.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def edit(old: str, new: str) -> str:
    assert old in BASE, old
    return BASE.replace(old, new, 1)


def error_of(tmp_path: Path, text: str, name: str = "mini.yaml") -> str:
    path = write(tmp_path, text, name)
    with pytest.raises(InputError) as info:
        load_catalog(str(path))
    return str(info.value)


def test_base_is_valid(tmp_path: Path) -> None:
    catalog = load_catalog(str(write(tmp_path, BASE)))
    assert [e.id for e in catalog.exercises] == ["row", "shrug"]
    row, shrug = catalog.exercises
    assert row.reps == (8, 12) and row.hold is None and not row.is_hold
    assert shrug.hold == (20, 40) and shrug.reps is None and shrug.bodyweight
    assert row.way_with(["kettlebell"]) == frozenset({"kettlebell"})
    assert row.way_with([]) is None
    assert shrug.way_with([]) == frozenset()
    assert catalog.get("row") is row and catalog.get("nope") is None


@pytest.mark.parametrize(
    ("text", "line", "field", "words"),
    [
        pytest.param(
            edit("primary: [lats]", "primary: [lats, wings]"),
            11,
            "exercises[0].primary[1]",
            "unknown muscle 'wings'",
            id="unknown-muscle",
        ),
        pytest.param(
            edit("equipment: [kettlebell]", "equipment: [kettlebell, rowboat]"),
            12,
            "exercises[0].equipment[1][0]",  # item 0 of the second way
            "unknown equipment 'rowboat'",
            id="unknown-equipment",
        ),
        pytest.param(
            edit("    reps: [8, 12]\n", ""),
            9,
            "exercises[0]",
            "exactly one of 'reps'",
            id="missing-reps-and-hold",
        ),
        pytest.param(
            edit("    reps: [8, 12]\n", "    reps: [8, 12]\n    hold: [5, 10]\n"),
            9,
            "exercises[0]",
            "exactly one of 'reps'",
            id="both-reps-and-hold",
        ),
        pytest.param(
            edit("reps: [8, 12]", "reps: [12, 8]"),
            13,
            "exercises[0].reps",
            "min <= max",
            id="reversed-range",
        ),
        pytest.param(
            edit("reps: [8, 12]", "reps: [0, 12]"),
            13,
            "exercises[0].reps",
            "1 <= min",
            id="zero-reps",
        ),
        pytest.param(
            edit("hold: [20, 40]", "hold: [20, 40, 60]"),
            17,
            "exercises[1].hold",
            "[min, max]",
            id="three-number-range",
        ),
        pytest.param(
            edit("reps: [8, 12]", "reps: [8, twelve]"),
            13,
            "exercises[0].reps",
            "whole numbers",
            id="range-not-numbers",
        ),
        pytest.param(
            edit("  - id: shrug", "  - id: row"),
            14,
            "exercises[1].id",
            "duplicate exercise id 'row'",
            id="duplicate-id",
        ),
        pytest.param(
            edit("    reps: [8, 12]\n", "    reps: [8, 12]\n    weight: 16\n"),
            14,
            "exercises[0].weight",
            "unknown field",
            id="unknown-exercise-field",
        ),
        pytest.param(
            edit("name: mini\n", "name: mini\nauthor: me\n"),
            3,
            "author",
            "unknown field",
            id="unknown-top-field",
        ),
        pytest.param(
            edit("format: 1", "format: 3"),
            1,
            "format",
            "unsupported catalog format 3",
            id="wrong-format",
        ),
        pytest.param(
            edit("format: 1", "format: '1'"),
            1,
            "format",
            "unsupported catalog format",
            id="format-as-string",
        ),
        pytest.param(
            edit("    hold: [20, 40]\n", "    hold: [20, 40]\n    level: expert\n"),
            18,
            "exercises[1].level",
            "must be one of beginner, intermediate, advanced",
            id="bad-level",
        ),
        pytest.param(
            edit("    hold: [20, 40]\n", "    hold: [20, 40]\n    unilateral: yes\n"),
            18,
            "exercises[1].unilateral",
            "true or false",
            id="yaml11-yes-is-not-a-bool",
        ),
        pytest.param(
            edit("    hold: [20, 40]\n", "    hold: [20, 40]\n    seconds_per_rep: 2\n"),
            18,
            "exercises[1].seconds_per_rep",
            "a timed hold has no reps",
            id="hold-with-seconds-per-rep",
        ),
        pytest.param(
            edit("    reps: [8, 12]\n", "    reps: [8, 12]\n    seconds_per_rep: 0\n"),
            14,
            "exercises[0].seconds_per_rep",
            "must be a number from 0.5 to 60",
            id="seconds-per-rep-range",
        ),
        pytest.param(
            edit("primary: [traps]", "primary: [traps]\n    secondary: [traps]"),
            17,
            "exercises[1].secondary",
            "already primary",
            id="secondary-also-primary",
        ),
        pytest.param(
            edit("primary: [traps]", "primary: []"),
            16,
            "exercises[1].primary",
            "at least one primary muscle",
            id="no-primary",
        ),
        pytest.param(
            edit("  - id: shrug", "  - id: Shrug!"),
            14,
            "exercises[1].id",
            "must be an id",
            id="bad-id",
        ),
        pytest.param(
            edit("  kettlebell: Kettlebell\n", "  kettlebell: Kettlebell\n  none: Nothing\n"),
            8,
            "equipment.none",
            "implicit",
            id="none-declared-as-equipment",
        ),
        pytest.param(
            edit("equipment:\n  kettlebell", "groups:\n  lats: [lats]\nequipment:\n  kettlebell"),
            7,
            "groups.lats",
            "cannot share its name with a muscle",
            id="group-named-like-muscle",
        ),
        pytest.param(
            edit(
                "equipment:\n  kettlebell", "groups:\n  top: [lats, neck]\nequipment:\n  kettlebell"
            ),
            7,
            "groups.top[1]",
            "unknown muscle 'neck'",
            id="group-unknown-muscle",
        ),
        pytest.param(
            BASE.split("exercises:")[0] + "exercises: []\n",
            8,
            "exercises",
            "non-empty list",
            id="no-exercises",
        ),
    ],
)
def test_errors_name_file_line_and_field(
    tmp_path: Path, text: str, line: int, field: str, words: str
) -> None:
    message = error_of(tmp_path, text)
    prefix = f"{tmp_path / 'mini.yaml'}:{line}: {field}: "
    assert message.startswith(prefix), message
    assert words in message


def test_not_a_mapping(tmp_path: Path) -> None:
    message = error_of(tmp_path, "- just\n- a list\n")
    assert message.startswith(f"{tmp_path / 'mini.yaml'}:1: ")
    assert "mapping" in message


def test_yaml_error_in_catalog_names_line(tmp_path: Path) -> None:
    message = error_of(tmp_path, edit("name: Shrug", "name: Shrug\n    name: Again"))
    assert message == f"{tmp_path / 'mini.yaml'}:16: exercises[1].name: duplicate key"


def test_include_cycle(tmp_path: Path) -> None:
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text(edit("name: mini", f"name: a\ninclude: [{b}]"), encoding="utf-8")
    b.write_text(
        edit("name: mini", f"name: b\ninclude: [{a}]").replace("id: row", "id: row_b"),
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="includes itself") as info:
        load_catalog(str(a))
    assert str(a) in str(info.value)


def test_self_include(tmp_path: Path) -> None:
    path = tmp_path / "self.yaml"
    path.write_text(edit("name: mini", f"name: self\ninclude: [{path}]"), encoding="utf-8")
    with pytest.raises(InputError, match="includes itself"):
        load_catalog(str(path))


def test_include_builtin_and_duplicate_id(tmp_path: Path) -> None:
    own = """\
format: 1
name: mine
include: [back]
exercises:
  - id: towel_row
    name: Towel Row
    primary: [lats]
    reps: [8, 12]
  - id: deadlift
    name: My Deadlift
    primary: [lats]
    reps: [8, 12]
"""
    message = error_of(tmp_path, own, "mine.yaml")
    assert message.startswith(f"{tmp_path / 'mine.yaml'}:9: exercises[1].id: ")
    assert "duplicate exercise id 'deadlift'" in message
    ok = own.split("  - id: deadlift")[0]
    catalog = load_catalog(str(write(tmp_path, ok, "ok.yaml")))
    back = load_catalog("back")
    assert [e.id for e in catalog.exercises] == [e.id for e in back.exercises] + ["towel_row"]
    assert catalog.groups["back"] == back.groups["back"]
    assert catalog.name == "mine"


def test_include_must_be_a_list(tmp_path: Path) -> None:
    message = error_of(tmp_path, edit("name: mini", "name: mini\ninclude: back"))
    assert message.startswith(f"{tmp_path / 'mini.yaml'}:3: include: ")


def test_unknown_catalog_name_lists_builtins() -> None:
    with pytest.raises(InputError, match=r"unknown catalog 'chest'.*back, full-body"):
        load_catalog("chest")


def test_unknown_include_name(tmp_path: Path) -> None:
    message = error_of(tmp_path, edit("name: mini", "name: mini\ninclude: [legs]"))
    assert "unknown catalog 'legs'" in message
    assert "back, full-body" in message


def test_relative_include_is_relative_to_the_including_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "catalogs"
    folder.mkdir()
    write(folder, BASE, "base.yaml")
    top = edit("name: mini", "name: top\ninclude: [base.yaml]").replace("id: row", "id: row2")
    top = top.replace("id: shrug", "id: shrug2")
    write(folder, top, "top.yaml")
    monkeypatch.chdir(tmp_path)
    catalog = load_catalog("catalogs/top.yaml")
    assert len(catalog.exercises) == 4


def test_merge_conflict_names_both() -> None:
    back = load_catalog("back")
    changed = load_catalog("back")
    clash = type(changed)(
        "other",
        "Other",
        changed.muscles,
        changed.groups,
        changed.equipment,
        (changed.exercises[0].__class__(**{**vars(changed.exercises[0]), "name": "Other"}),),
    )
    with pytest.raises(InputError, match=r"'deadlift' is defined in both back and other"):
        merge_catalogs("both", [back, clash])
    assert len(merge_catalogs("same", [back, back]).exercises) == len(back.exercises)


# ---------------------------------------------------------------------------- built-ins


def test_builtin_catalogs_load(back: object, full_body: object) -> None:
    assert {"back", "full-body"} <= set(builtin_catalogs())
    for name in builtin_catalogs():
        catalog = load_catalog(name)
        assert catalog.exercises
        ids = [e.id for e in catalog.exercises]
        assert len(ids) == len(set(ids))
        for group, members in catalog.groups.items():
            assert set(members) <= set(catalog.muscles), group
        for exercise in catalog.exercises:
            assert (exercise.reps is None) != (exercise.hold is None)
            for way in exercise.equipment:
                assert way and way <= set(catalog.equipment), exercise.id


def test_back_group(back: object, full_body: object) -> None:
    expected = ("lats", "rhomboids", "traps", "erector_spinae")
    assert back.groups["back"] == expected  # type: ignore[attr-defined]
    assert full_body.groups["back"] == expected  # type: ignore[attr-defined]


def test_full_body_adds_at_least_60_exercises(back: object, full_body: object) -> None:
    back_ids = [e.id for e in back.exercises]  # type: ignore[attr-defined]
    full_ids = [e.id for e in full_body.exercises]  # type: ignore[attr-defined]
    assert len(full_ids) >= len(back_ids) + 60
    assert full_ids[: len(back_ids)] == back_ids  # included records come first


def test_full_body_groups_name_known_muscles(full_body: object) -> None:
    groups = full_body.groups  # type: ignore[attr-defined]
    for group in ("full-body", "upper", "lower", "legs", "push", "pull", "core", "arms"):
        assert group in groups
