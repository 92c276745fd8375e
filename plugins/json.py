"""The ``json`` exporter: the versioned document, for programs rather than people.

A routine gives a document of kind ``routine``, a weekly plan one of kind ``plan``; both
follow ``routine.schema.json`` and ``to_document`` tells them apart.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from routinegen.exporter import Exporter, Option, Result
from routinegen.hookspecs import hookimpl
from routinegen.output.document import to_document


def render(result: Result, options: Mapping[str, Any]) -> str:
    """Serialise ``to_document``; key order is fixed there, so equal results give equal bytes."""
    indent = int(options.get("indent", 2))
    if indent < 0:
        raise ValueError(f"indent must be 0 or more, got {indent}")
    return json.dumps(to_document(result), indent=indent, ensure_ascii=False) + "\n"


EXPORTER = Exporter(
    name="json",
    extension="json",
    media_type="application/json",
    render=render,
    description="Versioned JSON document of a routine or a plan (schema: routine.schema.json).",
    options=(Option("indent", int, 2, "spaces per indentation level"),),
)


@hookimpl
def routinegen_register_exporters(register: Callable[[Exporter], None]) -> None:
    """Offer the JSON format to routinegen."""
    register(EXPORTER)
