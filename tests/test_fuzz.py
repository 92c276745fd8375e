"""Fuzzing the command line: nothing typed or fed in may crash it, lose data or write amiss.

The CLI runs in-process (typer's CliRunner) on random argument lists built from the real
option names with good, bad and random values, and on random and mutated catalogs, presets
and people files (keys deleted, types swapped, YAML 1.1 scalars, duplicate keys, aliases,
deep nesting, stray bytes). Whatever happens:

* the exit code is a documented one (0, 1, 2, 3) and no exception escapes: our catch-all
  ("internal error") would be a bug;
* no traceback is printed;
* a run that fails changes nothing on disk (an existing output stays byte-identical), and
  no run leaves a temp file behind.

The solver stays cheap: the six-exercise tests/fixtures/tiny.yaml, short budgets and a
time limit of at most a second. The default run is short for CI; ``ROUTINEGEN_FUZZ_EXAMPLES=N``
runs N examples per test (with ``HYPOTHESIS_PROFILE=long`` for fresh random ones each run).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import stat
import tempfile
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import currently_in_test_context, event, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from routinegen.cli import app

pytestmark = pytest.mark.slow  # long generated inputs through the whole command line

FIXTURES = Path(__file__).parent / "fixtures"
TINY = (FIXTURES / "tiny.yaml").read_text(encoding="utf-8")
PRESET = (FIXTURES / "tiny-preset.yaml").read_text(encoding="utf-8")
EXISTING = b"an older result, to be kept byte for byte\n"
ENV = {"ROUTINEGEN_LOAD_PLUGINS": "", "ROUTINEGEN_DEBUG": None, "SOURCE_DATE_EPOCH": "1767225600"}
EXIT_CODES = {0, 1, 2, 3}
TEMP_FILE = re.compile(r"^\..*\.tmp$")


def examples(default: int) -> int:
    """``default`` examples, or as many as ``ROUTINEGEN_FUZZ_EXAMPLES`` asks for."""
    return int(os.environ.get("ROUTINEGEN_FUZZ_EXAMPLES") or default)


PEOPLE = """\
defaults:
  catalog: tiny.yaml
  minutes: 12
  equipment: [kettlebell]
  days: mon,thu
  time_limit: 1
people:
  - id: alice
  - id: bob
    kind: plan
    level: advanced
    equipment: [kettlebell, dumbbell, bench]
  - id: carol
    minutes: 10
    level: advanced
    seed: 3
"""

# ---------------------------------------------------------------------------- running


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file's bytes (folders as None), by path relative to ``folder``."""
    return {
        str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None)
        for p in sorted(folder.rglob("*"))
    }


@contextlib.contextmanager
def workspace(files: dict[str, str | bytes]) -> Iterator[Path]:
    """A fresh folder, made the working directory, holding ``files`` and existing.txt."""
    with tempfile.TemporaryDirectory(prefix="routinegen-fuzz-") as name:
        folder = Path(name)
        (folder / "tiny.yaml").write_text(TINY, encoding="utf-8")
        (folder / "existing.txt").write_bytes(EXISTING)
        os.chmod(folder / "existing.txt", 0o640)
        for file, content in files.items():
            data = content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content
            (folder / file).write_bytes(data)
        with contextlib.chdir(folder):
            yield folder


def invoke(args: list[str]) -> Any:
    result = CliRunner().invoke(app, args, env=ENV, catch_exceptions=True)
    exc = result.exception
    if exc is not None and not isinstance(exc, SystemExit):
        trace = "".join(traceback.format_exception(exc))
        pytest.fail(f"routinegen {args!r} raised (an 'internal error' for the user):\n{trace}")
    return result


def check(args: list[str], folder: Path, *, batch_out: str | None = None) -> Any:
    """Run ``args`` in ``folder`` and assert the invariants; returns the result."""
    before = snapshot(folder)
    result = invoke(args)
    said = result.stdout + result.stderr
    if currently_in_test_context():
        event(f"exit {result.exit_code}")  # --hypothesis-show-statistics shows the spread
    assert result.exit_code in EXIT_CODES, (args, result.exit_code, said)
    assert "Traceback" not in said, (args, said)
    assert "internal error" not in result.stderr, (args, result.stderr)
    after = snapshot(folder)
    leftovers = [p for p in after if TEMP_FILE.match(Path(p).name)]
    assert not leftovers, (args, leftovers)
    existing = folder / "existing.txt"
    if existing.is_file():  # rewritten or not, it keeps its mode
        assert stat.S_IMODE(existing.stat().st_mode) == 0o640, args
    if batch_out is not None:
        _check_batch(args, result, before, after, batch_out)
    elif result.exit_code != 0:
        assert after == before, (args, result.exit_code, result.stderr)
    else:  # at most the output file is new or changed
        changed = {p for p in after if before.get(p, b"") != after[p]} | (before.keys() - after)
        assert len(changed) <= 1, (args, changed)
    return result


