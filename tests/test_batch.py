"""Batch generation: every person gets an output or a reason, reruns skip what is done, a
kill -9 leaves no partial file, and the process pool and a Dask cluster give the same bytes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future
from concurrent.futures.process import BrokenProcessPool
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from icalendar import Calendar
from typer.testing import CliRunner

from routinegen import batch as core
from routinegen.cli import app
from routinegen.errors import InputError
from routinegen.exporter import RenderContext
from routinegen.registry import load_registry
from routinegen.request.people import check_id, read_people

FIXTURES = Path(__file__).parent / "fixtures"
TINY = str(FIXTURES / "tiny.yaml")
EPOCH = "1767225600"
DEFAULTS = {"catalog": "back", "minutes": 10}
# Three quick solves (a few hundredths of a second each) and one quick refusal.
MIXED = [
    {"id": "alice", "equipment": ["kettlebell"]},
    {"id": "bob", "kind": "plan", "days": "tue,thu"},
    {"id": "carol", "seed": 2},
    {"id": "traps", "catalog": TINY, "focus": "traps"},  # tiny.yaml: traps need a kettlebell
]


def write_people(path: Path, people: list[dict[str, Any]], defaults: Any = DEFAULTS) -> Path:
    path.write_text(yaml.safe_dump({"defaults": defaults, "people": people}), encoding="utf-8")
    return path


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Any]:
    """``routinegen ARGS`` in-process, in an empty folder."""
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def invoke(*args: str) -> Any:
        return runner.invoke(app, list(args), catch_exceptions=False)

    return invoke


def summary(out: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    return data


def status(out: Path) -> dict[str, tuple[str, bool]]:
    return {p["id"]: (p["status"], p.get("skipped", False)) for p in summary(out)["people"]}


def outputs(out: Path) -> dict[str, bytes]:
    files = sorted(out.iterdir())
    return {p.name: p.read_bytes() for p in files if p.suffix in (".json", ".ics")} | {
        "summary.json": b""
    }


def no_temp_files(folder: Path) -> bool:
    return not [p for p in folder.rglob("*") if p.name.endswith(".tmp")]


# ---------------------------------------------------------------------------- people files


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("alice", True),
        ("A.b_c-1", True),
        ("7" * 100, True),
        ("7" * 101, False),
        ("", False),
        (".", False),
        ("..", False),
        ("../x", False),
        ("a/b", False),
        (".hidden", False),
        ("-rf", False),
        ("a b", False),
        ("summary", False),
        ("SUMMARY", False),
        (1042, False),
    ],
)
def test_ids_are_safe_file_names(value: Any, ok: bool) -> None:
    assert (check_id(value) is None) is ok


def test_yaml_rows_merge_defaults_and_report_lines() -> None:
    rows = {r.line: r for r in read_people(FIXTURES / "people.yaml").rows}
    alice, bob, erin = rows[7], rows[9], rows[18]
    assert (alice.id, alice.kind, alice.error) == ("alice", "routine", None)
    assert alice.settings["minutes"].value == 10
    assert alice.settings["minutes"].origin.endswith("people.yaml:4: minutes")  # the default
    assert "days" not in alice.settings  # a plan default means nothing to a routine
    assert (bob.kind, bob.settings["days"].value, bob.settings["minutes"].value) == (
        "plan",
        "tue,thu",
        12,
    )
    # the row's preset overrides the defaults, the row's own keys override the preset
    assert erin.settings["minutes"].value == 15 and erin.settings["seed"].value == 3
    errors = {line: (r.id, r.error) for line, r in rows.items() if r.error}
    assert errors.keys() == {14, 15, 16, 21, 22}
    assert errors[14][0] is None and "not a safe file name" in str(errors[14][1])
    assert errors[15] == ("Alice", "id 'Alice' is already used on line 7 (ids ignore case)")
    assert "people.yaml:17: weeks: a weekly-plan option" in str(errors[16][1])
    assert "must be a mapping" in str(errors[21][1])
    assert "people.yaml:23: kind: kind must be routine or plan" in str(errors[22][1])


def test_csv_rows() -> None:
    rows = {r.line: r for r in read_people(FIXTURES / "people.csv").rows}
    assert sorted(rows) == [2, 4, 5, 6, 7, 8]  # line 3 is blank
    assert rows[2].settings["equipment"].value == "kettlebell,dumbbell"  # ';' separates
    assert rows[5].settings["equipment"].value == "kettlebell,dumbbell"  # or ',' when quoted
    assert rows[4].kind == "plan" and rows[4].settings["days"].value == "tue,thu"
    assert rows[4].settings["deload"].value is True
    assert rows[4].settings["deload"].origin.endswith("people.csv:4: deload")
    assert rows[6].id is None and "not a safe file name" in str(rows[6].error)
    assert rows[7].settings["deload"].value == "maybe"  # refused against the catalog, with line
    assert (rows[8].id, rows[8].error) == ("erin", "has 3 cells, the header 8")


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("p.yaml", "people: []\nextra: 1\n", "p.yaml:2: extra: unknown key"),
        ("p.yaml", "defaults:\n  color: red\npeople: []\n", "p.yaml:2: defaults.color: unknown"),
        ("p.yaml", "defaults: {}\n", "no 'people' list"),
        ("p.yaml", "people: 3\n", "p.yaml:1: people: must be a list"),
        ("p.yaml", "defaults:\n  preset: nope\npeople: []\n", "unknown preset 'nope'"),
        ("p.csv", "name,minutes\n", "p.csv:1: unknown column 'name'"),
        ("p.csv", "minutes\n10\n", "p.csv:1: no 'id' column"),
        ("p.csv", "", "the file is empty"),
        ("p.txt", "id\n", "ends in .yaml, .yml or .csv"),
    ],
)
def test_unusable_files(tmp_path: Path, name: str, text: str, message: str) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message.replace(".", r"\.").replace("(", r"\(")):
        read_people(tmp_path / name)


# ---------------------------------------------------------------------------- the command


def test_batch_end_to_end_and_reruns(cli: Callable[..., Any], tmp_path: Path) -> None:
    people = write_people(tmp_path / "people.yaml", MIXED)
    out = tmp_path / "out"
    args = ["batch", "people.yaml", "--out", "out", "-F", "json,ical", "--workers", "0"]

    result = cli(*args)
    assert result.exit_code == 1  # traps cannot be met
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        ".routinegen-batch",
        "alice.ics",
        "alice.json",
        "bob.ics",
        "bob.json",
        "carol.ics",
        "carol.json",
        "summary.json",
    ]
    report = summary(out)
    assert report["state"] == "done"
    assert report["counts"] == {
        "total": 4,
        "ok": 3,
        "generated": 3,
        "skipped": 0,
        "failed": 1,
        "infeasible": 1,
        "error": 0,
        "invalid": 0,
        "not_run": 0,
    }
    assert report["failed"] == ["traps"]
    traps = report["people"][3]
    assert traps["status"] == "infeasible" and "Traps" in traps["conflicts"][0]
    alice = report["people"][0]
    assert alice["files"] == ["alice.ics", "alice.json"]
    assert alice["solver"]["status"] == "OPTIMAL" and alice["seconds"] > 0
    assert json.loads((out / "bob.json").read_bytes())["kind"] == "plan"
    assert len(Calendar.from_ical((out / "bob.ics").read_bytes()).walk("VEVENT")) == 2
    assert f"people.yaml:{traps['line']}: traps: infeasible: " in result.stderr
    assert "3 of 4 people ok (3 generated, 0 up to date), 1 failed" in result.stderr

    # the same again: nothing to do but the refusal
    assert cli(*args).exit_code == 1
    assert summary(out)["counts"]["skipped"] == 3

    # a changed person, a damaged file and a stray temp file from a killed run
    MIXED_CHANGED = [dict(p, seed=5) if p["id"] == "carol" else p for p in MIXED]
    write_people(people, MIXED_CHANGED)
    (out / "alice.ics").write_bytes(b"BEGIN:VCALENDAR\n")
    (out / ".bob.json.abcd_123.tmp").write_bytes(b"{")
    cli(*args)
    assert status(out) == {
        "alice": ("ok", False),
        "bob": ("ok", True),
        "carol": ("ok", False),
        "traps": ("infeasible", False),
    }
    assert Calendar.from_ical((out / "alice.ics").read_bytes())
    assert no_temp_files(out)

    # other exporter options are other outputs
    cli(*args, "--set", "json.indent=4")
    assert summary(out)["counts"]["generated"] == 3
    assert (out / "alice.json").read_text().startswith('{\n    "')

    # a person who now fails keeps no output that the summary would contradict
    write_people(people, [{"id": "alice", "catalog": TINY, "focus": "traps"}, *MIXED[1:3]])
    assert cli(*args, "--set", "json.indent=4").exit_code == 1
    assert not (out / "alice.json").exists() and not (out / "alice.ics").exists()
    assert status(out)["bob"] == ("ok", True)

    # all ok: exit 0
    write_people(people, MIXED[1:3])
    result = cli(*args, "--set", "json.indent=4")
    assert result.exit_code == 0, result.stderr
    assert summary(out)["counts"]["skipped"] == 2


def test_invalid_rows_are_reported_and_the_rest_runs(
    cli: Callable[..., Any], tmp_path: Path
) -> None:
    (tmp_path / "people.yaml").write_bytes((FIXTURES / "people.yaml").read_bytes())
    result = cli("batch", "people.yaml", "--out", "out", "--workers", "0")
    assert result.exit_code == 1
    report = summary(tmp_path / "out")
    assert report["counts"]["ok"] == 3 and report["counts"]["invalid"] == 6
    assert report["failed"] == ["carol", "line 14", "Alice", "dave", "line 21", "frank"]
    assert sorted(p.name for p in (tmp_path / "out").glob("*.json")) == [
        "alice.json",
        "bob.json",
        "erin.json",
        "summary.json",
    ]
    assert not list(tmp_path.parent.rglob("escape*"))
    lines = result.stderr.splitlines()
    assert lines[0] == (
        "routinegen: people.yaml:12: carol: invalid: people.yaml:13: minutes: "
        "must be from 1 to 240, got 500"
    )
    assert lines[1].startswith("routinegen: people.yaml:14: invalid: id '../escape' is not")


def test_a_repeated_id_is_reported_not_merged(cli: Callable[..., Any], tmp_path: Path) -> None:
    write_people(tmp_path / "people.yaml", [MIXED[0], MIXED[0]])
    assert cli("batch", "people.yaml", "--out", "out", "-w", "0").exit_code == 1
    people = summary(tmp_path / "out")["people"]
    assert [(p["id"], p["status"]) for p in people] == [("alice", "ok"), ("alice", "invalid")]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--workers", "2", "--scheduler", "tcp://127.0.0.1:1"], "not both"),
        (["-F", "xlsx"], "unknown format 'xlsx'"),
        (["--set", "nope=1"], "no chosen format takes the option 'nope'"),
        (["--set", "ical.alarm_minutes=5"], "'ical' is not one of the formats json"),
        (["--set", "json.indent=wide"], "option 'indent' takes a"),
        (["--workers", "-1"], "-1"),
    ],
)
def test_usage_errors_exit_2(
    cli: Callable[..., Any], tmp_path: Path, args: list[str], message: str
) -> None:
    write_people(tmp_path / "people.yaml", MIXED[:1])
    result = cli("batch", "people.yaml", "--out", "out", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert not (tmp_path / "out").exists()


def test_unusable_people_file_exit_1(cli: Callable[..., Any], tmp_path: Path) -> None:
    (tmp_path / "people.yaml").write_text("people: [\n", encoding="utf-8")
    result = cli("batch", "people.yaml", "--out", "out")
    assert result.exit_code == 1
    assert result.stderr.startswith("routinegen: error: people.yaml:")
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------------------- the core


def _jobs(tmp_path: Path, people: list[dict[str, Any]]) -> tuple[list[core.Job], list[Any]]:
    registry = load_registry()
    plugin = registry.describe(registry.owner("json"))
    formats = [core.Format("json", "json", {"indent": 2}, plugin)]
    people_file = read_people(write_people(tmp_path / "p.yaml", people))
    jobs, invalid = core.prepare(people_file, formats, registry, RenderContext.now())
    assert not invalid
    return jobs, formats


def test_dates_not_given_are_fixed_once(tmp_path: Path) -> None:
    (alice, bob), _ = _jobs(tmp_path, MIXED[:2])
    start = datetime.fromisoformat(alice.task["settings"]["start"][0])
    assert start.date() == datetime.now(start.tzinfo).date() + timedelta(days=1)
    monday = date.fromisoformat(bob.task["settings"]["start"][0])
    assert monday.weekday() == 0 and 0 < (monday - datetime.now(UTC).date()).days <= 7
    again, _ = _jobs(tmp_path, MIXED[:2])
    assert [j.fingerprint for j in again] == [alice.fingerprint, bob.fingerprint]
    moved, _ = _jobs(tmp_path, [dict(MIXED[0], start="2030-01-07")])
    assert moved[0].fingerprint != alice.fingerprint


def test_worker_refuses_another_version(tmp_path: Path) -> None:
    (alice,), _ = _jobs(tmp_path, MIXED[:1])
    result = core.run_task({**alice.task, "routinegen": "0.0.1"})
    assert result["status"] == "error"
    assert "the batch was started with 0.0.1" in result["message"]
    plugin = [{**alice.task["formats"][0], "plugin": "plugin 'json' from elsewhere 9"}]
    result = core.run_task({**alice.task, "formats": plugin})
    assert result["status"] == "error" and "from elsewhere 9 where the batch" in result["message"]


class _BrokenOnce(Executor):
    """A pool whose worker process died: every future fails with BrokenProcessPool."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        future.set_exception(BrokenProcessPool("a worker died"))
        return future


