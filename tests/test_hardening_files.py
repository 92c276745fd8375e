"""Hostile input files (issue #18, class 1): every file the program reads goes through one
bounded reader that refuses what is not a regular file, so no kind of file makes a command
hang, grow without bound, crash or write anything.

The file kinds are a Hypothesis strategy (FIFO, folder, device, symlink loop, huge, deep,
binary), and each is put in every place a command reads a file from.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from routinegen.cli import app
from routinegen.errors import InputError
from routinegen.sources import files
from routinegen.sources.files import MAX_BYTES, read_bytes, read_text_file
from routinegen.sources.jsonparse import parse_json

FIXTURES = Path(__file__).parent / "fixtures"
ENV = {"ROUTINEGEN_LOAD_PLUGINS": "", "ROUTINEGEN_DEBUG": None}
SECONDS = 20  # a command that has not answered by then hangs


# ---------------------------------------------------------------------------- file kinds


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _folder(path: Path) -> None:
    path.mkdir()


def _device(path: Path) -> None:
    path.symlink_to("/dev/zero")


def _null_device(path: Path) -> None:
    path.symlink_to("/dev/null")


def _loop(path: Path) -> None:
    other = path.with_name(path.name + ".other")
    other.symlink_to(path.name)
    path.symlink_to(other.name)


def _huge(path: Path) -> None:
    with path.open("wb") as handle:  # sparse: costs no disk
        handle.truncate(MAX_BYTES + 1)


def _deep_yaml(path: Path) -> None:
    path.write_text("a: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")


def _deep_mapping(path: Path) -> None:
    path.write_text("".join(" " * i + f"k{i}:\n" for i in range(200)), encoding="utf-8")


def _binary(path: Path) -> None:
    path.write_bytes(b"name: x\n\x00\x01\x02\xff\xfe")


def _not_utf8(path: Path) -> None:
    path.write_bytes(b"name: caf\xe9\n")


KINDS: dict[str, Callable[[Path], None]] = {
    "fifo": _fifo,
    "folder": _folder,
    "device": _device,
    "null-device": _null_device,
    "symlink-loop": _loop,
    "huge": _huge,
    "deep": _deep_yaml,
    "deep-mapping": _deep_mapping,
    "binary": _binary,
    "not-utf8": _not_utf8,
}

# Every place a command reads a file from; HOSTILE is the file under test.
PLACES: dict[str, list[str]] = {
    "make --catalog": ["make", "-c", "HOSTILE", "-o", "out.txt"],
    "make --preset": ["make", "-p", "HOSTILE", "-o", "out.txt"],
    "week --split": ["week", "--split", "HOSTILE", "-o", "out.txt"],
    "catalog show": ["catalog", "show", "HOSTILE"],
    "catalog import": ["catalog", "import", "free-exercise-db", "HOSTILE", "-o", "out.yaml"],
    "batch people": ["batch", "HOSTILE", "-o", "plans"],
    "a catalog's include": ["make", "-c", "INCLUDES", "-o", "out.txt"],
    "a preset's catalog": ["make", "-p", "PRESET", "-o", "out.txt"],
    "a person's preset": ["batch", "PEOPLE", "-o", "plans"],
}


def _wrappers(folder: Path, hostile: Path) -> dict[str, str]:
    """Files that name the hostile one, so it is reached the indirect way."""
    includes = folder / "includes.yaml"
    includes.write_text(f"name: wrapper\ninclude: [{hostile}]\nexercises: []\n", encoding="utf-8")
    preset = folder / "preset.yaml"
    preset.write_text(f"catalog: {hostile}\n", encoding="utf-8")
    people = folder / "people.yaml"
    people.write_text(f"- id: a\n  preset: {hostile}\n", encoding="utf-8")
    return {"INCLUDES": str(includes), "PRESET": str(preset), "PEOPLE": str(people)}


def _unblock(path: Path) -> None:
    """Give a reader stuck on the FIFO ``path`` its end of file."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
    except OSError:
        return
    os.close(fd)


