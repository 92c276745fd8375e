"""The catalog file JSON Schema: valid draft 2020-12, every catalog the repository ships
passes it, it knows the loader's vocabulary, and it refuses what the loader refuses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from routinegen.catalog import builtin_catalogs, load_catalog
from routinegen.catalog.exercise import COMMON_KEYS, FORMAT2_KEYS, NOT_A_LOAD
from routinegen.catalog.records import (
    FORMATS,
    LEVELS,
    MECHANICS,
    PATTERNS,
    ROLES,
    SAFETY_TAGS,
    SKILLS,
)
from routinegen.catalog.schema import catalog_schema
from routinegen.errors import InputError
from routinegen.sources.files import parse_yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = [
    ROOT / "tests" / "fixtures" / "tiny.yaml",
    *sorted((ROOT / "examples").glob("*/src/*/*.yaml")),
]


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = catalog_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def data_of(text: str, source: str = "x.yaml") -> Any:
    return parse_yaml(text, source).data  # the loader's own YAML reading (YAML 1.2 scalars)


def problems(validator: Draft202012Validator, data: Any) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]


def test_every_builtin_catalog_passes(validator: Draft202012Validator) -> None:
    for name, entry in builtin_catalogs().items():
        text = entry.read_text(encoding="utf-8")
        assert text.startswith("# yaml-language-server: $schema=catalog.schema.json\n"), name
        assert problems(validator, data_of(text, name)) == [], name


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_catalogs_pass(validator: Draft202012Validator, path: Path) -> None:
    assert problems(validator, data_of(path.read_text(encoding="utf-8"), str(path))) == []


def test_the_hint_resolves_next_to_the_catalogs() -> None:
    """The relative $schema hint names a file that ships in the same package folder."""
    entry = next(iter(builtin_catalogs().values()))
    sibling = Path(str(entry)).with_name("catalog.schema.json")
    assert sibling.is_file()


def test_schema_knows_the_loader_vocabulary() -> None:
    schema = catalog_schema()
    exercise = schema["$defs"]["exercise"]["properties"]
    assert set(exercise) == set(COMMON_KEYS) | set(FORMAT2_KEYS)
    assert exercise["pattern"]["enum"] == list(PATTERNS)
    assert exercise["mechanic"]["enum"] == list(MECHANICS)
    assert exercise["skill"]["enum"] == list(SKILLS)
    assert exercise["role"]["enum"] == list(ROLES)
    assert exercise["level"]["enum"] == list(LEVELS)
    assert exercise["tags"]["items"]["anyOf"][0]["enum"] == list(SAFETY_TAGS)
    assert schema["properties"]["format"]["enum"] == list(FORMATS)
    then = schema["then"]["properties"]["exercises"]["items"]["properties"]
    assert set(then) == set(FORMAT2_KEYS)
    for item in NOT_A_LOAD:  # the documented default of 'loaded'
        assert item in exercise["loaded"]["description"], item
    for key, value in exercise.items():  # editors show these on hover
        assert value.get("description"), key


GOOD = """\
format: 2
name: mini
muscles:
  lats: Lats
  abs: Abs
exercises:
  - id: row
    name: Row
    primary: [lats]
    secondary: [abs]
    reps: [6, 12]
"""


@pytest.mark.parametrize(
    ("old", "new"),
    [
        pytest.param("reps: [6, 12]", "reps: [6, 12]\n    hold: [20, 30]", id="two-doses"),
        pytest.param("    reps: [6, 12]\n", "", id="no-dose"),
        pytest.param("reps: [6, 12]", "timed: [20, 30]\n    seconds_per_rep: 2", id="timed-spr"),
        pytest.param("reps: [6, 12]", "reps: [0, 12]", id="zero-reps"),
        pytest.param("reps: [6, 12]", "reps: [6, 12]\n    pattern: pushing", id="bad-pattern"),
        pytest.param("reps: [6, 12]", "reps: [6, 12]\n    role: finisher", id="bad-role"),
        pytest.param("reps: [6, 12]", "reps: [6, 12]\n    loaded: yes", id="yes-not-bool"),
        pytest.param("reps: [6, 12]", "reps: [6, 12]\n    weights: {abs: 2}", id="weight-high"),
        pytest.param("reps: [6, 12]", "reps: [6, 12]\n    weights: {abs: 0}", id="weight-zero"),
        pytest.param("reps: [6, 12]", "reps: [6, 12]\n    cues: []", id="no-cues"),
        pytest.param("reps: [6, 12]", "reps: [6, 12]\n    weight: 16", id="unknown-key"),
        pytest.param("format: 2", "format: 1\ntags:\n  x: X", id="format1-top-tags"),
        pytest.param("format: 2", "format: 3", id="format-3"),
        pytest.param("name: mini", "name: Mini Catalog", id="bad-name"),
    ],
)
def test_schema_and_loader_refuse_the_same_files(
    validator: Draft202012Validator, tmp_path: Path, old: str, new: str
) -> None:
    text = GOOD.replace(old, new, 1)
    assert text != GOOD
    assert problems(validator, data_of(text)), "the schema accepted it"
    path = tmp_path / "mini.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError):
        load_catalog(path)


@pytest.mark.parametrize("key", FORMAT2_KEYS)
def test_format2_keys_refused_in_format1_by_both(
    validator: Draft202012Validator, tmp_path: Path, key: str
) -> None:
    value = {
        "timed": "[20, 30]",
        "pattern": "hinge",
        "mechanic": "compound",
        "loaded": "true",
        "skill": "low",
        "power": "false",
        "tags": "[grip]",
        "weights": "{abs: 0.5}",
        "role": "main",
        "cues": "[Stand tall.]",
    }[key]
    dose = "" if key == "timed" else "    reps: [6, 12]\n"
    text = GOOD.replace("format: 2", "format: 1")
    text = text.replace("    reps: [6, 12]\n", f"{dose}    {key}: {value}\n")
    assert problems(validator, data_of(text))
    path = tmp_path / "mini.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="is a format 2 field"):
        load_catalog(path)
    two = text.replace("format: 1", "format: 2")
    assert problems(validator, data_of(two)) == []
    path.write_text(two, encoding="utf-8")
    load_catalog(path)  # the same file is fine in format 2
