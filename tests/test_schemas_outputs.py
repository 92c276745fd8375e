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
LISTINGS = {  # schema name -> the command whose -F json output it describes
    "exporters": ["exporters", "-F", "json"],
    "plugins": ["plugins", "-F", "json"],
    "presets": ["presets", "-F", "json"],
    "splits": ["splits", "-F", "json"],
    "catalog-show": ["catalog", "show", "back", "-F", "json"],
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
        assert rows[name][1:3] == ["1.0", schema_id(name)]
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
    closed, so a reader of 1.0 accepts a 1.1 document with fields it does not know."""
    schema = printed_schema(name)
    assert schema["$id"] == schema_id(name) == f"{BASE}{name}-1.json"
    assert "Version 1.0." in schema["description"]
    assert "must ignore fields it does not know" in schema["description"]
    text = json.dumps(schema)
    assert '"additionalProperties": false' not in text
    assert '"unevaluatedProperties": false' not in text
    if schema["type"] == "object":  # a document that can name its schema does
        assert schema["properties"]["schema"] == {
            "description": schema["properties"]["schema"]["description"],
            "const": schema["$id"],
        }
        assert {"schema", "schema_version"} <= set(schema["required"])
        assert head(name) == {"schema": schema["$id"], "schema_version": "1.0"}


@pytest.mark.parametrize("name", sorted(LISTINGS))
def test_each_listing_validates_against_its_schema(name: str) -> None:
    result = run(*LISTINGS[name])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    validate(name, document)
    if isinstance(document, dict):
        assert document["schema"] == schema_id(name)
        assert document["schema_version"] == "1.0"
    else:
        assert document  # a listing with entries checks the items' schema too


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
    """Forward compatibility, checked: a 1.7 document with unknown fields at the top and in
    its entries passes the 1.0 schema."""
    args = LISTINGS.get(name)
    if args is None:
        return  # summary: checked on a real batch below
    document = json.loads(run(*args).stdout)
    entries = document if isinstance(document, list) else document.get("exercises", [])
    for entry in entries:
        entry["added_in_1_7"] = {"anything": [1, 2]}
    if isinstance(document, dict):
        document |= {"schema_version": "1.7", "added_in_1_7": True}
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
