"""Writing a catalog mapping as YAML that routinegen reads back exactly (plain scalars only
where YAML 1.2 keeps them strings, flow lists for short lists)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

# ---------------------------------------------------------------------------- YAML


def catalog_yaml(catalog: Mapping[str, Any], comment: Sequence[str] = ()) -> str:
    """The catalog mapping as readable YAML: block mappings, flow lists, safe scalars."""
    out = [f"# {line}".rstrip() for line in comment]
    for key in ("format", "name", "title", "description"):
        if key in catalog:
            out.append(f"{key}: {_scalar(catalog[key])}")
    for key in ("muscles", "equipment"):
        out.append("")
        out.append(f"{key}:" if catalog[key] else f"{key}: {{}}")
        out.extend(f"  {k}: {_scalar(v)}" for k, v in catalog[key].items())
    out.append("")
    out.append("groups:")
    out.extend(f"  {g}: {_flow(m)}" for g, m in catalog["groups"].items())
    out.append("")
    out.append("exercises:")
    for exercise in catalog["exercises"]:
        first = True
        for key, value in exercise.items():
            lead = "  - " if first else "    "
            first = False
            shown = _flow(value) if isinstance(value, list) else _scalar(value)
            out.append(f"{lead}{key}: {shown}")
    return "\n".join(out) + "\n"


_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9 _.,()'+-]*$")
_RESERVED = re.compile(r"^(?:y|n|yes|no|on|off|true|false|null)$", re.IGNORECASE)


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"{value:g}" if isinstance(value, float) else str(value)
    text = str(value)
    if _PLAIN.match(text) and not _RESERVED.match(text) and ": " not in text:
        return text
    return json.dumps(text, ensure_ascii=False)


def _flow(items: Sequence[Any]) -> str:
    return "[" + ", ".join(_flow(i) if isinstance(i, list) else _scalar(i) for i in items) + "]"
