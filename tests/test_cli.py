"""The command line: exit codes, one-line errors, files written atomically, a light start."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from routinegen.cli import app
from routinegen.output.document import load_schema

FIXTURES = Path(__file__).parent / "fixtures"
EPOCH = "1767225600"
# Quick to refute: in tiny.yaml only a kettlebell exercise works the traps.
INFEASIBLE = ["make", "-c", str(FIXTURES / "tiny.yaml"), "-e", "none", "-m", "10"]


def run(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """``python -m routinegen ARGS`` in a clean environment."""
    environ = {k: v for k, v in os.environ.items() if k != "ROUTINEGEN_DEBUG"}
    environ.update(ROUTINEGEN_LOAD_PLUGINS="", **env)
    return subprocess.run(
        [sys.executable, "-m", "routinegen", *args],
        cwd=cwd,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def one_line_error(stderr: str) -> str:
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("routinegen: error: "), stderr
    return lines[0]


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Invoke the typer app in-process, in an empty folder."""
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def invoke(*args: str) -> Any:
        return runner.invoke(app, list(args), catch_exceptions=False)

    return invoke


# ---------------------------------------------------------------------------- end to end


def test_make_text_card(tmp_path: Path) -> None:
    result = run("make", "--minutes", "15", "--equipment", "kettlebell", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    card = result.stdout
    assert card.startswith("Back routine (15 min)\n=====================\n")
    assert "Equipment: kettlebell" in card
    assert "Total time: " in card and "(budget 15:00)" in card
    assert "Proven optimal" in card or "Proven near-optimal" in card
    assert list(tmp_path.iterdir()) == []


def test_unknown_equipment_exit_1(tmp_path: Path) -> None:
    result = run("make", "-e", "kettlebel", cwd=tmp_path)
    assert result.returncode == 1
    line = one_line_error(result.stderr)
    assert "'kettlebel'" in line and "did you mean 'kettlebell'" in line
    assert result.stdout == ""


def test_infeasible_exit_3_keeps_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "plan.txt"
    target.write_bytes(b"my old plan\n")
    result = run(*INFEASIBLE, "-o", "plan.txt", cwd=tmp_path)
    assert result.returncode == 3
    line = one_line_error(result.stderr)
    assert "cannot be met" in line and "Traps" in line and "bodyweight" in line
    assert target.read_bytes() == b"my old plan\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.txt"]


def test_malformed_catalog_exit_1_with_file_and_line(tmp_path: Path) -> None:
    bad = FIXTURES / "bad-muscle.yaml"
    result = run("make", "--catalog", str(bad), cwd=tmp_path)
    assert result.returncode == 1
    line = one_line_error(result.stderr)
    assert f"{bad}:8: exercises[0].primary[1]: unknown muscle 'wings'" in line


