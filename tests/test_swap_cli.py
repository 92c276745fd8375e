"""``routinegen swap FILE N``: the document is the input; exercise N is replaced by the best
other one for the same request and the others stay; bad documents are clear errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from judges import coach
from typer.testing import CliRunner

from routinegen.cli import app


def run(*args: str, stdin: str | None = None) -> Any:
    return CliRunner().invoke(app, list(args), input=stdin, catch_exceptions=False)


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("swap") / "today.json"
    result = run("make", "-m", "20", "-e", "dumbbell,kettlebell", "-o", str(path))
    assert result.exit_code == 0, result.output
    return path


def main_ids(doc: dict[str, Any]) -> list[str]:
    return [item["id"] for item in coach.main(doc)]


@pytest.mark.parametrize("position", [1, 2])
def test_swap_replaces_exercise_n_and_keeps_the_others(made: Path, position: int) -> None:
    before = json.loads(made.read_text(encoding="utf-8"))
    result = run("swap", str(made), str(position), "-F", "json")
    assert result.exit_code == 0, result.output
    after = json.loads(result.stdout)
    old, new = main_ids(before), main_ids(after)
    gone = old[position - 1]
    assert gone not in new
    assert set(old) - {gone} <= set(new) and len(new) == len(old)
    assert after["request"] == before["request"]
    assert after["routine"]["rounds"] == before["routine"]["rounds"]


def test_swap_reads_standard_input(made: Path) -> None:
    result = run("swap", "-", "1", "-F", "json", stdin=made.read_text(encoding="utf-8"))
    assert result.exit_code == 0, result.output
    before = json.loads(made.read_text(encoding="utf-8"))
    assert main_ids(before)[0] not in main_ids(json.loads(result.stdout))


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("{}", "not a routine document"),
        ("[1, 2", ":1: not JSON"),
        ('{"kind": "routine", "schema_version": "1.1"}', "schema version 1.1"),
        ('{"kind": "plan", "schema_version": "2.0"}', "not a routine document"),
    ],
)
def test_a_document_that_is_no_routine_is_a_clear_error(
    tmp_path: Path, text: str, words: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    result = run("swap", str(path), "1")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"routinegen: error: {path}")
    assert words in result.stderr
    assert "Traceback" not in result.output


def test_an_exercise_the_routine_does_not_have_lists_what_it_has(made: Path) -> None:
    result = run("swap", str(made), "99")
    assert result.exit_code == 1
    assert "no exercise 99; the main block has 1 " in result.stderr
    assert run("swap", str(made), "0").exit_code == 2  # a usage error
