"""Documents read from YAML: plain data that keeps the line of every value.

Its own module so that the parser (``yamlparse``) and the cache (``parsecache``) can build
documents without importing the file reader that calls them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from routinegen.errors import InputError

Path_ = tuple[str | int, ...]
MAX_DEPTH = 64  # catalogs nest four levels deep; anything near this is an attack or a mistake


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