def _check_batch(
    args: list[str], result: Any, before: dict[str, Any], after: dict[str, Any], out: str
) -> None:
    """A batch writes whole files into its folder only, and always a readable summary."""
    outside = {p: v for p, v in after.items() if p != out and not p.startswith(out + "/")}
    assert outside == before, (args, set(outside) ^ set(before))
    if result.exit_code == 2:
        assert after == before, (args, result.stderr)
    if f"{out}/summary.json" in after:
        summary = json.loads(after[f"{out}/summary.json"] or b"")
        assert summary["counts"]["total"] >= 0
    for path, data in after.items():
        if path.startswith(out + "/") and path.endswith(".json") and data is not None:
            json.loads(data)  # every output whole, never half-written


# ---------------------------------------------------------------------------- values

GARBAGE = st.text(max_size=12) | st.sampled_from(["", " ", "-", "--", ",", "=", "\t", "é", "💪"])


def values(*good: str) -> st.SearchStrategy[str]:
    """Mostly the values a person would type, right or wrong; now and then anything."""
    return st.sampled_from(good) | st.sampled_from(good) | GARBAGE


COMMON: dict[str, st.SearchStrategy[str]] = {
    "--minutes": values("12", "10", "5", "0", "-5", "241", "nan", "inf", "1e-9", "12.5"),
    "-m": values("12", "8", "1", "240"),
    "--equipment": values("kettlebell", "none", "dumbbell,bench", "rowboat", ",", "bodyweight"),
    "-e": values("kettlebell", "dumbbell", "kettlebell,kettlebell"),
    "--focus": values("back", "lats", "traps,lats", "full-body", ",", "wings", "biceps"),
    "-f": values("back", "erector_spinae"),
    "--level": values("beginner", "intermediate", "advanced", "expert"),
    "-l": values("advanced"),
    "--exclude": values("kb_shrug", "superman,back_hold", "nope", ","),
    "--seed": values("0", "7", "-1", "2147483647", "2147483648", "99999999999999999999999"),
    "--catalog": values("tiny.yaml", "nope", "missing.yaml", ".", "existing.txt"),
    "-c": values("tiny.yaml", "tiny"),
    "--preset": values("preset.yaml", "back-15", "nope", "missing.yaml", ".", "existing.txt"),
    "-p": values("preset.yaml"),
    "--format": values("text", "json", "ical", "nope", "TEXT"),
    "-F": values("json", "ical"),
    "--output": values(
        "out.txt", "out.json", "out.ics", "existing.txt", "-", ".", "missing/out.txt", "out"
    ),
    "-o": values("existing.txt", "out.ics", "existing.txt/x"),
    "--start": values(
        "2026-11-30",
        "2026-11-30T18:30",
        "2026-03-29T02:30",
        "2026-13-01",
        "0001-01-01",
        "9999-12-31T23:59",
        "2026-11-30T07:00+14:00",
        "soon",
    ),
    "--tz": values("UTC", "Europe/Berlin", "America/St_Johns", "Mars/Base", "../../etc/passwd"),
    "--time-limit": st.sampled_from(["1", "0.5", "0.01", "0", "-1", "nan", "inf", "x", "1e9"]),
    "--set": values(
        "alarm_minutes=5",
        "alarm_minutes=0",
        "alarm_minutes=-1",
        "alarm_minutes=x",
        "alarm_minutes=99999999999999999999",
        "nope=1",
        "novalue",
    ),
}
MAKE = {
    **COMMON,
    "--rounds": values("2", "2-3", "3-2", "0", "21", "1-20", " 2 - 3 "),
    "--exercises": values("3-8", "1", "0", "31", "8-3", "a-b"),
    "--min-fill": values("0.9", "0", "1", "1.5", "-0.1", "nan"),
    "--rest": values("0", "20", "600", "601", "-1"),
    "--round-rest": values("0", "60", "1200", "1201"),
}
WEEK = {
    **COMMON,
    "--days": values("mon,thu", "mon=12,thu", "tue", "mon,mon", "mon=0", "sun=241", "xyz", ","),
    "-d": values("mon,thu", "fri=10"),
    "--weeks": values("1", "2", "0", "13", "-1", "1.5"),
    "--time": values("07:00", "18:30", "24:00", "7:5", "07:60", "0730"),
    "--split": values("upper-lower", "back-week", "split.yaml", "preset.yaml", "nope", "."),
    "--recovery-hours": values("0", "48", "168", "169", "-1"),
    "--max-repeats": values("1", "2", "7", "0", "8"),
    "--progression": values("5-10", "0", "50", "51", "10-5", "5-", "nan", "5%-10%"),
}
FLAGS = {"make": [], "week": ["--deload", "--help"]}
STRAY = st.sampled_from(["--bogus", "extra", "-x", "--", "--minutes", "-o"])


