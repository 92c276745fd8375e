"""Write semantics of ``-o`` (issue #18, class 6): a read-only target is refused, a symbolic
link is written through (the link stays a link), and nothing else is ever replaced.

A Hypothesis strategy picks what the target is; ``write_atomic`` (the one writer of ``-o``
and of batch outputs) must then either write the new bytes where the user meant or refuse
with an InputError naming the path, leaving everything as it was.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from routinegen.cli import app
from routinegen.errors import InputError
from routinegen.output.files import write_atomic

FIXTURES = Path(__file__).parent / "fixtures"
OLD, NEW = b"old content\n", b"new content\n"


def _regular(path: Path) -> None:
    path.write_bytes(OLD)


def _read_only(path: Path) -> None:
    path.write_bytes(OLD)
    path.chmod(0o444)


def _no_permissions(path: Path) -> None:
    path.write_bytes(OLD)
    path.chmod(0o000)


def _link_to_file(path: Path) -> None:
    (path.parent / "real.txt").write_bytes(OLD)
    path.symlink_to("real.txt")


def _link_into_another_folder(path: Path) -> None:
    other = path.parent / "elsewhere"
    other.mkdir()
    (other / "real.txt").write_bytes(OLD)
    path.symlink_to(other / "real.txt")


def _link_to_link(path: Path) -> None:
    (path.parent / "real.txt").write_bytes(OLD)
    (path.parent / "middle.txt").symlink_to("real.txt")
    path.symlink_to("middle.txt")


def _dangling_link(path: Path) -> None:
    path.symlink_to("not-yet.txt")


def _link_to_read_only(path: Path) -> None:
    (path.parent / "real.txt").write_bytes(OLD)
    (path.parent / "real.txt").chmod(0o444)
    path.symlink_to("real.txt")


def _loop(path: Path) -> None:
    (path.parent / "other.txt").symlink_to(path.name)
    path.symlink_to("other.txt")


def _folder(path: Path) -> None:
    path.mkdir()


def _link_to_folder(path: Path) -> None:
    (path.parent / "dir").mkdir()
    path.symlink_to("dir")


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _device(path: Path) -> None:
    path.symlink_to("/dev/null")


# kind -> (make it, what happens: "write" at this file name, or "refuse" with these words)
TARGETS: dict[str, tuple[Callable[[Path], None], str, str]] = {
    "regular": (_regular, "write", "out.txt"),
    "read-only": (_read_only, "refuse", "is read-only"),
    "no permissions": (_no_permissions, "refuse", "is read-only"),
    "link to a file": (_link_to_file, "write", "real.txt"),
    "link into another folder": (_link_into_another_folder, "write", "elsewhere/real.txt"),
    "link to a link": (_link_to_link, "write", "real.txt"),
    "dangling link": (_dangling_link, "write", "not-yet.txt"),
    "link to a read-only file": (_link_to_read_only, "refuse", "is read-only"),
    "symlink loop": (_loop, "refuse", "symbolic links"),
    "folder": (_folder, "refuse", "is a directory"),
    "link to a folder": (_link_to_folder, "refuse", "is a directory"),
    "fifo": (_fifo, "refuse", "not a regular file"),
    "device": (_device, "refuse", "not a regular file"),
}


def snapshot(folder: Path) -> dict[str, Any]:
    """Every entry: a link's target, a file's bytes and mode, a folder as such."""
    out: dict[str, Any] = {}
    for path in sorted(folder.rglob("*")):
        name = str(path.relative_to(folder))
        if path.is_symlink():
            out[name] = ("link", os.readlink(path))
        elif path.is_file():
            out[name] = ("file", path.read_bytes(), stat.S_IMODE(path.stat().st_mode))
        else:
            out[name] = ("other", stat.S_IFMT(path.lstat().st_mode))
    return out


@settings(max_examples=40)
@given(kind=st.sampled_from(sorted(TARGETS)), data=st.binary(max_size=64))
def test_write_atomic_writes_through_links_and_refuses_what_it_may_not_replace(
    kind: str, data: bytes, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("target")
    target = folder / "out.txt"
    make, outcome, detail = TARGETS[kind]
    make(target)
    before = snapshot(folder)
    if outcome == "refuse":
        with pytest.raises(InputError, match=detail) as raised:
            write_atomic(target, data)
        assert str(raised.value).startswith(str(target)), raised.value
        assert snapshot(folder) == before
        return
    write_atomic(target, data)
    after = snapshot(folder)
    assert (folder / detail).read_bytes() == data
    if target.is_symlink() or kind.endswith("link"):
        assert after["out.txt"] == before["out.txt"]  # the link is still the same link
    changed = {k for k in after if after[k] != before.get(k)}
    assert changed <= {detail}, changed
    assert not [k for k in after if k.endswith(".tmp")]


def test_a_replaced_file_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_bytes(OLD)
    target.chmod(0o640)
    write_atomic(target, NEW)
    assert target.read_bytes() == NEW and stat.S_IMODE(target.stat().st_mode) == 0o640


def _make(output: Path) -> Any:
    args = ["make", "-c", str(FIXTURES / "tiny.yaml"), "-m", "12", "-e", "kettlebell"]
    return CliRunner().invoke(app, [*args, "-F", "json", "-o", str(output)])


def test_make_refuses_a_read_only_output(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_bytes(OLD)
    target.chmod(0o444)
    result = _make(target)
    assert result.exit_code == 1, result.stderr
    assert f"{target}: is read-only" in result.stderr
    assert target.read_bytes() == OLD and stat.S_IMODE(target.stat().st_mode) == 0o444


def test_make_writes_through_a_symlink(tmp_path: Path) -> None:
    (tmp_path / "real.json").write_bytes(OLD)
    link = tmp_path / "out.json"
    link.symlink_to("real.json")
    result = _make(link)
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == "real.json"
    assert (tmp_path / "real.json").read_bytes().startswith(b"{")