def test_a_dead_worker_process_is_replaced(tmp_path: Path) -> None:
    jobs, formats = _jobs(tmp_path, MIXED[:3])
    pools: list[Executor] = []

    def factory() -> Executor:
        pools.append(_BrokenOnce() if not pools else core.InlineExecutor())
        return pools[-1]

    with core.BatchRun(tmp_path / "out", jobs, [], formats) as run:
        outcomes = list(run.outcomes(factory, window=2))
    assert [o.status for o in outcomes] == ["ok"] * 3 and len(pools) == 2

    def always_broken() -> Executor:
        return _BrokenOnce()

    with core.BatchRun(tmp_path / "out", jobs, [], formats) as run:
        outcomes = list(run.outcomes(always_broken, force=True))
    assert {o.status for o in outcomes} == {"error"}
    assert outcomes[0].message == "a worker process died while solving (tried 3 times)"
    assert not list((tmp_path / "out").glob("alice.*"))


def test_one_batch_per_folder(tmp_path: Path) -> None:
    jobs, formats = _jobs(tmp_path, MIXED[:1])
    with (
        core.BatchRun(tmp_path / "out", jobs, [], formats),
        pytest.raises(InputError, match="another routinegen batch"),
    ):
        core.BatchRun(tmp_path / "out", jobs, [], formats).__enter__()