def test_unknown_format_exit_2(tmp_path: Path) -> None:
    result = run("make", "--format", "nope", cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "unknown format 'nope'" in result.stderr


@pytest.mark.slow
def test_same_request_same_bytes_across_processes(tmp_path: Path) -> None:
    args = ("make", "-m", "20", "-e", "dumbbell", "--seed", "3", "-F", "json")
    first = run(*args, cwd=tmp_path, SOURCE_DATE_EPOCH=EPOCH)
    second = run(*args, cwd=tmp_path, SOURCE_DATE_EPOCH=EPOCH)
    assert first.returncode == second.returncode == 0
    assert first.stdout == second.stdout
    assert json.loads(first.stdout)["solver"]["wall_seconds"] is None


def test_light_commands_do_not_import_ortools(tmp_path: Path) -> None:
    code = """
import sys
from routinegen.cli import app
for args in (["--help"], ["make", "--help"], ["catalog", "list"], ["catalog", "show", "back"],
             ["exporters"], ["schema"]):
    try:
        app(args, standalone_mode=False)
    except SystemExit as exc:
        assert not exc.code, (args, exc.code)
loaded = sorted(m for m in sys.modules if m.startswith("ortools"))
assert not loaded, loaded
print("light")
"""
    environ = {**os.environ, "ROUTINEGEN_LOAD_PLUGINS": ""}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip().endswith("light")


# ---------------------------------------------------------------------------- in process


def test_output_json_by_extension(cli: Any, tmp_path: Path) -> None:
    result = cli("make", "-m", "15", "-e", "kettlebell", "-o", "out.json")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    document = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    Draft202012Validator(load_schema()).validate(document)
    assert document["request"]["minutes"] == 15
    assert document["request"]["equipment"] == ["kettlebell"]
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_output_ical(cli: Any, tmp_path: Path) -> None:
    result = cli(
        "make",
        "-m",
        "15",
        "-F",
        "ical",
        "-o",
        "x.ics",
        "--start",
        "2026-11-30",
        "--tz",
        "Europe/Berlin",
    )
    assert result.exit_code == 0, result.stderr
    data = (tmp_path / "x.ics").read_bytes()
    assert data.startswith(b"BEGIN:VCALENDAR")
    events = Calendar.from_ical(data).walk("VEVENT")
    assert len(events) == 1
    start = events[0].decoded("dtstart")
    assert (start.year, start.month, start.day, start.hour) == (2026, 11, 30, 7)
    assert str(start.tzinfo) == "Europe/Berlin"
    assert [p.name for p in tmp_path.iterdir()] == ["x.ics"]


@pytest.mark.parametrize(
    ("name", "head"), [("plan.ics", b"BEGIN:VCALENDAR"), ("plan.txt", b"Back")]
)
def test_extension_picks_the_format(cli: Any, tmp_path: Path, name: str, head: bytes) -> None:
    assert cli("make", "-m", "10", "-o", name).exit_code == 0
    assert (tmp_path / name).read_bytes().startswith(head)


def test_format_flag_beats_extension(cli: Any, tmp_path: Path) -> None:
    assert cli("make", "-m", "10", "-F", "json", "-o", "plan.txt").exit_code == 0
    json.loads((tmp_path / "plan.txt").read_text(encoding="utf-8"))


def test_stdout_dash(cli: Any) -> None:
    result = cli("make", "-m", "10", "-F", "json", "-o", "-")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["kind"] == "routine"


@pytest.mark.parametrize("value", ["-5", "0", "241", "soon"])
def test_bad_minutes(cli: Any, value: str) -> None:
    result = cli("make", "--minutes", value)
    assert result.exit_code in (1, 2)
    assert "minutes" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_minutes_names_the_flag(cli: Any) -> None:
    result = cli("make", "--minutes", "-5")
    assert result.exit_code == 1
    assert result.stderr == "routinegen: error: --minutes: must be from 1 to 240, got -5\n"


def test_unknown_format_is_usage_error(cli: Any, tmp_path: Path) -> None:
    result = cli("make", "--format", "nope", "-o", "x.nope")
    assert result.exit_code == 2
    assert "unknown format 'nope'" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_unknown_option_is_usage_error(cli: Any) -> None:
    assert cli("make", "--minuets", "5").exit_code == 2


def test_unknown_preset(cli: Any) -> None:
    result = cli("make", "--preset", "back-99")
    assert result.exit_code == 1
    assert result.stderr.startswith("routinegen: error: unknown preset 'back-99'")
    assert len(result.stderr.splitlines()) == 1


def test_builtin_preset_with_override(cli: Any) -> None:
    result = cli("make", "-p", "back-15", "--seed", "7", "-F", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["request"]["minutes"] == 15
    assert document["request"]["seed"] == 7


def test_preset_error_names_line(cli: Any, tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text("minutes: 10\nlevel: expert\n", encoding="utf-8")
    result = cli("make", "-p", "p.yaml")
    assert result.exit_code == 1
    assert result.stderr.startswith("routinegen: error: p.yaml:2: level: unknown level 'expert'")


def test_unknown_catalog(cli: Any) -> None:
    result = cli("make", "--catalog", "chest")
    assert result.exit_code == 1
    assert "unknown catalog 'chest'" in result.stderr


def test_infeasible_in_process(cli: Any) -> None:
    result = cli(*INFEASIBLE)
    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr.startswith("routinegen: error: the request cannot be met: ")


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(INFEASIBLE, id="infeasible"),
        pytest.param(["make", "-e", "rowboat"], id="bad-input"),
        pytest.param(["make", "--tz", "Mars/Base"], id="bad-tz"),
        pytest.param(["make", "--rounds", "3-2"], id="bad-range"),
        pytest.param(["make", "--set", "nope=1"], id="bad-exporter-option"),
    ],
)
def test_failed_run_leaves_existing_file_alone(cli: Any, tmp_path: Path, args: list[str]) -> None:
    target = tmp_path / "out.json"
    original = b'{"precious": true}\n'
    target.write_bytes(original)
    os.chmod(target, 0o640)
    result = cli(*args, "-o", "out.json")
    assert result.exit_code in (1, 2, 3)
    assert target.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


def test_overwrite_keeps_mode_and_leaves_no_temp_files(cli: Any, tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("old\n", encoding="utf-8")
    os.chmod(target, 0o640)
    assert cli("make", "-m", "10", "-o", "out.json").exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["kind"] == "routine"
    assert target.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


def test_output_into_missing_folder(cli: Any, tmp_path: Path) -> None:
    result = cli("make", "-m", "10", "-o", "missing/out.txt")
    assert result.exit_code == 1
    assert "does not exist" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_exporter_options(cli: Any, tmp_path: Path) -> None:
    assert cli("make", "-m", "10", "-o", "a.ics", "--set", "alarm_minutes=0").exit_code == 0
    assert b"VALARM" not in (tmp_path / "a.ics").read_bytes()
    result = cli("make", "-m", "10", "-F", "ical", "--set", "alarm_minutes=soon")
    assert result.exit_code == 2
    assert "alarm_minutes" in result.stderr
    assert cli("make", "-m", "10", "--set", "novalue").exit_code == 2


def test_schema_is_a_valid_json_schema(cli: Any) -> None:
    result = cli("schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    Draft202012Validator.check_schema(schema)
    assert schema == load_schema()


def test_catalog_show_json(cli: Any) -> None:
    result = cli("catalog", "show", "back", "--format", "json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["name"] == "back"
    assert document["groups"]["back"] == ["lats", "rhomboids", "traps", "erector_spinae"]
    ids = [e["id"] for e in document["exercises"]]
    assert "deadlift" in ids and len(ids) == len(set(ids))
    for exercise in document["exercises"]:
        assert ("reps" in exercise) != ("hold" in exercise)


def test_catalog_show_text_and_errors(cli: Any) -> None:
    result = cli("catalog", "show", "back")
    assert result.exit_code == 0
    assert result.stdout.startswith("back: Back essentials (")
    assert "deadlift" in result.stdout
    assert cli("catalog", "show", "back", "--format", "yaml").exit_code == 2
    missing = cli("catalog", "show", "chest")
    assert missing.exit_code == 1 and "unknown catalog 'chest'" in missing.stderr
    bad = cli("catalog", "show", str(FIXTURES / "bad-muscle.yaml"))
    assert bad.exit_code == 1 and "bad-muscle.yaml:8:" in bad.stderr


def test_catalog_list(cli: Any) -> None:
    result = cli("catalog", "list")
    assert result.exit_code == 0
    names = [line.split()[0] for line in result.stdout.splitlines()]
    assert {"back", "full-body"} <= set(names)


def test_exporters(cli: Any) -> None:
    text = cli("exporters")
    assert text.exit_code == 0
    assert {"text", "json", "ical"} <= {line.split()[0] for line in text.stdout.splitlines()}
    assert "--set alarm_minutes=10" in text.stdout  # each exporter's options, with defaults
    listing = json.loads(cli("exporters", "--format", "json").stdout)
    assert listing["schema"] == "https://routinegen.dev/schema/exporters-2.json"
    by_name = {row["name"]: row for row in listing["exporters"]}
    assert by_name["ical"]["extension"] == "ics"
    assert by_name["json"]["media_type"] == "application/json"
    assert cli("exporters", "--format", "xml").exit_code == 2


def test_help(cli: Any) -> None:
    result = cli("--help")
    assert result.exit_code == 0
    for command in ("make", "catalog", "exporters", "schema"):
        assert command in result.stdout
    assert cli("make", "--help").exit_code == 0


@pytest.mark.parametrize("command", [["batch"], ["catalog", "import"], ["week"], ["make"]])
def test_help_is_plain_text(cli: Any, command: list[str]) -> None:
    """No rich-markup escapes leak into the plain help ("\\[required]", "\\[x>=0]")."""
    result = cli(*command, "--help")
    assert result.exit_code == 0 and "\\[" not in result.stdout