@st.composite
def command_line(draw: st.DrawFn, command: str) -> list[str]:
    """``command`` on the tiny catalog with cheap defaults, then random options."""
    table = MAKE if command == "make" else WEEK
    args = [command, "-c", "tiny.yaml", "-m", "12", "-e", "kettlebell", "--time-limit", "1"]
    if command == "week":
        args += ["--days", "mon,thu", "-l", "advanced", "-e", "dumbbell,bench"]
    for _ in range(draw(st.integers(0, 5))):
        kind = draw(st.integers(0, 15))
        if kind == 0:
            args.append(draw(STRAY))
        elif kind == 1 and FLAGS[command]:
            args.append(draw(st.sampled_from(FLAGS[command])))
        else:
            name = draw(st.sampled_from(sorted(table)))
            args += [name, draw(table[name])]
    if not any(a.startswith("-") and "time-limit" in a for a in args[9:]):
        args += ["--time-limit", "1"]  # a fuzzed --time-limit stays bounded: see its values
    return args


SPLIT = "sessions: [back, lats]\n"


@pytest.mark.parametrize("command", ["make", "week"])
@settings(max_examples=examples(60))
@given(data=st.data())
def test_random_command_lines(command: str, data: st.DataObject) -> None:
    args = data.draw(command_line(command))
    with workspace({"preset.yaml": PRESET, "split.yaml": SPLIT}) as folder:
        check(args, folder)


# ---------------------------------------------------------------------------- YAML files

YAML11 = [
    "no",
    "yes",
    "on",
    "off",
    "y",
    "NO",
    "1:30",
    "0x1F",
    "0o17",
    "017",
    "0b101",
    "1_000",
    "1e3",
    ".inf",
    "-.inf",
    ".nan",
    "~",
    "null",
    "2026-11-30",
    "2026-11-30T07:00:00Z",
    "+12",
    "12.0",
    "'12'",
    '"yes"',
    "[]",
    "{}",
    "[1, 2]",
    "[2, 1]",
    "{a: 1}",
    "-1",
    "0",
    "99999999999999999999",
    "9" * 5000,
    "true",
    "!!str 12",
    "!!binary aGVsbG8=",
    "!!python/object/apply:os.system [ls]",
    "!custom x",
    "&anchor x",
    "*nowhere",
    "|\n  block",
    "- a",
    "a: b",
    "",
    "'",
    "[",
    "{",
    "@",
    "`",
    "%",
    "\t",
]
SCALAR = st.sampled_from(YAML11) | st.text(max_size=10)
_KEY_LINE = re.compile(r"^(\s*(?:- )?[\w-]+:)\s*(.*)$")
_ITEM_LINE = re.compile(r"^(\s*- )(.*)$")


