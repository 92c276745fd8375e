"""Strict YAML: YAML 1.2 scalars, lines in every error, and no way to blow it up."""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

import pytest

from routinegen.errors import InputError
from routinegen.sources.document import dotted
from routinegen.sources.files import parse_yaml, read_yaml_file


def test_yaml11_surprises_stay_strings() -> None:
    doc = parse_yaml("a: no\nb: 1:30\nc: yes\nd: off\ne: on\nf: y\ng: 2026-11-30\n", "t.yaml")
    assert doc.data == {
        "a": "no",
        "b": "1:30",
        "c": "yes",
        "d": "off",
        "e": "on",
        "f": "y",
        "g": "2026-11-30",
    }


def test_yaml12_core_scalars() -> None:
    doc = parse_yaml(
        "t: true\nf: False\nn: ~\ne:\ni: 12\nneg: -3\nz: 012\nh: 0x1A\nx: 1.5\nq: '3'\n", "t"
    )
    assert doc.data == {
        "t": True,
        "f": False,
        "n": None,
        "e": None,
        "i": 12,
        "neg": -3,
        "z": 12,
        "h": 26,
        "x": 1.5,
        "q": "3",
    }
    assert type(doc.data["i"]) is int


def test_yaml12_numbers_that_yaml11_does_not_know() -> None:
    doc = parse_yaml("a: 1e3\nb: 0o17\n", "t.yaml")
    assert doc.data == {"a": 1000.0, "b": 15}


def test_lines_are_recorded() -> None:
    doc = parse_yaml("top:\n  list:\n    - one\n    - two\n  key: v\n", "t.yaml")
    assert doc.line(("top",)) == 1
    assert doc.line(("top", "list", 1)) == 4
    assert doc.line(("top", "key")) == 5
    assert doc.line(("top", "missing")) == 1  # nearest parent
    assert dotted(("exercises", 3, "reps")) == "exercises[3].reps"


def test_duplicate_key_names_line() -> None:
    with pytest.raises(InputError, match=r"^t\.yaml:4: a\.b: duplicate key$"):
        parse_yaml("a:\n  b: 1\n  c: 2\n  b: 3\n", "t.yaml")


def test_bad_yaml_names_line() -> None:
    with pytest.raises(InputError, match=r"^t\.yaml:3: not valid YAML"):
        parse_yaml("a: 1\nb: [1, 2\nc: 3\n", "t.yaml")


def test_tab_indentation_names_line() -> None:
    with pytest.raises(InputError, match=r"^t\.yaml:2: not valid YAML"):
        parse_yaml("a:\n\tb: 1\n", "t.yaml")


@pytest.mark.parametrize(
    "text",
    [
        "a: !!python/object:os.system x\n",
        "a: !!python/name:os.system\n",
        "a: !custom x\n",
        "a: &x {k: 1}\nb:\n  <<: *x\n",  # merge keys are a YAML 1.1 feature
    ],
)
def test_unsupported_tags_refused(text: str) -> None:
    with pytest.raises(InputError, match="unsupported YAML tag"):
        parse_yaml(text, "t.yaml")


def test_second_document_refused() -> None:
    with pytest.raises(InputError, match=r"t\.yaml:2: not valid YAML"):
        parse_yaml("a: 1\n---\nb: 2\n", "t.yaml")


def test_empty_document_is_none() -> None:
    assert parse_yaml("# nothing\n", "t.yaml").data is None


def test_billion_laughs_refused_quickly() -> None:
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    previous = "a"
    for name in "bcdefghi":  # 9**9 strings once expanded
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
        previous = name
    started = time.perf_counter()
    with pytest.raises(InputError, match=r"alias expansion.*refused") as info:
        parse_yaml("\n".join(lines) + "\n", "bomb.yaml")
    assert time.perf_counter() - started < 15
    assert str(info.value).startswith("bomb.yaml:")


def test_recursive_alias_refused() -> None:
    with pytest.raises(InputError):
        parse_yaml("a: &a [*a]\n", "t.yaml")


def test_deep_nesting_refused_or_read() -> None:
    depth = 500
    with contextlib.suppress(InputError):
        parse_yaml("a: " + "[" * depth + "]" * depth + "\n", "t.yaml")


def test_read_yaml_file_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_yaml_file(tmp_path / "missing.yaml")
    with pytest.raises(InputError, match="is a directory"):
        read_yaml_file(tmp_path)
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(b"name: caf\xe9\n")
    with pytest.raises(InputError, match="not UTF-8"):
        read_yaml_file(latin)
    good = tmp_path / "good.yaml"
    good.write_text("a: [1, 2]\n", encoding="utf-8")
    doc = read_yaml_file(good)
    assert doc.data == {"a": [1, 2]}
    assert doc.source == str(good)
