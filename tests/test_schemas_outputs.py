"""Every machine-readable output has a versioned JSON Schema (#16): ``routinegen schema
NAME`` prints it, the real output of each command validates against it, the object
documents name their schema and version, and the schemas stay forward compatible (open
objects, so a 1.x reader accepts a later 1.y document)."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from jsonschema.validators import validator_for
from typer.testing import CliRunner

from routinegen.cli import app
from routinegen.output.document import load_schema
from routinegen.output.schemas import BASE, CATALOG_SCHEMA_HOMES, contracts, head, schema_id

OWN = ["summary", "exporters", "plugins", "presets", "splits", "catalog-show"]
# The version each contract is at; raising one updates this too (docs/schemas.md). The
# exporters, presets and splits listings are at 2.0: from bare arrays to objects naming
# their schema.
VERSIONS = {
    "summary": "1.0",
    "exporters": "2.0",
    "plugins": "1.0",
    "presets": "2.0",
    "splits": "2.0",
    "catalog-show": "1.0",
}
LISTINGS = {  # schema name -> the command whose -F json output it describes
    "exporters": ["exporters", "-F", "json"],
    "plugins": ["plugins", "-F", "json"],
    "presets": ["presets", "-F", "json"],
    "splits": ["splits", "-F", "json"],
    "catalog-show": ["catalog", "show", "back", "-F", "json"],
}
ENTRIES = {  # schema name -> the listing's array of entries
    "exporters": "exporters",
    "plugins": "plugins",
    "presets": "presets",
    "splits": "splits",
    "catalog-show": "exercises",
}
TINY = Path(__file__).parent / "fixtures" / "tiny.yaml"


def run(*args: str, input: str | None = None) -> Any:
    return CliRunner().invoke(app, list(args), input=input)


def printed_schema(name: str) -> dict[str, Any]:
    result = run("schema", name)
    assert result.exit_code == 0, result.output
    schema: dict[str, Any] = json.loads(result.stdout)
    return schema


def validate(name: str, document: Any) -> None:
    Draft202012Validator(printed_schema(name)).validate(document)


def major(name: str) -> str:
    return VERSIONS[name].split(".")[0]


# ---------------------------------------------------------------------------- the command


@pytest.mark.parametrize("name", ["result", *OWN])
def test_schema_name_prints_a_valid_draft_2020_12_schema(name: str) -> None:
    schema = printed_schema(name)
    validator = validator_for(schema)
    validator.check_schema(schema)
    assert validator is Draft202012Validator
    assert schema["$id"].startswith(BASE)


def test_schema_without_a_name_is_still_the_result_schema() -> None:
    result = run("schema")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == load_schema() == printed_schema("result")


def test_schema_list_names_every_schema_with_its_version_and_id() -> None:
    result = run("schema", "--list")
    assert result.exit_code == 0, result.output
    rows = {line.split()[0]: line.split() for line in result.stdout.splitlines()}
    assert set(OWN) | {"result"} <= set(rows)
    for name in OWN:
        assert rows[name][1:3] == [VERSIONS[name], schema_id(name)]
    assert rows["result"][2] == load_schema()["$id"]


@pytest.mark.parametrize("args", [["schema", "nope"], ["schema", ""], ["schema", "x", "--list"]])
def test_a_bad_schema_request_is_a_usage_error(args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    if args[1] == "nope":
        assert "unknown schema 'nope'" in result.output
        for name in ["result", *OWN]:
            assert name in result.output


def test_the_catalog_file_schema_is_listed_only_when_it_ships() -> None:
    ships = [
        package
        for package in CATALOG_SCHEMA_HOMES
        if resources.files(package).joinpath("catalog.schema.json").is_file()
    ]
    assert ("catalog" in contracts()) == bool(ships)
    if ships:
        schema = printed_schema("catalog")
        validator_for(schema).check_schema(schema)
        listed = next(
            r for r in run("schema", "--list").stdout.splitlines() if r.startswith("catalog ")
        )
        assert listed.split()[1:3] == [schema["$id"].rsplit("-", 1)[1].split(".")[0], schema["$id"]]


def test_schema_names_complete() -> None:
    from routinegen.cli import complete

    assert [name for name, _ in complete.schema_name("s")] == ["summary", "splits"]
    assert next(name for name, _ in complete.schema_name("")) == "result"


# ---------------------------------------------------------------------------- the contracts


@pytest.mark.parametrize("name", OWN)
def test_each_own_schema_is_versioned_and_open(name: str) -> None:
    """The $id carries the major version; the description states the policy; no object is
    closed, so a reader of x.0 accepts an x.1 document with fields it does not know; every
    document is an object that names its schema."""
    schema = printed_schema(name)
    version, x = VERSIONS[name], major(name)
    assert schema["$id"] == schema_id(name) == f"{BASE}{name}-{x}.json"
    assert f"Version {version}" in schema["description"]
    assert f"within major version {x}," in schema["description"]
    assert (
        f"a reader written for {x}.x must ignore fields it does not know" in (schema["description"])
    )
    text = json.dumps(schema)
    assert '"additionalProperties": false' not in text
    assert '"unevaluatedProperties": false' not in text
    assert schema["type"] == "object"
    assert schema["properties"]["schema"] == {
        "description": schema["properties"]["schema"]["description"],
        "const": schema["$id"],
    }
    assert schema["properties"]["schema_version"]["pattern"] == f"^{x}\\.[0-9]+$"
    assert {"schema", "schema_version"} <= set(schema["required"])
    assert head(name) == {"schema": schema["$id"], "schema_version": version}


@pytest.mark.parametrize("name", sorted(LISTINGS))
def test_each_listing_names_its_schema_and_validates_against_it(name: str) -> None:
    """Each -F json listing is an object that starts by naming the schema ``routinegen
    schema NAME`` prints (its $id and version), and follows it, entries and all."""
    result = run(*LISTINGS[name])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert isinstance(document, dict), f"{name}: a bare {type(document).__name__}"
    schema = printed_schema(name)
    assert list(document)[:2] == ["schema", "schema_version"]
    assert document["schema"] == schema["$id"] == schema_id(name)
    assert document["schema_version"] == VERSIONS[name]
    assert f"Version {document['schema_version']}" in schema["description"]
    assert document[ENTRIES[name]]  # a listing with entries checks the items' schema too
    Draft202012Validator(schema).validate(document)


@pytest.mark.parametrize("name", ["exporters", "presets", "splits"])
def test_a_listing_of_the_bare_array_1_x_shape_fails_the_2_x_schema(name: str) -> None:
    """The major version was raised with the shape: a 2.x reader that validates tells a 1.x
    listing (the bare array) from its own, and the $id says so before any validating."""
    document = json.loads(run(*LISTINGS[name]).stdout)
    assert not Draft202012Validator(printed_schema(name)).is_valid(document[ENTRIES[name]])
    assert document["schema"].endswith(f"/{name}-2.json")


def test_catalog_show_of_a_file_from_stdin_validates() -> None:
    shown = run("catalog", "show", "-", "-F", "json", input=TINY.read_text(encoding="utf-8"))
    assert shown.exit_code == 0, shown.output
    document = json.loads(shown.stdout)
    validate("catalog-show", document)
    assert {e["dose"] for e in document["exercises"] if "hold" in e} == {"hold"}
    assert {e["dose"] for e in document["exercises"] if "reps" in e} == {"reps"}


def test_catalog_show_tells_timed_work_from_holds() -> None:
    document = json.loads(run("catalog", "show", "full-body", "-F", "json").stdout)
    doses = {e["dose"] for e in document["exercises"]}
    assert doses == {"reps", "hold", "timed"}
    for exercise in document["exercises"]:
        assert ("reps" in exercise) == (exercise["dose"] == "reps")


@pytest.mark.parametrize("name", OWN)
def test_a_later_minor_version_with_new_fields_still_validates(name: str) -> None:
    """Forward compatibility, checked: an x.7 document with unknown fields at the top and in
    its entries passes the x.0 schema."""
    args = LISTINGS.get(name)
    if args is None:
        return  # summary: checked on a real batch below
    document = json.loads(run(*args).stdout)
    for entry in document[ENTRIES[name]]:
        entry["added_in_x_7"] = {"anything": [1, 2]}
    document |= {"schema_version": f"{major(name)}.7", "added_in_x_7": True}
    validate(name, document)


# ---------------------------------------------------------------------------- summary.json


def test_summary_of_a_real_batch_validates(tmp_path: Path, monkeypatch: Any) -> None:
    """Every summary a real batch writes (running, then done; a rerun with skipped people;
    an infeasible person with its conflicts; an invalid row) follows the schema."""
    from routinegen.batch import run as run_module

    written: list[dict[str, Any]] = []
    write_atomic = run_module.write_atomic

    def recording(path: Any, payload: bytes) -> None:
        if Path(path).name == "summary.json":
            written.append(json.loads(payload))
        write_atomic(path, payload)

    monkeypatch.setattr(run_module, "write_atomic", recording)
    people = tmp_path / "people.csv"
    people.write_text(
        "id,kind,minutes,equipment,days,focus,catalog,seed\n"
        "ann,routine,10,none,,,,1\n"
        "ben,plan,10,none,mon;thu,,,2\n"
        "bad,routine,x,,,,,\n"
        f"tight,routine,10,none,,traps,{TINY},1\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = run("batch", str(people), "-o", str(out), "-w", "0", "-q")
    assert result.exit_code == 1, result.output  # an invalid row and an infeasible one
    again = run("batch", str(people), "-o", str(out), "-w", "0", "-q")
    assert again.exit_code == 1, again.output
    states = [summary["state"] for summary in written]
    assert states[0] == "running" and "pid" in written[0]
    assert states[-1] == "done"
    for summary in written:
        validate("summary", summary)
        assert summary["schema"] == schema_id("summary")
        assert summary["schema_version"] == "1.0"
    final = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert final == written[-1]
    status = {p["id"]: p["status"] for p in final["people"]}
    assert status == {"ann": "ok", "ben": "ok", "bad": "invalid", "tight": "infeasible"}
    assert next(p for p in final["people"] if p["id"] == "tight")["conflicts"]
    assert final["counts"]["skipped"] == 2  # the rerun kept the two up-to-date people
    final["people"][0]["added_in_1_7"] = "ignored"
    validate("summary", final | {"schema_version": "1.7", "added_in_1_7": {}})


# ---------------------------------------------------------------------------- start-up


@pytest.mark.slow
@pytest.mark.parametrize("args", [["schema", "summary"], ["schema", "--list"]], ids=" ".join)
def test_schema_commands_import_nothing_of_the_solver(args: list[str]) -> None:
    probe = (
        "import runpy, sys\n"
        f"sys.argv = ['routinegen', *{args!r}]\n"
        "try:\n"
        "    runpy.run_module('routinegen', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('HEAVY', sorted(m for m in sys.modules "
        "if m.startswith(('routinegen.solver', 'ortools'))), file=sys.stderr)\n"
    )
    run_ = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=False
    )
    assert "HEAVY []" in run_.stderr, run_.stderr[-2000:]
