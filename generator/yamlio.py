"""Reading YAML files: bounded file reads, and documents that keep the line of every value.

The parsing itself (``yamlparse``) imports the YAML library, which a command that reads its
catalog from the cache (``parsecache``) never needs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from routinegen.errors import InputError

MAX_BYTES = 32 * 1024 * 1024

Path_ = tuple[str | int, ...]


@dataclass
class Document:
    """Plain Python data read from YAML, with the line of every value for error messages."""

    source: str
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)

    def line(self, path: Path_) -> int | None:
        """The line of ``path``, or of its nearest parent that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get(())

    def error(self, path: Path_, message: str) -> InputError:
        """An InputError naming the file, the line and the field."""
        line = self.line(path)
        where = f"{self.source}:{line}" if line else self.source
        name = dotted(path)
        return InputError(f"{where}: {name + ': ' if name else ''}{message}")


def dotted(path: Path_) -> str:
    """``("exercises", 3, "reps")`` -> ``exercises[3].reps``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


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
    """A spec naming a file rather than a built-in: ``x.yaml``, ``dir/x`` or an existing file."""
    return spec.endswith((".yaml", ".yml")) or "/" in spec or Path(spec).exists()


def read_named_yaml(spec: str, named: dict[str, Traversable], what: str) -> Document:
    """Parse a built-in ``what`` (preset, split...) by name, or a YAML file by path."""
    if spec in named:
        return parse_yaml(named[spec].read_text(encoding="utf-8"), f"{what} {spec}")
    if looks_like_path(spec):
        return read_yaml_file(spec)
    raise InputError(f"unknown {what} {spec!r}; built-in {what}s: {', '.join(named)}")


def read_yaml_file(path: Path | str, cached: bool = False) -> Document:
    """Read and parse a YAML file, refusing what is too large or not readable."""
    return parse_yaml(read_text_file(path, "a YAML file"), str(path), cached)


def read_text_file(path: Path | str, what: str) -> str:
    """A UTF-8 text file (a leading BOM dropped), read boundedly; InputError otherwise.

    ``what`` names the kind of file for the directory error, e.g. "a people file".
    """
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


def parse_yaml(text: str, source: str, cached: bool = False) -> Document:
    """Parse one YAML document strictly; errors name ``source`` and the line.

    ``cached``: reuse the parse of the same text from an earlier command (``parsecache``).
    """
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise InputError(f"{source}: larger than {MAX_BYTES} bytes")
    if cached:
        from routinegen.parsecache import cached_parse

        return cached_parse(text, source)
    from routinegen.yamlparse import parse

    return parse(text, source)
