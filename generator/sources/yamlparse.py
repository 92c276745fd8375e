"""Strict YAML parsing: safe, YAML 1.2 scalars, no duplicate keys, and a line for every value.

PyYAML resolves plain scalars by YAML 1.1 rules, where ``no`` is false and ``1:30`` is 90.
We compose the document into nodes with the safe (C when available) loader and build the
values ourselves by YAML 1.2 core rules, so a surprise stays a string and the schema check
rejects it with its line instead of silently coercing it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import yaml

from routinegen.errors import InputError
from routinegen.sources.document import MAX_DEPTH, Document, Path_, dotted

try:  # libyaml is ten times faster and ships in PyYAML's wheels
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

_BYTE_POSITIONS = _Loader.__name__ == "CSafeLoader"  # libyaml's reader errors count bytes

MAX_NODES = 500_000  # guards against alias ("billion laughs") expansion

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


def parse(text: str, source: str) -> Document:
    """Parse one YAML document strictly; errors name ``source`` and the line."""
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
