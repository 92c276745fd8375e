"""The JSON Schema of catalog files (draft 2020-12), shipped beside the built-in catalogs so
that their ``# yaml-language-server: $schema=catalog.schema.json`` line resolves both in a
checkout and in an installed package. Editors use it for completion; the loader remains the
judge (it also checks declared ids, min <= max and weights against the listed muscles)."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

SCHEMA_PACKAGE, SCHEMA_FILE = "routinegen.catalogs", "catalog.schema.json"


def catalog_schema() -> dict[str, Any]:
    """The catalog file schema as a mapping."""
    text = resources.files(SCHEMA_PACKAGE).joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema
