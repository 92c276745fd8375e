"""Inputs accepted that should not be, and messages that mislead (issue #18, classes 4, 5).

Each test runs the command line in-process (or the public functions) and checks the exit
code and the words; the few that need a real stdout run the installed command.
"""

from __future__ import annotations

import errno
import io
import os
import subprocess
import sys
import time
import types
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from routinegen.catalog import load_catalog
from routinegen.cli import app
from routinegen.cli.running import write_stdout
from routinegen.errors import InputError, RoutinegenError
from routinegen.request.people import read_people
from routinegen.request.routine import resolve_request
from routinegen.request.settings import Setting

FIXTURES = Path(__file__).parent / "fixtures"
TINY = (FIXTURES / "tiny.yaml").read_text(encoding="utf-8")
ENV = {"ROUTINEGEN_LOAD_PLUGINS": "", "ROUTINEGEN_DEBUG": None}


def cli(*args: str) -> Any:
    return CliRunner().invoke(app, list(args), env=ENV, catch_exceptions=True)


def clean(result: Any) -> None:
    said = result.stdout + result.stderr
    exc = result.exception
    assert exc is None or isinstance(exc, SystemExit), repr(exc)
    assert "Traceback" not in said and "internal error" not in said, said


def tiny_with(tmp_path: Path, old: str, new: str) -> Path:
    assert old in TINY, old
    path = tmp_path / "cat.yaml"
    path.write_text(TINY.replace(old, new, 1), encoding="utf-8")
    return path


# ---------------------------------------------------------------------------- catalogs


def _first_group() -> str:
    for line in TINY.splitlines():
        if line.startswith("  ") and line.rstrip().endswith("]") and ":" in line:
            return line
    raise AssertionError("tiny.yaml has no group line")


def test_a_group_with_no_muscles_is_refused_with_its_line(tmp_path: Path) -> None:
    assert "groups:" in TINY
    path = tmp_path / "cat.yaml"
    path.write_text(TINY.replace("groups:\n", "groups:\n  nothing: []\n", 1), encoding="utf-8")
    with pytest.raises(InputError, match=r"cat\.yaml:\d+: groups\.nothing: a group needs"):
        load_catalog(path)
    result = cli("make", "-c", str(path), "-f", "nothing")
    clean(result)
    assert result.exit_code == 1
    assert "these limits conflict" not in result.stderr


@pytest.mark.parametrize("value", ["true", "false", "'1'", "1.0", "3", "null", "[1]"])
def test_a_catalog_format_must_be_a_known_number(tmp_path: Path, value: str) -> None:
    path = tmp_path / "cat.yaml"
    path.write_text(TINY.replace("format: 1\n", f"format: {value}\n", 1), encoding="utf-8")
    with pytest.raises(InputError, match=r"cat\.yaml:3: format: unsupported catalog format"):
        load_catalog(path)


def test_format_1_is_read(tmp_path: Path) -> None:
    path = tmp_path / "cat.yaml"
    path.write_text(TINY, encoding="utf-8")
    assert "format: 1\n" in TINY and load_catalog(path).exercises