def invoke_bounded(args: list[str], fifo: Path | None = None) -> Any:
    """Run the command in this process; fail (instead of hanging) if it does not return."""
    box: dict[str, Any] = {}

    def run() -> None:
        box["result"] = CliRunner().invoke(app, args, env=ENV, catch_exceptions=True)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(SECONDS)
    if thread.is_alive():
        if fifo is not None:
            _unblock(fifo)
        thread.join(5)
        pytest.fail(f"routinegen {' '.join(args)} did not return within {SECONDS} s")
    return box["result"]


def _refused_cleanly(result: Any, args: list[str]) -> None:
    said = result.stdout + result.stderr
    exc = result.exception
    assert exc is None or isinstance(exc, SystemExit), (args, repr(exc))
    assert result.exit_code == 1, (args, result.exit_code, said)
    assert "routinegen: error:" in result.stderr, (args, said)
    assert "internal error" not in said and "Traceback" not in said, (args, said)


@settings(max_examples=60)
@given(kind=st.sampled_from(sorted(KINDS)), place=st.sampled_from(sorted(PLACES)))
def test_every_kind_of_hostile_file_is_refused_in_every_place(
    kind: str, place: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("hostile")
    hostile = folder / ("hostile.json" if place == "catalog import" else "hostile.yaml")
    KINDS[kind](hostile)
    named = {"HOSTILE": str(hostile), **_wrappers(folder, hostile)}
    args = [named.get(a, a) for a in PLACES[place]]
    args = [str(folder / a) if a in ("out.txt", "out.yaml", "plans") else a for a in args]
    before = sorted(p.name for p in folder.iterdir())
    result = invoke_bounded(args, hostile if kind == "fifo" else None)
    if place == "a person's preset":  # one bad person: reported in the summary, with its file
        assert result.exit_code == 1, result.stderr
        assert "internal error" not in result.stderr and "Traceback" not in result.stderr
        summary = json.loads((folder / "plans" / "summary.json").read_text(encoding="utf-8"))
        assert summary["people"][0]["status"] == "invalid", summary
        assert str(hostile) in summary["people"][0]["message"]
        return
    _refused_cleanly(result, args)
    assert str(hostile) in result.stderr, result.stderr  # the message names the file
    after = sorted(p.name for p in folder.iterdir())
    assert after == before, (args, set(after) ^ set(before))  # nothing written


@settings(max_examples=20)
@given(kind=st.sampled_from(["fifo", "folder", "device", "symlink-loop", "huge", "binary"]))
def test_read_bytes_refuses_what_is_not_a_small_regular_file(
    kind: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = tmp_path_factory.mktemp("kind") / "file.yaml"
    KINDS[kind](path)
    box: dict[str, Any] = {}

    def read() -> None:
        try:
            box["text"] = read_text_file(path, "a test file")
        except InputError as exc:
            box["error"] = str(exc)

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    thread.join(SECONDS)
    if thread.is_alive():
        _unblock(path)
        pytest.fail(f"reading a {kind} did not return")
    assert "error" in box, (kind, box)
    assert box["error"].startswith(str(path)), box["error"]


def test_the_kind_of_file_is_named(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.yaml")
    with pytest.raises(InputError, match=r"pipe\.yaml: is a named pipe \(FIFO\), not a catalog"):
        read_bytes(tmp_path / "pipe.yaml", "a catalog")
    with pytest.raises(InputError, match="is a character device"):
        read_bytes("/dev/zero", "a catalog")
    (tmp_path / "dir.yaml").mkdir()
    with pytest.raises(InputError, match="is a directory, not a catalog"):
        read_bytes(tmp_path / "dir.yaml", "a catalog")


def test_a_regular_file_is_read_whole_and_bounded(tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    path.write_bytes(b"\xef\xbb\xbfname: caf\xc3\xa9\n")
    assert read_text_file(path, "a file") == "name: café\n"
    assert read_bytes(path, "a file", limit=100) == path.read_bytes()
    with pytest.raises(InputError, match="at most 4 are read"):
        read_bytes(path, "a file", limit=4)


def test_a_symlink_to_a_regular_file_is_followed(tmp_path: Path) -> None:
    (tmp_path / "real.yaml").write_text("a: 1\n", encoding="utf-8")
    (tmp_path / "link.yaml").symlink_to("real.yaml")
    assert read_text_file(tmp_path / "link.yaml", "a file") == "a: 1\n"


def test_a_symlink_loop_named_without_an_extension_is_a_file_not_a_name(tmp_path: Path) -> None:
    """``-c loop`` names a file that cannot be read, not an unknown built-in catalog."""
    _loop(tmp_path / "loop")
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = invoke_bounded(["make", "-c", "loop"])
    finally:
        os.chdir(cwd)
    _refused_cleanly(result, ["make", "-c", "loop"])
    assert "symbolic links" in result.stderr, result.stderr


def test_closed_standard_input_is_an_input_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(files, "_stdin_taken", None)
    monkeypatch.setattr("sys.stdin", None)
    with pytest.raises(InputError, match="standard input is closed"):
        read_text_file("-", "a catalog")


# ---------------------------------------------------------------------------- batch


def test_a_person_whose_catalog_is_a_fifo_does_not_stop_the_others(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.yaml")
    (tmp_path / "tiny.yaml").write_bytes((FIXTURES / "tiny.yaml").read_bytes())
    people = tmp_path / "people.csv"
    people.write_text(
        f"id,minutes,catalog,equipment\n"
        f"a,12,{tmp_path / 'tiny.yaml'},kettlebell\n"
        f"b,12,{tmp_path / 'pipe.yaml'},kettlebell\n",
        encoding="utf-8",
    )
    out = tmp_path / "plans"
    result = invoke_bounded(["batch", str(people), "-o", str(out), "-w", "0", "--quiet"])
    assert result.exit_code == 1, result.stderr
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    status = {p["id"]: p["status"] for p in summary["people"]}
    assert status == {"a": "ok", "b": "invalid"}, summary
    assert "named pipe" in summary["people"][1]["message"]


def test_a_fifo_where_an_output_was_does_not_hang_the_rerun(tmp_path: Path) -> None:
    (tmp_path / "tiny.yaml").write_bytes((FIXTURES / "tiny.yaml").read_bytes())
    people = tmp_path / "people.csv"
    people.write_text(
        f"id,minutes,catalog,equipment\na,12,{tmp_path / 'tiny.yaml'},kettlebell\n",
        encoding="utf-8",
    )
    out = tmp_path / "plans"
    args = ["batch", str(people), "-o", str(out), "-w", "0", "--quiet"]
    assert invoke_bounded(args).exit_code == 0
    (out / "a.json").unlink()
    os.mkfifo(out / "a.json")
    result = invoke_bounded(args, out / "a.json")
    assert result.exit_code == 1, result.stderr  # it cannot be replaced, and says so
    assert "internal error" not in result.stderr


# ---------------------------------------------------------------------------- JSON


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("[" * 100_000, "nested more than"),
        ("[" * 70 + "]" * 70, "nested more than"),
        ('{"a": ' * 3000 + "1" + "}" * 3000, "nested more than"),
        ("[" + "9" * 5000 + "]", "5000 digits"),
        ("[-" + "9" * 200 + "]", "200 digits"),
        ("[1e999]", "too large"),
        ("[" + "1" * 500 + ".5]", "characters"),
        ("[NaN]", "not a JSON number"),
        ("[Infinity]", "not a JSON number"),
        ('{"a": 1,}', "not JSON"),
    ],
)
def test_hostile_json_is_an_input_error(text: str, says: str) -> None:
    with pytest.raises(InputError, match=says) as raised:
        parse_json(text, "x.json")
    assert str(raised.value).startswith("x.json")


@settings(max_examples=30)
@given(depth=st.integers(1, 3000), digits=st.integers(1, 6000))
def test_json_of_any_depth_or_number_length_is_data_or_an_input_error(
    depth: int, digits: int
) -> None:
    text = "[" * depth + "7" * digits + "]" * depth
    try:
        data = parse_json(text, "x.json")
    except InputError as exc:
        assert str(exc).startswith("x.json: ")
    else:
        assert depth <= 64 and digits <= 100
        for _ in range(depth):
            data = data[0]
        assert data == int("7" * digits)


def test_catalog_import_of_hostile_json_names_the_file(tmp_path: Path) -> None:
    source = tmp_path / "deep.json"
    source.write_text("[" * 100_000, encoding="utf-8")
    result = invoke_bounded(
        ["catalog", "import", "free-exercise-db", str(source), "-o", str(tmp_path / "o.yaml")]
    )
    _refused_cleanly(result, [])
    assert f"{source}: nested more than" in result.stderr
    assert not (tmp_path / "o.yaml").exists()


# ---------------------------------------------------------------------------- the parse cache


def _nested(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = [value]
    return value


WRONG_SHAPES: list[Any] = [
    "a string",
    ("one",),
    ({"a": 1}, "not a line table"),
    ({"a": {1, 2}}, {}),  # a set: no parse makes one
    ({1: "int key"}, {}),
    ({"a": 1}, {("a",): "one"}),
    ({"a": 1}, {("a",): -3}),
    ({"a": 1}, {"a": 1}),
    ({"a": 1}, {(1.5,): 1}),
    (_nested(80), {}),  # deeper than any parse makes
]


@pytest.mark.parametrize("shape", WRONG_SHAPES, ids=range(len(WRONG_SHAPES)))
def test_a_cache_entry_of_the_wrong_shape_is_parsed_again(shape: Any) -> None:
    import pickle

    from routinegen.sources import parsecache

    text = f"name: shape-{WRONG_SHAPES.index(shape)}\nvalue: 7\n"
    entry = parsecache._entry(text, "shape.yaml")
    assert entry is not None
    entry.parent.mkdir(parents=True, exist_ok=True)
    entry.write_bytes(pickle.dumps(shape))
    document = parsecache.cached_parse(text, "shape.yaml")
    assert document.data == {"name": f"shape-{WRONG_SHAPES.index(shape)}", "value": 7}
    assert document.line(("value",)) == 2


def test_a_fifo_in_the_cache_is_not_read(tmp_path: Path) -> None:
    from routinegen.sources import parsecache

    text = "name: fifo-in-cache\n"
    entry = parsecache._entry(text, "f.yaml")
    assert entry is not None
    entry.parent.mkdir(parents=True, exist_ok=True)
    entry.unlink(missing_ok=True)
    os.mkfifo(entry)
    box: dict[str, Any] = {}
    thread = threading.Thread(
        target=lambda: box.update(doc=parsecache.cached_parse(text, "f.yaml")), daemon=True
    )
    thread.start()
    thread.join(SECONDS)
    if thread.is_alive():
        _unblock(entry)
        pytest.fail("a FIFO in the cache made the read hang")
    assert box["doc"].data == {"name": "fifo-in-cache"}


@pytest.mark.parametrize("length", [40, 1500])
def test_a_long_include_chain_is_an_input_error_not_a_recursion_error(
    length: int, tmp_path: Path
) -> None:
    from routinegen.catalog import load_catalog

    (tmp_path / "c0.yaml").write_bytes((FIXTURES / "tiny.yaml").read_bytes())
    for i in range(1, length):
        (tmp_path / f"c{i}.yaml").write_text(
            f"name: c{i}\ninclude: [c{i - 1}.yaml]\nexercises: []\n", encoding="utf-8"
        )
    with pytest.raises(InputError, match=r"c\d+\.yaml:2: include: includes nest more than 32"):
        load_catalog(tmp_path / f"c{length - 1}.yaml")
    assert load_catalog(tmp_path / "c20.yaml").exercises  # a reasonable chain still loads
