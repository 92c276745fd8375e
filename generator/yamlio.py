"""Strict YAML reading: safe, YAML 1.2 scalars, no duplicate keys, and a line for every value.

PyYAML resolves plain scalars by YAML 1.1 rules, where ``no`` is false and ``1:30`` is 90.
We compose the document into nodes with the safe (C when available) loader and build the
values ourselves by YAML 1.2 core rules, so a surprise stays a string and the schema check
rejects it with its line instead of silently coercing it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml

from routinegen.errors import InputError

try:  # libyaml is ten times faster and ships in PyYAML's wheels
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

_BYTE_POSITIONS = _Loader.__name__ == "CSafeLoader"  # libyaml's reader errors count bytes

MAX_BYTES = 32 * 1024 * 1024
MAX_NODES = 500_000  # guards against alias ("billion laughs") expansion
MAX_DEPTH = 64  # catalogs nest four levels deep; anything near this is an attack or a mistake

Path_ = tuple[str | int, ...]

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INT = re.compile(r"^[-+]?(?:[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
_FLOAT = re.compile(
    r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)
_STANDARD_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp", "binary")
}


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


def read_yaml_file(path: Path | str) -> Document:
    """Read and parse a YAML file, refusing what is too large or not readable."""
    return parse_yaml(read_text_file(path, "a YAML file"), str(path))


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


def parse_yaml(text: str, source: str) -> Document:
    """Parse one YAML document strictly; errors name ``source`` and the line."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise InputError(f"{source}: larger than {MAX_BYTES} bytes")
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f":{mark.line + 1}" if mark else ""
        problem = " ".join(str(exc.problem or exc).split())  # one line, always
        raise InputError(f"{source}{line}: not valid YAML: {problem}") from None
    except yaml.reader.ReaderError as exc:  # a control character: no mark, but a position
        row = None
        if isinstance(exc.position, int) and _BYTE_POSITIONS:
            row = text.encode("utf-8", "surrogatepass")[: exc.position].count(b"\n") + 1
        elif isinstance(exc.position, int):
            row = text[: exc.position].count("\n") + 1
        where = f"{source}:{row}" if row else source
        char = f"#x{exc.character:04x}" if isinstance(exc.character, int) else repr(exc.character)
        raise InputError(f"{where}: not valid YAML: unacceptable character {char}") from None
    except yaml.YAMLError as exc:
        raise InputError(f"{source}: not valid YAML: {' '.join(str(exc).split())}") from None
    except (UnicodeEncodeError, UnicodeDecodeError) as exc:  # a lone surrogate in the str
        raise InputError(f"{source}: not valid YAML: {exc.reason}") from None
    doc = Document(source, None)
    if node is None:
        return doc
    budget = iter(range(MAX_NODES))
    doc.data = _build(node, (), doc, budget, ())
    return doc


def _build(
    node: yaml.Node, path: Path_, doc: Document, budget: Iterator[int], parents: tuple[int, ...]
) -> Any:
    if id(node) in parents:
        raise doc.error(path, "a recursive alias (an anchor used inside itself); refused")
    if len(parents) > MAX_DEPTH:
        raise doc.error(path, f"nested more than {MAX_DEPTH} levels deep; refused")
    parents = (*parents, id(node))
    if next(budget, None) is None:
        raise doc.error(path, f"more than {MAX_NODES} values (alias expansion?); refused")
    doc.lines.setdefault(path, node.start_mark.line + 1)
    if node.tag not in _STANDARD_TAGS:
        raise doc.error(path, f"unsupported YAML tag {node.tag}")
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = _build(key_node, path, doc, budget, parents)
            if not isinstance(key, str):
                key = str(key)
            if key in out:
                line = key_node.start_mark.line + 1
                raise InputError(f"{doc.source}:{line}: {dotted((*path, key))}: duplicate key")
            doc.lines[(*path, key)] = key_node.start_mark.line + 1
            out[key] = _build(value_node, (*path, key), doc, budget, parents)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*path, i), doc, budget, parents) for i, item in enumerate(node.value)]
    if not isinstance(node, yaml.ScalarNode):  # pragma: no cover - the composer makes no other
        raise doc.error(path, f"unsupported YAML node {type(node).__name__}")
    try:
        return _scalar(node)
    except ValueError:  # an integer too long for int() (over 4300 digits)
        raise doc.error(path, f"number too long: {node.value[:20]}...") from None


def _scalar(node: yaml.ScalarNode) -> Any:
    """Resolve a scalar by YAML 1.2 core rules; quoted scalars are always strings."""
    value: str = node.value
    if node.style:  # quoted or block: always a string (quote a plain scalar to keep it one)
        return value
    if _NULL.match(value):
        return None
    if _BOOL.match(value):
        return value.lower() == "true"
    if _INT.match(value):
        return int(value, 0) if value.lstrip("+-")[:2] in ("0o", "0x") else int(value)
    if _FLOAT.match(value):
        special = value.lower().replace(".", "", 1)
        return float(special if special.lstrip("+-") in ("inf", "nan") else value)
    return value