def alias_bomb(levels: int) -> str:
    lines = ["bomb0: &b0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, levels):
        lines.append(f"bomb{i}: &b{i} [{', '.join([f'*b{i - 1}'] * 9)}]")
    return "\n".join(lines) + "\n"


@st.composite
def mutated_text(draw: st.DrawFn, text: str) -> str | bytes:
    """``text`` after a few line-level mutations (each one shrinks towards doing nothing)."""
    lines = text.splitlines()
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            lines = [""]
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.integers(0, 11))
        if op == 0:  # a value becomes a YAML 1.1 surprise or another type
            match = _KEY_LINE.match(lines[i]) or _ITEM_LINE.match(lines[i])
            if match:
                lines[i] = f"{match[1]} {draw(SCALAR)}"
        elif op == 1:  # a key (or a whole entry) goes
            del lines[i]
        elif op == 2:  # a duplicate key
            lines.insert(i, lines[i])
        elif op == 3:  # two lines trade places
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == 4:  # indentation off by one level
            lines[i] = ("  " + lines[i]) if draw(st.booleans()) else lines[i][2:]
        elif op == 5:  # stray characters
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + draw(st.text(min_size=1, max_size=6)) + lines[i][at:]
        elif op == 6:  # cut short
            lines = lines[:i]
            if lines and draw(st.booleans()):
                lines[-1] = lines[-1][: draw(st.integers(0, len(lines[-1])))]
        elif op == 7:  # an alias bomb under an unknown key
            lines[i:i] = alias_bomb(draw(st.integers(2, 6))).splitlines()  # 9**6 > the limit
        elif op == 8:  # nesting far deeper than any schema
            depth = draw(st.sampled_from([10, 70, 200, 5000]))
            lines.insert(i, "deep: " + "[" * depth + "]" * depth)
        elif op == 9:  # anchors and aliases among the real values
            match = _KEY_LINE.match(lines[i])
            if match and match[2]:
                lines[i] = f"{match[1]} &a {match[2]}"
                lines.append(f"{match[1].strip().lstrip('- ')} *a")
        elif op == 10:  # includes, of itself among others
            lines.insert(0, f"include: [{draw(st.sampled_from(['mutated.yaml', 'tiny.yaml']))}]")
        else:  # what else may come first: a BOM, a directive, another document
            lines.insert(0, draw(st.sampled_from(["\ufeff", "%YAML 1.1\n---", "---\n---", "..."])))
    out = "\n".join(lines) + "\n"
    if draw(st.integers(0, 15)) == 0:  # not UTF-8 at all
        raw = out.encode("utf-8")
        at = draw(st.integers(0, len(raw)))
        return raw[:at] + b"\xff\xfe\xc3" + raw[at:]
    return out


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=6,
)