UNSAFE = st.one_of(
    st.characters(categories=["Cc"]),
    st.sampled_from(["\u202e", "\u202a", "\u2066", "\u2069", "\u200f", "\u061c"]),
    st.sampled_from(["\u2028", "\u2029"]),
)


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar holding ``text`` exactly (escapes for every control)."""
    return '"' + "".join(c if c.isalnum() else f"\\U{ord(c):08x}" for c in text) + '"'


def _name_lines() -> list[str]:
    """The display names: exercises' (indented) and the title, not the catalog's id."""
    return [
        line
        for line in TINY.splitlines()
        if line.strip().startswith(("name:", "title:")) and not line.startswith("name:")
    ]


@settings(max_examples=40)
@given(bad=UNSAFE, where=st.sampled_from(range(len(_name_lines()))), at=st.integers(0, 4))
def test_control_and_bidi_characters_in_names_are_refused(
    bad: str, where: int, at: int, tmp_path_factory: pytest.TempPathFactory
) -> None:
    line = _name_lines()[where]
    key, _, value = line.partition(":")
    text = value.strip().strip("'\"")
    poisoned = text[:at] + bad + text[at:]
    path = tiny_with(tmp_path_factory.mktemp("names"), line, f"{key}: {_quoted(poisoned)}")
    with pytest.raises(InputError, match=rf"U\+{ord(bad):04X}") as raised:
        load_catalog(path)
    assert str(raised.value).startswith(f"{path}:")


@pytest.mark.parametrize("name", ["Café row", "Kettlebell swing 💪", "👩\u200d🦰 press", "Ряд"])
def test_ordinary_unicode_names_are_kept(tmp_path: Path, name: str) -> None:
    line = _name_lines()[-1]
    key = line.partition(":")[0]
    path = tiny_with(tmp_path, line, f"{key}: {_quoted(name)}")
    names = {e.name for e in load_catalog(path).exercises} | {load_catalog(path).title}
    assert name in names


def test_the_importer_refuses_a_name_with_a_control_character() -> None:
    from routinegen.catalog.importers import import_free_exercise_db

    records = [
        {
            "id": "Row",
            "name": "Row\x1b[31m",
            "level": "beginner",
            "category": "strength",
            "equipment": "body only",
            "mechanic": "compound",
            "force": "pull",
            "primaryMuscles": ["lats"],
            "secondaryMuscles": [],
        }
    ]
    with pytest.raises(InputError, match="control character U\\+001B"):
        import_free_exercise_db(records, name="x")


# ---------------------------------------------------------------------------- empty values

EMPTY = [
    ("make", "-o", ""),
    ("make", "-c", ""),
    ("make", "-p", ""),
    ("make", "-F", ""),
    ("make", "-e", ""),
    ("make", "-f", " "),
    ("make", "--tz", ""),
    ("make", "--start", ""),
    ("make", "--time", ""),
    ("make", "--rounds", ""),
    ("make", "--exclude", ""),
    ("week", "--split", ""),
    ("week", "--days", ""),
    ("week", "-o", ""),
    ("batch", "", "-o", "plans"),
    ("batch", "people.csv", "-o", ""),
    ("batch", "people.csv", "-o", "plans", "--scheduler", ""),
    ("catalog", "show", ""),
    ("catalog", "import", "free-exercise-db", "", "-o", "x.yaml"),
    ("catalog", "import", "free-exercise-db", "x.json", "-o", ""),
]


@pytest.mark.parametrize("args", EMPTY, ids=[" ".join(a) or "''" for a in EMPTY])
def test_an_empty_value_is_a_usage_error(
    args: tuple[str, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli(*args)
    clean(result)
    assert result.exit_code == 2, (result.exit_code, result.stderr)
    assert "is empty" in result.stderr
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------------------- digits

OTHER_DIGITS = st.characters(categories=["Nd"]).filter(lambda c: not c.isascii())
WIDE = st.sampled_from(["\uff11\uff15", "1_5", "nan", "inf", "+", "1e", " "])


def _digits(draw: st.DrawFn) -> str:
    digit = draw(OTHER_DIGITS)
    value = unicodedata.digit(digit)
    return draw(st.sampled_from([digit, f"1{digit}", f"{digit}0", f"{value}{digit}"]))


@st.composite
def foreign_number(draw: st.DrawFn) -> str:
    return _digits(draw) if draw(st.booleans()) else draw(WIDE)


NUMBER_OPTIONS = [
    ("make", "-m"),
    ("make", "--seed"),
    ("make", "--rest"),
    ("make", "--round-rest"),
    ("make", "--min-fill"),
    ("make", "--time-limit"),
    ("week", "--weeks"),
    ("week", "--recovery-hours"),
    ("week", "--max-repeats"),
    ("batch", "--workers"),
]


@settings(max_examples=40)
@given(option=st.sampled_from(NUMBER_OPTIONS), value=foreign_number())
def test_numbers_on_the_command_line_are_ascii_digits(option: tuple[str, str], value: str) -> None:
    command, flag = option
    args = [command, flag, value, "-c", "no-such-catalog"]
    if command == "batch":
        args = ["batch", "no-such.csv", "-o", "plans", flag, value]
    result = cli(*args)
    clean(result)
    assert result.exit_code == 2, (args, result.exit_code, result.stderr)
    assert "digits 0-9" in result.stderr, result.stderr


@settings(max_examples=40)
@given(
    key=st.sampled_from(
        ["minutes", "seed", "rest", "round_rest", "min_fill", "rounds", "exercises"]
    ),
    value=foreign_number(),
)
def test_numbers_in_files_are_ascii_digits(key: str, value: str, tiny: Any) -> None:
    """A preset or CSV value arrives as a string: the same rule, with its origin."""
    with pytest.raises(InputError, match=f"^where:1: {key}: "):
        resolve_request(tiny, {key: Setting(value, f"where:1: {key}")})


@pytest.mark.parametrize(
    ("flags", "says"),
    [
        (["--rounds", "\u0662-\u0663"], "--rounds"),
        (["--exercises", "\u0663"], "--exercises"),
        (["--time", "\u0660\u0667:30"], "--time"),
        (["--start", "2026-11-\u0663\u0660"], "--start"),
    ],
)
def test_ranges_times_and_dates_are_ascii_digits(flags: list[str], says: str) -> None:
    result = cli("make", "-c", str(FIXTURES / "tiny.yaml"), *flags)
    clean(result)
    assert result.exit_code in (1, 2), result.stderr
    assert says in result.stderr


@pytest.mark.parametrize("days", ["mon=\u0662\u0660", "mon,wed=\u0661\u0665"])
def test_week_days_are_ascii_digits(days: str) -> None:
    result = cli("week", "-c", str(FIXTURES / "tiny.yaml"), "--days", days)
    clean(result)
    assert result.exit_code == 1, result.stderr
    assert "--days" in result.stderr


# ---------------------------------------------------------------------------- CSV


@pytest.mark.parametrize(
    "text",
    [
        'id,minutes\nalice,"10\nbob,12\n',
        'id,minutes\n"alice,10\n',
        'id,minutes\nalice,10\nbob,"1\n2\n',
    ],
)
def test_a_csv_with_an_unterminated_quote_is_refused(tmp_path: Path, text: str) -> None:
    path = tmp_path / "people.csv"
    path.write_text(text, encoding="utf-8")
    try:
        people = read_people(str(path))
    except InputError as exc:
        assert "not valid CSV" in str(exc) and str(exc).startswith(f"{path}:")
    else:
        assert any(row.error and "CSV" in row.error for row in people.rows), people.rows


# ---------------------------------------------------------------------------- messages


@pytest.mark.parametrize(
    ("flags", "says"),
    [
        (["--seed", "2147483648"], "must be from 0 to 2147483647, got 2147483648"),
        (
            ["--seed", "99999999999999999999"],
            "must be from 0 to 2147483647, got 99999999999999999999",
        ),
        (["-m", "0.5"], "must be from 1 to 240, got 0.5"),
        (["-m", "241"], "must be from 1 to 240, got 241"),
        (["-m", "1e999"], "must be from 1 to 240, got inf"),
        (["--min-fill", "1.25"], "must be from 0 to 1, got 1.25"),
    ],
)
def test_out_of_range_numbers_are_shown_as_given(flags: list[str], says: str) -> None:
    result = cli("make", "-c", str(FIXTURES / "tiny.yaml"), *flags)
    clean(result)
    assert result.exit_code == 1, result.stderr
    assert says in result.stderr, result.stderr
    assert "e+" not in result.stderr


class _Full(io.RawIOBase):
    def __init__(self, code: int) -> None:
        self.code = code

    def write(self, data: Any) -> int:
        raise OSError(self.code, os.strerror(self.code))

    def writable(self) -> bool:
        return True


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EPIPE, errno.EIO])
def test_a_full_or_broken_stdout_is_a_plain_error(
    code: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = types.SimpleNamespace(buffer=_Full(code), fileno=lambda: -1)
    monkeypatch.setattr(sys, "stdout", fake)
    with pytest.raises(RoutinegenError, match=f"standard output \\({os.strerror(code)}\\)"):
        write_stdout(b"x" * 10)


def test_a_closed_stdout_is_a_plain_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdout", None)
    with pytest.raises(RoutinegenError, match="standard output is closed"):
        write_stdout(b"x")


def _run(args: list[str], **kwargs: Any) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "ROUTINEGEN_LOAD_PLUGINS": ""}
    command = [sys.executable, "-m", "routinegen", *args]
    return subprocess.run(command, env=env, capture_output=False, timeout=120, **kwargs)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize(
    "args", [["schema"], ["exporters"], ["catalog", "show", "back"], ["presets"]]
)
def test_listings_into_a_full_device_say_so(args: list[str], tmp_path: Path) -> None:
    with open("/dev/full", "wb") as full, (tmp_path / "err").open("wb") as err:
        done = _run(args, stdout=full, stderr=err)
    said = (tmp_path / "err").read_text(encoding="utf-8")
    assert done.returncode == 1, said
    assert said == "routinegen: error: cannot write to standard output (No space left on device)\n"


@pytest.mark.slow
@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_make_into_a_full_or_closed_stdout_says_so(tmp_path: Path) -> None:
    args = ["make", "-m", "10"]
    with open("/dev/full", "wb") as full, (tmp_path / "err").open("wb") as err:
        done = _run(args, stdout=full, stderr=err)
    said = (tmp_path / "err").read_text(encoding="utf-8")
    assert done.returncode == 1 and "No space left on device" in said, said
    assert "internal error" not in said and "Traceback" not in said
    with (tmp_path / "err").open("wb") as err:
        done = _run(args, stdout=subprocess.DEVNULL, stderr=err, close_fds=True)
    closed = subprocess.run(
        ["/bin/sh", "-c", f'"{sys.executable}" -m routinegen make -m 10 >&-'],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "ROUTINEGEN_LOAD_PLUGINS": ""},
    )
    assert closed.returncode == 1, closed.stderr
    assert "standard output is closed" in closed.stderr


# ---------------------------------------------------------------------------- the scheduler


@pytest.mark.parametrize(
    ("address", "says"),
    [
        ("tls://127.0.0.1:8786", "needs TLS certificates"),
        ("wss://127.0.0.1:8786", "needs TLS certificates"),
        ("tcp://127.0.0.1:99999", "ports are 1 to 65535"),
        ("tcp://127.0.0.1:0", "ports are 1 to 65535"),
        ("foo://host:1", "unknown scheme 'foo'"),
        ("nonsense", "expected an address like tcp://"),
        ("tcp://host", "expected an address like tcp://"),
    ],
)
def test_a_scheduler_address_that_cannot_work_is_a_usage_error_at_once(
    address: str, says: str, tmp_path: Path
) -> None:
    started = time.monotonic()
    result = cli("batch", "none.csv", "-o", str(tmp_path / "plans"), "--scheduler", address)
    clean(result)
    assert result.exit_code == 2, result.stderr
    assert says in result.stderr
    assert time.monotonic() - started < 5
    assert not (tmp_path / "plans").exists()


def test_a_scheduler_nobody_listens_at_is_an_error_at_once(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    import socket

    with socket.socket() as sock:  # a port that was free a moment ago
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    people = tmp_path / "people.csv"
    people.write_text(f"id,minutes,catalog\na,12,{FIXTURES / 'tiny.yaml'}\n", encoding="utf-8")
    started = time.monotonic()
    result = cli(
        "batch",
        str(people),
        "-o",
        str(tmp_path / "plans"),
        "--scheduler",
        f"tcp://127.0.0.1:{port}",
    )
    clean(result)
    assert result.exit_code == 1, result.stderr
    assert "nothing listens there" in result.stderr
    assert time.monotonic() - started < 10


# ---------------------------------------------------------------------------- plugin catalogs


def test_a_plugin_catalogs_errors_are_not_labelled_built_in(tmp_path: Path) -> None:
    broken = tmp_path / "theirs.yaml"
    broken.write_text(TINY.replace("exercises:", "exercises: 3\nunused:", 1), encoding="utf-8")
    with pytest.raises(InputError) as raised:
        load_catalog("theirs", extra={"theirs": broken})
    message = str(raised.value)
    assert "(built-in)" not in message
    assert message.startswith(f"{broken} (catalog 'theirs' of a plugin):"), message


# ---------------------------------------------------------------------------- the terminal


@settings(max_examples=30)
@given(bad=UNSAFE)
def test_messages_never_carry_control_or_bidi_characters_to_the_terminal(bad: str) -> None:
    """A message may quote what the user or a file gave (a path here): escaped, not obeyed."""
    result = cli("make", "-c", f"/no/such/{bad}x.yaml")
    clean(result)
    assert result.exit_code == 1
    line = result.stderr.removesuffix("\n")  # one line, whatever the path held
    assert bad not in line, repr(result.stderr)
    assert bad == "\n" or bad.encode("unicode_escape").decode("ascii") in line


@settings(max_examples=30)
@given(value=foreign_number(), option=st.sampled_from(["ical.alarm_minutes", "json.indent"]))
def test_exporter_options_are_ascii_numbers_too(value: str, option: str) -> None:
    from routinegen.exporter import OptionError
    from routinegen.registry import load_registry

    name, key = option.split(".")
    with pytest.raises(OptionError, match=key):
        load_registry().exporter(name).parse_options({key: value})


def test_a_float_option_refuses_nan_and_infinity() -> None:
    from routinegen.exporter import OptionError, OptionField

    spec = OptionField("ratio", float, 0.5, "")
    assert spec.convert(" 1.5 ") == 1.5 and spec.convert("2") == 2.0
    for text in ("nan", "inf", "-Infinity", "1e999", "1e999x", "\u0661.5"):
        with pytest.raises(OptionError, match="takes a number"):
            spec.convert(text)


def test_a_result_built_by_a_program_loses_control_characters_in_a_calendar() -> None:
    """The catalog refuses control and bidi characters in names; a Routine built through the
    Python API does not pass that check, so the calendar exporter drops them itself."""
    import dataclasses

    from helpers.render import render_with
    from icalendar import Calendar

    import routinegen
    from routinegen.plugins import ical

    routine = routinegen.make_routine(minutes=10)
    hostile = "Row\x1b[31m\u202e\r\nX"
    items = (dataclasses.replace(routine.items[0], name=hostile), *routine.items[1:])
    focus = dataclasses.replace(routine.request, focus_label="back\x07\u2066")
    data = render_with(ical, dataclasses.replace(routine, items=items, request=focus))
    for char in ("\x1b", "\u202e", "\x07", "\u2066", "\r\n X"):
        assert char.encode() not in data.replace(b"\r\n ", b"")
    (event,) = Calendar.from_ical(data).walk("VEVENT")
    assert "Row[31m" in str(event["DESCRIPTION"])
    assert str(event["SUMMARY"]).startswith("Back")
