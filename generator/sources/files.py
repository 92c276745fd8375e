"""Reading files: bounded reads of text and YAML, built-in resources found by name.

The parsing itself (``yamlparse``) imports the YAML library, which a command that reads its
catalog from the cache (``parsecache``) never needs.
"""

from __future__ import annotations

import sys
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from routinegen.errors import InputError
from routinegen.sources.document import Document

MAX_BYTES = 32 * 1024 * 1024
STDIN = "-"  # a file argument that means standard input, as in most command-line tools
STDIN_LABEL = "<stdin>"  # how messages name it
# The standard input last read, and as what: a stream can be read only once.
_stdin_taken: tuple[object, str] | None = None


def packaged_yaml(package: str, folder: str = "") -> dict[str, Traversable]:
    """The YAML files shipped in ``package`` (or its ``folder``): name -> file."""
    root = resources.files(package)
    if folder:
        root = root.joinpath(folder)
    return {
        entry.name.removesuffix(".yaml"): entry
        for entry in sorted(root.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".yaml")
    }


def looks_like_path(spec: str) -> bool:
    """A spec naming a file rather than a built-in: ``x.yaml``, ``dir/x``, an existing file or
    ``-`` (standard input)."""
    return spec == STDIN or spec.endswith((".yaml", ".yml")) or "/" in spec or Path(spec).exists()


def read_named_yaml(spec: str, named: dict[str, Traversable], what: str) -> Document:
    """Parse a built-in ``what`` (preset, split...) by name, or a YAML file by path."""
    if spec in named:
        return parse_yaml(named[spec].read_text(encoding="utf-8"), f"{what} {spec}")
    if looks_like_path(spec):
        return read_yaml_file(spec, what=f"a {what} file")
    raise InputError(f"unknown {what} {spec!r}; built-in {what}s: {', '.join(named)}")


def read_yaml_file(path: Path | str, cached: bool = False, what: str = "a YAML file") -> Document:
    """Read and parse a YAML file, refusing what is too large or not readable."""
    source = STDIN_LABEL if str(path) == STDIN else str(path)
    return parse_yaml(read_text_file(path, what), source, cached)


def read_text_file(path: Path | str, what: str) -> str:
    """A UTF-8 text file (a leading BOM dropped), read boundedly; InputError otherwise.

    ``what`` names the kind of file for the directory error, e.g. "a people file". ``-`` reads
    standard input, with the same bound, once per process.
    """
    if str(path) == STDIN:
        return _read_stdin(what)
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(f"{path}: file is {size} bytes; at most {MAX_BYTES} are read")
        with path.open("rb") as handle:  # bounded: a pipe or /dev/zero has no size to check
            raw = handle.read(MAX_BYTES + 1)
        if len(raw) > MAX_BYTES:
            raise InputError(f"{path}: more than {MAX_BYTES} bytes; at most {MAX_BYTES} are read")
        return raw.decode("utf-8-sig")
    except InputError:
        raise
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not {what}") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None


def _read_stdin(what: str) -> str:
    global _stdin_taken
    if _stdin_taken is not None and _stdin_taken[0] is sys.stdin:
        raise InputError(
            f"{STDIN_LABEL}: standard input was already read as {_stdin_taken[1]}; "
            "only one file can be -"
        )
    _stdin_taken = (sys.stdin, what)
    try:
        raw = sys.stdin.buffer.read(MAX_BYTES + 1)
    except OSError as exc:
        raise InputError(f"{STDIN_LABEL}: cannot read ({exc.strerror})") from None
    if len(raw) > MAX_BYTES:
        raise InputError(
            f"{STDIN_LABEL}: more than {MAX_BYTES} bytes; at most {MAX_BYTES} are read"
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{STDIN_LABEL}: not UTF-8 text ({exc.reason})") from None


def sniff_suffix(text: str) -> str:
    """``.csv`` or ``.yaml`` for text read without a file name: CSV when its first line that
    is not blank or a ``#`` comment has no ``:`` (a CSV header never has one, YAML's first
    key always does)."""
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            return ".yaml" if ":" in line else ".csv"
    return ".yaml"


def parse_yaml(text: str, source: str, cached: bool = False) -> Document:
    """Parse one YAML document strictly; errors name ``source`` and the line.

    ``cached``: reuse the parse of the same text from an earlier command (``parsecache``).
    """
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise InputError(f"{source}: larger than {MAX_BYTES} bytes")
    if cached:
        from routinegen.sources.parsecache import cached_parse

        return cached_parse(text, source)
    from routinegen.sources.yamlparse import parse

    return parse(text, source)