def _paths(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _paths(value, (*path, index))


@st.composite
def mutated_data(draw: st.DrawFn, text: str) -> str:
    """``text`` parsed, a few values deleted or replaced by another type, dumped again."""
    data = yaml.safe_load(text)
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(data) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        if draw(st.booleans()):
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(JSONISH)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def yaml_file(text: str) -> st.SearchStrategy[str | bytes]:
    return mutated_text(text) | mutated_data(text)


@settings(max_examples=examples(80))
@given(
    catalog=yaml_file(TINY),
    command=st.sampled_from(["make", "week", "show"]),
    output=st.sampled_from(["existing.txt", "out.json", "-"]),
)
def test_mutated_catalogs(catalog: str | bytes, command: str, output: str) -> None:
    if command == "show":
        args = ["catalog", "show", "mutated.yaml"]
    else:
        args = [command, "-c", "mutated.yaml", "-m", "12", "-e", "kettlebell", "-o", output]
        args += ["--time-limit", "1"] + (["--days", "mon,thu"] if command == "week" else [])
    with workspace({"mutated.yaml": catalog}) as folder:
        result = check(args, folder)
        if result.exit_code == 1:  # a bad catalog is named, in one line
            lines = result.stderr.splitlines()
            assert len(lines) == 1 and lines[0].startswith("routinegen: error: "), lines


PRESET_KEYS = ["minutes", "equipment", "focus", "level", "rounds", "exercises", "exclude"]
PRESET_KEYS += ["seed", "min_fill", "rest", "round_rest", "start", "tz", "description"]
PRESET_KEYS += ["days", "weeks", "time", "split", "recovery_hours", "max_repeats"]
PRESET_KEYS += ["progression", "deload", "catalog", "time_limit", "bogus"]


@st.composite
def random_preset(draw: st.DrawFn) -> str:
    """A preset of real option names with YAML 1.1 surprises and other values."""
    keys = draw(st.lists(st.sampled_from(PRESET_KEYS), max_size=5, unique=True))
    lines = []
    for key in keys:
        if key == "catalog":  # the flag -c wins anyway; keep the solver on the tiny one
            value = draw(st.sampled_from(["tiny.yaml", "nope", "[]"]))
        elif key == "time_limit":  # the flag --time-limit wins anyway
            value = draw(st.sampled_from(["1", "no", "3600"]))
        else:
            value = draw(SCALAR)
        lines.append(f"{key}: {value}")
    return "\n".join(lines) + "\n"


@settings(max_examples=examples(60))
@given(
    preset=yaml_file(PRESET) | random_preset(),
    command=st.sampled_from(["make", "week"]),
)
def test_mutated_presets(preset: str | bytes, command: str) -> None:
    args = [command, "-p", "mutated.yaml", "-c", "tiny.yaml", "--time-limit", "1"]
    args += ["-o", "existing.txt"]
    with workspace({"mutated.yaml": preset}) as folder:
        check(args, folder)


def test_yaml_surprises_are_refused_with_their_line() -> None:
    """The known YAML 1.1 traps, one by one: each an error naming file, line and field."""
    cases = [
        ("unilateral: true", "unilateral: yes", "exercises[2].unilateral"),
        ("setup_seconds: 10", "setup_seconds: 1:30", "exercises[2].setup_seconds"),
        ("level: intermediate", "level: no", "exercises[2].level"),
        ("seconds_per_rep: 3", "seconds_per_rep: 1_000", "exercises[1].seconds_per_rep"),
        ("title: Tiny back", "title: ~", "title"),
    ]
    for good, bad, field in cases:
        text = TINY.replace(good, bad, 1)
        line = next(n for n, row in enumerate(text.splitlines(), 1) if row.strip() == bad)
        with workspace({"mutated.yaml": text}) as folder:
            result = check(["catalog", "show", "mutated.yaml"], folder)
        assert result.exit_code == 1
        assert result.stderr.startswith(f"routinegen: error: mutated.yaml:{line}: {field}: ")
        assert len(result.stderr.splitlines()) == 1


def test_duplicate_key_alias_bomb_and_depth_are_refused() -> None:
    duplicate = TINY.replace("title: Tiny back\n", "title: Tiny back\ntitle: Again\n")
    bomb = TINY + alias_bomb(9)
    deep = TINY + "deep: " + "[" * 5000 + "]" * 5000 + "\n"
    for text, message in [
        (duplicate, "mutated.yaml:6: title: duplicate key"),
        (bomb, "alias expansion"),
        (deep, "nest"),
    ]:
        with workspace({"mutated.yaml": text}) as folder:
            result = check(["make", "-c", "mutated.yaml", "-o", "existing.txt"], folder)
        assert result.exit_code == 1 and message in result.stderr, result.stderr


# ---------------------------------------------------------------------------- batch


def _has_batch() -> bool:
    return any(
        (c.name or getattr(c.callback, "__name__", "")) == "batch" for c in app.registered_commands
    )


needs_batch = pytest.mark.skipif(not _has_batch(), reason="no batch command in this build")


@needs_batch
@settings(max_examples=examples(12))
@given(
    people=yaml_file(PEOPLE),
    formats=st.sampled_from(["json", "json,text", "ical", "nope"]),
)
def test_mutated_people_files(people: str | bytes, formats: str) -> None:
    args = ["batch", "people.yaml", "-o", "out", "--workers", "0", "-F", formats]
    with workspace({"people.yaml": people}) as folder:
        check(args, folder, batch_out="out")


@needs_batch
@settings(max_examples=examples(25))
@given(
    header=st.lists(
        st.sampled_from(["id", "kind", "minutes", "equipment", "days", "level", "bogus", ""]),
        min_size=1,
        max_size=5,
    ),
    rows=st.lists(st.lists(SCALAR, max_size=6), max_size=4),
)
def test_random_csv_people_files(header: list[str], rows: list[list[str]]) -> None:
    def cell(value: str) -> str:
        return '"' + value.replace('"', '""') + '"' if re.search(r'[,"\n\r]', value) else value

    text = "\n".join(",".join(cell(v) for v in row) for row in [header, *rows]) + "\n"
    args = ["batch", "people.csv", "-o", "out", "--workers", "0"]
    with workspace({"people.csv": text}) as folder:
        check(args, folder, batch_out="out")
