"""What leaves the program: write_atomic is all or nothing, keeps the target's mode, leaves no
temp file and writes nowhere it should not; every exporter says when an answer is not proven.
"""

from __future__ import annotations

import dataclasses
import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers.render import render_with
from helpers.results import make_plan, make_routine
from icalendar import Calendar

from routinegen.errors import InputError
from routinegen.output.files import write_atomic
from routinegen.plugins import ical as ical_plugin
from routinegen.plugins import json as json_plugin
from routinegen.plugins import text as text_plugin
from routinegen.results import Plan, Routine, SolverInfo

OLD = b"the old contents\n"
NEW = b"the new contents\n"


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask_027() -> Iterator[None]:
    previous = os.umask(0o027)
    try:
        yield
    finally:
        os.umask(previous)


def test_replaces_the_contents_and_keeps_the_mode(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_bytes(OLD)
    os.chmod(target, 0o640)
    write_atomic(target, NEW)
    assert target.read_bytes() == NEW
    assert mode(target) == 0o640
    assert names(tmp_path) == ["out.json"]


def test_keeps_an_unusual_mode(tmp_path: Path) -> None:
    target = tmp_path / "run.sh"
    target.write_bytes(OLD)
    os.chmod(target, 0o750)
    write_atomic(str(target), NEW)  # a str path works as well as a Path
    assert (target.read_bytes(), mode(target)) == (NEW, 0o750)


def test_new_file_respects_the_umask(tmp_path: Path, umask_027: None) -> None:
    target = tmp_path / "new.txt"
    write_atomic(target, NEW)
    assert target.read_bytes() == NEW
    assert mode(target) == 0o640  # 0o666 & ~0o027, not mkstemp's 0o600
    assert names(tmp_path) == ["new.txt"]


def test_empty_data(tmp_path: Path) -> None:
    target = tmp_path / "empty"
    target.write_bytes(OLD)
    write_atomic(target, b"")
    assert target.read_bytes() == b""


@pytest.mark.parametrize("failing", ["fsync", "chmod", "replace"])
def test_os_error_while_writing_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    target = tmp_path / "out.txt"
    target.write_bytes(OLD)

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, failing, fail)
    with pytest.raises(InputError, match=r"out\.txt: cannot write \(No space left on device\)"):
        write_atomic(target, NEW)
    monkeypatch.undo()
    assert target.read_bytes() == OLD
    assert names(tmp_path) == ["out.txt"]


@pytest.mark.parametrize("error", [KeyboardInterrupt, RuntimeError])
def test_interrupt_or_bug_while_writing_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: type[BaseException]
) -> None:
    """Anything else (Ctrl-C above all) propagates as it is, after the temp file is gone."""
    target = tmp_path / "out.txt"
    target.write_bytes(OLD)

    def fail(*args: object, **kwargs: object) -> None:
        raise error("in the middle")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(error):
        write_atomic(target, NEW)
    monkeypatch.undo()
    assert target.read_bytes() == OLD
    assert names(tmp_path) == ["out.txt"]


def test_failure_before_any_file_exists_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(InputError, match="Input/output error"):
        write_atomic(tmp_path / "new.txt", NEW)
    monkeypatch.undo()
    assert names(tmp_path) == []


def test_directory_target_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "results"
    folder.mkdir()
    (folder / "keep").write_bytes(OLD)
    with pytest.raises(InputError, match=r"results: is a directory"):
        write_atomic(folder, NEW)
    assert folder.is_dir() and names(folder) == ["keep"]
    assert names(tmp_path) == ["results"]


def test_pipe_or_device_target_is_refused(tmp_path: Path) -> None:
    """``-o /dev/null`` must not replace the device with a plain file (as root it could)."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match=r"pipe: not a regular file"):
        write_atomic(fifo, NEW)
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert names(tmp_path) == ["pipe"]


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"folder .*missing does not exist"):
        write_atomic(tmp_path / "missing" / "out.txt", NEW)
    assert names(tmp_path) == []


def test_folder_that_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "plain").write_bytes(OLD)
    with pytest.raises(InputError, match="cannot write"):
        write_atomic(tmp_path / "plain" / "out.txt", NEW)
    assert (tmp_path / "plain").read_bytes() == OLD


def test_unwritable_folder_simulated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What a read-only folder does, whoever runs the test (root may write anywhere)."""
    from routinegen.output import files

    target = tmp_path / "out.txt"
    target.write_bytes(OLD)

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(files, "_create", refuse)
    with pytest.raises(InputError, match=r"out\.txt: cannot write \(Permission denied\)"):
        write_atomic(target, NEW)
    monkeypatch.undo()
    assert target.read_bytes() == OLD
    assert names(tmp_path) == ["out.txt"]


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes to read-only folders"
)
def test_unwritable_folder(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    target = folder / "out.txt"
    target.write_bytes(OLD)
    folder.chmod(0o555)
    try:
        with pytest.raises(InputError, match="Permission denied"):
            write_atomic(target, NEW)
        assert target.read_bytes() == OLD
        assert names(folder) == ["out.txt"]
    finally:
        folder.chmod(0o755)


# ---------------------------------------------------------------------------- not proven optimal

NOT_PROVEN = "not proven optimal"


def feasible_routine() -> Routine:
    """CP-SAT ran out of time: an answer, but no proof that none is better."""
    return dataclasses.replace(make_routine(), solver=SolverInfo("FEASIBLE", 10.0, 4100, 4300))


def feasible_plan() -> Plan:
    return dataclasses.replace(make_plan(), solver=SolverInfo("FEASIBLE", 8.0, 8800, 9100))


def descriptions(data: bytes) -> list[str]:
    return [str(event["DESCRIPTION"]) for event in Calendar.from_ical(data).walk("VEVENT")]


def render(plugin: Any, result: Any, **options: Any) -> bytes:
    out = render_with(plugin, result, **options)
    return out.encode("utf-8") if isinstance(out, str) else bytes(out)


@pytest.mark.parametrize("make", [feasible_routine, feasible_plan], ids=["routine", "plan"])
def test_every_exporter_says_not_proven_optimal(make: Any) -> None:
    result = make()
    text = render(text_plugin, result).decode("utf-8")
    assert text.count(NOT_PROVEN) == 1 and "Proven optimal" not in text
    document = json.loads(render(json_plugin, result))
    assert document["solver"]["status"] == "FEASIBLE"
    events = descriptions(render(ical_plugin, result))
    assert events and all(NOT_PROVEN in d for d in events)


@pytest.mark.parametrize("make", [make_routine, make_plan], ids=["routine", "plan"])
def test_optimal_answers_say_nothing_of_the_kind(make: Any) -> None:
    result = make()
    assert NOT_PROVEN not in render(text_plugin, result).decode("utf-8")
    assert json.loads(render(json_plugin, result))["solver"]["status"] == "OPTIMAL"
    for description in descriptions(render(ical_plugin, result)):
        assert "proven" not in description.lower()


def test_ical_routine_description_ends_with_the_caveat() -> None:
    optimal = descriptions(render(ical_plugin, make_routine()))[0]
    feasible = descriptions(render(ical_plugin, feasible_routine()))[0]
    assert feasible == f"{optimal}\n{ical_plugin.NOT_PROVEN_ROUTINE}"
