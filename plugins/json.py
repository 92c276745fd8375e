"""The ``json`` exporter: the versioned document, for programs rather than people.

A routine gives a document of kind ``routine``, a weekly plan one of kind ``plan``; both
follow ``routine.schema.json`` and ``to_document`` tells them apart.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from routinegen.exporter import Exporter, Options, RenderContext, Result, option
from routinegen.hookspecs import hookimpl
from routinegen.output.document import to_document

MAX_INDENT = 16  # checked before solving; a huge indent only makes a huge file


@dataclass(frozen=True)
class JsonOptions(Options):
    indent: int = option(2, "spaces per indentation level")

    def validate(self) -> None:
        if not 0 <= self.indent <= MAX_INDENT:
            raise ValueError(f"indent must be from 0 to {MAX_INDENT}, got {self.indent}")


def render(result: Result, options: JsonOptions, context: RenderContext) -> str:
    """Serialise ``to_document``; key order is fixed there, so equal results give equal bytes
    (and a reproducible run leaves out the wall time)."""
    document = to_document(result, reproducible=context.reproducible)
    return json.dumps(document, indent=options.indent, ensure_ascii=False) + "\n"


EXPORTER = Exporter(
    name="json",
    extension="json",
    media_type="application/json",
    render=render,
    description="Versioned JSON document of a routine or a plan (schema: routine.schema.json).",
    options=JsonOptions,
)


@hookimpl
def routinegen_register_exporters(register: Callable[[Exporter], None]) -> None:
    """Offer the JSON format to routinegen."""
    register(EXPORTER)
