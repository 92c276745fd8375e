"""Reading files: bounded reads of text and YAML, built-in resources found by name.

The parsing itself (``yamlparse``) imports the YAML library, which a command that reads its
catalog from the cache (``parsecache``) never needs.
"""

from __future__ import annotations

import os
import stat
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
    return spec == STDIN or spec.endswith((".yaml", ".yml")) or "/" in spec or os.path.lexists(spec)


def read_named_yaml(spec: str, named: dict[str, Traversable], what: str) -> Document:
    """Parse a built-in ``what`` (preset, split...) by name, or a YAML file by path."""
    if spec in named:
        source = f"{what} {spec}"
        return parse_yaml(read_resource(named[spec], source), source)
    if looks_like_path(spec):
        return read_yaml_file(spec, what=f"a {what} file")
    raise InputError(f"unknown {what} {spec!r}; built-in {what}s: {', '.join(named)}")


def read_yaml_file(path: Path | str, cached: bool = False, what: str = "a YAML file") -> Document:
    """Read and parse a YAML file, refusing what is too large or not readable."""
    source = STDIN_LABEL if str(path) == STDIN else str(path)
    return parse_yaml(read_text_file(path, what), source, cached)


def read_text_file(path: Path | str, what: str) -> str:
    """A UTF-8 text file (a leading BOM dropped), read boundedly; InputError otherwise.

    ``what`` names the kind of file for messages, e.g. "a people file". ``-`` reads standard
    input, with the same bound, once per process. Only a regular file is read: a FIFO would
    block forever and a device (``/dev/zero``) never ends, so both are refused unopened.
    """
    if str(path) == STDIN:
        return _decode(_read_stdin(what), STDIN_LABEL, what)
    return _decode(read_bytes(path, what), str(path), what)


def read_bytes(path: Path | str, what: str, limit: int = MAX_BYTES) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them; InputError otherwise.

    Every file routinegen reads goes through here. The kind of file is checked before it is
    opened (opening a FIFO waits for a writer) and again on the open descriptor, which is
    opened non-blocking, so a file swapped in between cannot make the read hang either.
    """
    path = Path(path)
    try:
        _check_kind(path, os.stat(path).st_mode, what)
        fd = os.open(path, _OPEN_FLAGS)
        try:
            info = os.fstat(fd)
            _check_kind(path, info.st_mode, what)
            if info.st_size > limit:
                raise InputError(f"{path}: file is {info.st_size} bytes; at most {limit} are read")
            os.set_blocking(fd, True)
            chunks: list[bytes] = []
            size = 0
            while size <= limit:
                chunk = os.read(fd, min(1 << 20, limit + 1 - size))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
        finally:
            os.close(fd)
    except InputError:
        raise
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not {what}") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if size > limit:  # it grew while being read
        raise InputError(f"{path}: more than {limit} bytes; at most {limit} are read")
    return b"".join(chunks)


def read_resource(entry: Traversable, source: str, what: str = "a YAML file") -> str:
    """A packaged (or plugin-shipped) file's text, through the same bound and kind check as
    any other file; ``source`` names it in messages."""
    if isinstance(entry, Path):
        return _decode(read_bytes(entry, what), source, what)
    try:
        with entry.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except Exception as exc:  # a plugin's Traversable may fail in any way
        raise InputError(f"{source}: cannot read ({type(exc).__name__}: {exc})") from None
    if not isinstance(raw, bytes) or len(raw) > MAX_BYTES:
        raise InputError(f"{source}: not a readable file of at most {MAX_BYTES} bytes")
    return _decode(raw, source, what)


_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _check_kind(path: Path, mode: int, what: str) -> None:
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise InputError(f"{path}: is a directory, not {what}")
    kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    raise InputError(
        f"{path}: is {kind}, not {what}; give a regular file, or - to read standard input"
    )


def _decode(raw: bytes, source: str, what: str) -> str:
    """UTF-8 text; a NUL byte means binary data, which no text format here holds."""
    nul = raw.find(b"\x00")
    if nul >= 0:
        line = raw[:nul].count(b"\n") + 1
        raise InputError(f"{source}:{line}: binary data (a NUL byte), not {what}")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(f"{source}:{line}: not UTF-8 text ({exc.reason})") from None


def _read_stdin(what: str) -> bytes:
    global _stdin_taken
    if _stdin_taken is not None and _stdin_taken[0] is sys.stdin:
        raise InputError(
            f"{STDIN_LABEL}: standard input was already read as {_stdin_taken[1]}; "
            "only one file can be -"
        )
    _stdin_taken = (sys.stdin, what)
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        raise InputError(f"{STDIN_LABEL}: standard input is closed; cannot read {what}")
    try:
        raw = stream.read(MAX_BYTES + 1)
    except OSError as exc:
        raise InputError(f"{STDIN_LABEL}: cannot read ({exc.strerror or exc})") from None
    if len(raw) > MAX_BYTES:
        raise InputError(
            f"{STDIN_LABEL}: more than {MAX_BYTES} bytes; at most {MAX_BYTES} are read"
        )
    return bytes(raw)


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
