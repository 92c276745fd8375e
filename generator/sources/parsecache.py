"""Parsed catalog files, kept between commands: parsing YAML is the slow part of loading one.

Measured, loading included: the built-in full-body catalog takes 18 ms (the YAML library's
import included), a 684-exercise imported catalog 60 ms; from the cache, 5 ms and 11 ms
(what remains is validation), and the YAML library is never imported.

An entry is the parsed document, its data and the line of every value, so a catalog that
fails validation still names the line. It is keyed by a hash of the text, the name the
text was read under and the parser's own source, so an edited file or a changed parser
never meets an old entry. Entries are written atomically and only hold plain data, read
back by an unpickler that refuses everything else. The cache is an optimisation and never
a failure: an entry that cannot be read is parsed again and replaced, and a folder that
cannot be written is simply not used.

Where: ``ROUTINEGEN_CACHE_DIR``, else the platform's user cache folder (on Linux
``~/.cache/routinegen``). ``ROUTINEGEN_NO_CACHE=1`` switches it off. Deleting the folder
is always safe.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

from routinegen.sources.document import MAX_DEPTH, Document

CACHE_DIR_ENV = "ROUTINEGEN_CACHE_DIR"
NO_CACHE_ENV = "ROUTINEGEN_NO_CACHE"
FOLDER = "documents"
MAX_ENTRIES = 64  # the oldest go first; a catalog in use costs one parse to come back
_FORMAT = b"routinegen parsed document 1"
_PARSER = Path(__file__).with_name("yamlparse.py")  # its source is part of every key


def cached_parse(text: str, source: str) -> Document:
    """``yamlparse.parse(text, source)``, from the cache when an earlier command parsed it.

    A text that does not parse raises as always, and nothing is cached for it.
    """
    entry = _entry(text, source)
    document = _read(entry, source) if entry is not None else None
    if document is None:
        from routinegen.sources.yamlparse import parse

        document = parse(text, source)
        if entry is not None:
            _write(entry, document)
    return document


def cache_folder() -> Path | None:
    """The folder entries live in, or None when caching is switched off."""
    if os.environ.get(NO_CACHE_ENV, "").strip() not in ("", "0"):
        return None
    root = os.environ.get(CACHE_DIR_ENV)
    if not root:
        from platformdirs import user_cache_dir

        root = user_cache_dir("routinegen", appauthor=False)
    return Path(root) / FOLDER


def _entry(text: str, source: str) -> Path | None:
    """The entry's file, named by a hash of the text, the name it is read under and the
    parser's source; None when caching is off or the parser's source cannot be read."""
    folder = cache_folder()
    if folder is None:
        return None
    digest = hashlib.sha256(_FORMAT)
    try:
        digest.update(_PARSER.read_bytes())
    except OSError:
        return None
    for part in (source, text):
        encoded = part.encode("utf-8", "surrogatepass")
        digest.update(len(encoded).to_bytes(8, "big") + encoded)
    return folder / f"{digest.hexdigest()}.pickle"


class _PlainData(pickle.Unpickler):
    """Reads back dicts, lists, tuples, strings and numbers, and refuses any class: loading
    an entry can never run code, whoever wrote the file."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"a cache entry may not name {module}.{name}")


def _read(entry: Path, source: str) -> Document | None:
    """The entry's document, or None when it is missing, damaged or of the wrong shape: an
    entry is trusted no more than any other file (another program may have written it)."""
    from routinegen.errors import InputError
    from routinegen.sources.files import read_bytes

    try:
        raw = read_bytes(entry, "a cache entry")
    except InputError:
        return None
    try:
        loaded = _PlainData(io.BytesIO(raw)).load()
    except Exception:  # a damaged or foreign entry: parse again and replace it
        return None
    if not (isinstance(loaded, tuple) and len(loaded) == 2):
        return None
    data, lines = loaded
    if not _plain(data) or not _line_table(lines):
        return None
    return Document(source, data, lines)


def _plain(value: Any) -> bool:
    """Whether ``value`` is data the YAML parser makes: str-keyed dicts, lists, strings,
    numbers, booleans and None, at most ``MAX_DEPTH`` deep (walked without recursion)."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH + 1:
            return False
        kind = type(item)
        if kind is dict:
            if not all(type(k) is str for k in item):
                return False
            stack.extend((v, depth + 1) for v in item.values())
        elif kind is list:
            stack.extend((v, depth + 1) for v in item)
        elif kind not in (str, int, float, bool, type(None)):
            return False
    return True


def _line_table(lines: Any) -> bool:
    """Whether ``lines`` maps paths (tuples of keys and indexes) to positive line numbers."""
    return type(lines) is dict and all(
        type(path) is tuple
        and all(type(part) in (str, int) for part in path)
        and type(line) is int
        and line > 0
        for path, line in lines.items()
    )


def _write(entry: Path, document: Document) -> None:
    """Write ``entry`` atomically, then drop the oldest entries beyond ``MAX_ENTRIES``."""
    payload = pickle.dumps((document.data, document.lines), protocol=pickle.HIGHEST_PROTOCOL)
    folder = entry.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(payload)
            os.replace(temporary, entry)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        _prune(folder)
    except OSError:  # read-only or full: this command simply does without the cache
        return


def _prune(folder: Path) -> None:
    entries = []
    for path in folder.glob("*.pickle"):
        try:
            entries.append((path.stat().st_mtime_ns, path.name, path))
        except OSError:  # removed by another process meanwhile
            continue
    for *_, path in sorted(entries)[: max(0, len(entries) - MAX_ENTRIES)]:
        path.unlink(missing_ok=True)