# ---------------------------------------------------------------------------- executors


@pytest.mark.slow
def test_process_pool_gives_the_same_bytes(
    cli: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    write_people(tmp_path / "people.yaml", MIXED)
    for workers in ("0", "2"):
        cli("batch", "people.yaml", "--out", f"out{workers}", "-F", "json,ical", "-w", workers)
    assert summary(tmp_path / "out2")["executor"] == "2 local processes"
    assert status(tmp_path / "out2") == status(tmp_path / "out0")
    assert outputs(tmp_path / "out2") == outputs(tmp_path / "out0")
    assert len(outputs(tmp_path / "out0")) == 7


@pytest.mark.slow
def test_dask_local_cluster_gives_the_same_bytes(
    cli: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    distributed = pytest.importorskip(
        "distributed", reason="Dask's distributed is not installed (pip install '.[dask]')"
    )
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    write_people(tmp_path / "people.yaml", MIXED)
    cli("batch", "people.yaml", "--out", "local", "-F", "json,ical", "-w", "0")
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:
        address = cluster.scheduler_address
        result = cli(
            "batch", "people.yaml", "--out", "dask", "-F", "json,ical", "--scheduler", address
        )
    assert result.exit_code == 1  # traps
    assert summary(tmp_path / "dask")["executor"] == f"dask {address}"
    assert status(tmp_path / "dask") == status(tmp_path / "local")
    assert outputs(tmp_path / "dask") == outputs(tmp_path / "local")


def test_unreachable_scheduler() -> None:
    pytest.importorskip("distributed", reason="Dask's distributed is not installed")
    with (
        pytest.raises(InputError, match=r"cannot reach the Dask scheduler at tcp://127\.0\.0\.1:9"),
        core.dask_client("tcp://127.0.0.1:9", timeout=0.5),
    ):
        pass


# ---------------------------------------------------------------------------- kill -9


def _command(*args: str) -> list[str]:
    return [sys.executable, "-m", "routinegen", "batch", *args]


@pytest.mark.slow
def test_kill_9_then_rerun_finishes_the_job(tmp_path: Path) -> None:
    people = [
        {"id": f"p{n:02d}", "seed": n, "minutes": 10 + n % 3, "equipment": ["kettlebell"]}
        if n % 4
        else {"id": f"p{n:02d}", "kind": "plan", "days": "tue,thu", "seed": n}
        for n in range(30)
    ]
    write_people(tmp_path / "people.yaml", people)
    out = tmp_path / "out"
    env = {**os.environ, "ROUTINEGEN_LOAD_PLUGINS": ""}
    args = ["people.yaml", "--out", "out", "-F", "json,ical"]
    process = subprocess.Popen(
        _command(*args, "--workers", "1"),
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    state = out / core.STATE_DIR
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list(state.glob("p*.json")):
        time.sleep(0.005)
    try:
        import psutil

        workers = psutil.Process(process.pid).children(recursive=True)
    except ImportError:  # comes with distributed; without it, orphans go unchecked
        workers = []
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    if workers:  # the pool's processes notice and exit: no orphan keeps solving
        _, alive = psutil.wait_procs(workers, timeout=10)
        assert not alive
    finished = {p.stem for p in state.glob("p*.json")}
    assert 0 < len(finished) < 30
    assert summary(out)["state"] == "running"
    for path in out.iterdir():  # whatever exists is whole
        if path.suffix == ".json":
            json.loads(path.read_bytes())
        elif path.suffix == ".ics":
            assert Calendar.from_ical(path.read_bytes()).walk("VEVENT")

    result = subprocess.run(
        _command(*args, "--workers", "2"), cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    report = summary(out)
    assert report["state"] == "done"
    assert report["counts"]["ok"] == 30
    skipped = {p["id"] for p in report["people"] if p.get("skipped")}
    assert finished <= skipped
    assert report["counts"]["generated"] == 30 - len(skipped)
    assert no_temp_files(out)
    for n in range(30):
        json.loads((out / f"p{n:02d}.json").read_bytes())
        assert Calendar.from_ical((out / f"p{n:02d}.ics").read_bytes())
