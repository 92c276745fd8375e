"""The parsed-catalog cache: the same catalog with or without it, never a failure, never code."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from routinegen.catalog import load_catalog
from routinegen.errors import InputError
from routinegen.sources import parsecache
from routinegen.sources.yamlparse import parse

FIXTURES = Path(__file__).parent / "fixtures"
TEXT = "name: t\nitems:\n  - a: 1\n    b: [x, 'no', 1.5]\n  - c: ~\n"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder of this test's own; returns where entries go."""
    monkeypatch.setenv(parsecache.CACHE_DIR_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache" / parsecache.FOLDER


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.pickle")) if folder.exists() else []


def forbid_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(text: str, source: str) -> None:
        raise AssertionError(f"{source} was parsed, not read from the cache")

    monkeypatch.setattr("routinegen.sources.yamlparse.parse", refuse)


def test_a_cached_document_equals_a_fresh_parse(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = parse(TEXT, "t.yaml")
    first = parsecache.cached_parse(TEXT, "t.yaml")
    assert len(entries(cache)) == 1
    forbid_parsing(monkeypatch)
    again = parsecache.cached_parse(TEXT, "t.yaml")
    for document in (first, again):
        assert (document.source, document.data, document.lines) == (
            fresh.source,
            fresh.data,
            fresh.lines,
        )


@pytest.mark.parametrize("name", ["back", "full-body", str(FIXTURES / "tiny.yaml")])
def test_catalogs_load_the_same_from_the_cache(
    name: str, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(parsecache.NO_CACHE_ENV, "1")
    uncached = load_catalog(name)
    assert entries(cache) == []
    monkeypatch.delenv(parsecache.NO_CACHE_ENV)
    assert load_catalog(name) == uncached
    assert entries(cache)
    forbid_parsing(monkeypatch)
    assert load_catalog(name) == uncached


def test_an_edited_file_is_parsed_again(cache: Path, tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    text = (FIXTURES / "tiny.yaml").read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    before = load_catalog(str(path))
    path.write_text(text.replace("title:", "title: Edited #", 1), encoding="utf-8")
    after = load_catalog(str(path))
    assert after.title.startswith("Edited") and not before.title.startswith("Edited")
    assert len(entries(cache)) == 2


def test_a_validation_error_from_the_cache_still_names_the_line(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = str(FIXTURES / "bad-muscle.yaml")
    with pytest.raises(InputError) as fresh:
        load_catalog(path)
    assert entries(cache)  # the YAML itself is fine, so its parse is kept
    forbid_parsing(monkeypatch)
    with pytest.raises(InputError) as cached:
        load_catalog(path)
    assert str(cached.value) == str(fresh.value)
    assert f"{path}:" in str(cached.value)


def test_yaml_that_does_not_parse_is_not_cached(cache: Path) -> None:
    for _ in range(2):
        with pytest.raises(InputError, match=r"t.yaml:\d+: not valid YAML"):
            parsecache.cached_parse("a: 1\nb: [\n", "t.yaml")
    assert entries(cache) == []


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"not a pickle at all",
        pickle.dumps(["a list", "not a pair"]),
        pickle.dumps(("data", "lines that are not a dict")),
        pickle.dumps((Path("a"), {})),  # names a class: refused, even a harmless one
    ],
)
def test_a_damaged_entry_is_parsed_again_and_replaced(cache: Path, damage: bytes) -> None:
    parsecache.cached_parse(TEXT, "t.yaml")
    (entry,) = entries(cache)
    entry.write_bytes(damage)
    assert parsecache.cached_parse(TEXT, "t.yaml").data == parse(TEXT, "t.yaml").data
    assert entry.read_bytes() != damage


def test_an_entry_cannot_run_code(cache: Path, tmp_path: Path) -> None:
    marker = tmp_path / "ran"

    class Exploit:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.mkdir, (str(marker),))

    parsecache.cached_parse(TEXT, "t.yaml")
    (entry,) = entries(cache)
    entry.write_bytes(pickle.dumps((Exploit(), {})))
    assert pickle.loads(entry.read_bytes()) == (None, {}) and marker.exists()  # a real exploit
    marker.rmdir()
    entry.write_bytes(pickle.dumps((Exploit(), {})))
    assert parsecache.cached_parse(TEXT, "t.yaml").data == parse(TEXT, "t.yaml").data
    assert not marker.exists()  # that the cache refuses to run


def test_an_unwritable_cache_is_done_without(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv(parsecache.CACHE_DIR_ENV, str(blocker))
    assert parsecache.cached_parse(TEXT, "t.yaml").data == parse(TEXT, "t.yaml").data


def test_switched_off_it_writes_nothing(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(parsecache.NO_CACHE_ENV, "1")
    load_catalog("back")
    assert entries(cache) == []


def test_the_oldest_entries_go_beyond_the_limit(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parsecache, "MAX_ENTRIES", 3)
    seen: set[Path] = set()
    for n in range(5):
        parsecache.cached_parse(f"n: {n}\n", "t.yaml")
        (new,) = set(entries(cache)) - seen
        os.utime(new, ns=(n * 10**9, n * 10**9))  # distinct ages, whatever the clock
        seen.add(new)
    assert len(entries(cache)) == 3
    forbid_parsing(monkeypatch)
    assert [parsecache.cached_parse(f"n: {n}\n", "t.yaml").data for n in (2, 3, 4)] == [
        {"n": 2},
        {"n": 3},
        {"n": 4},
    ]
    with pytest.raises(AssertionError, match="was parsed"):
        parsecache.cached_parse("n: 0\n", "t.yaml")


def test_the_same_text_under_another_name_is_its_own_entry(cache: Path) -> None:
    parsecache.cached_parse(TEXT, "a.yaml")
    document = parsecache.cached_parse(TEXT, "b.yaml")
    assert document.source == "b.yaml" and len(entries(cache)) == 2


def test_a_command_reading_from_the_cache_never_imports_yaml(cache: Path) -> None:
    code = (
        "import sys; from routinegen.catalog import load_catalog; "
        "load_catalog('full-body'); print('yaml' in sys.modules)"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.strip()
        for _ in range(2)
    ]
    assert runs == ["True", "False"]  # parsed once, then read back
