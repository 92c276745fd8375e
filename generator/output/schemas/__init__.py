"""The contracts of routinegen's machine-readable outputs: one versioned JSON Schema each.

Programs read ``summary.json`` and the ``-F json`` listings as well as result documents, so
each has a schema a reader can validate against and a version that says what may change
(docs/schemas.md: a minor version only adds optional fields and values; readers ignore
what they do not know). A schema's ``$id`` carries its major version; each document of
these contracts is a JSON object that names it in ``schema`` and its version in
``schema_version`` (``head``). The result schema is ``routine.schema.json`` and its version
``document.SCHEMA_VERSION``; the catalog file schema belongs to the catalog side and is
listed only when it ships.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

BASE = "https://routinegen.dev/schema/"
# Where the catalog file schema may ship: the catalog code, or beside the built-in catalogs.
CATALOG_SCHEMA_HOMES = ("routinegen.catalog", "routinegen.catalogs")


@dataclass(frozen=True)
class Contract:
    """One schema: where it ships, which version the code writes, and what it describes."""

    name: str
    package: str
    resource: str
    version: str | None  # "major.minor" the code writes; None when the schema's owner says
    describes: str

    def exists(self) -> bool:
        return resources.files(self.package).joinpath(self.resource).is_file()

    def load(self) -> dict[str, Any]:
        text = resources.files(self.package).joinpath(self.resource).read_text(encoding="utf-8")
        schema: dict[str, Any] = json.loads(text)
        return schema


# The contracts this package owns: name -> (version, what it describes). A version bump
# here goes with the schema file ($id and const for a major one, its description) and
# docs/schemas.md.
# exporters, presets and splits 2.0: the listing is an object that names its schema (head)
# and holds the 1.0 array's entries, unchanged, under the listing's name (1.x was the bare
# array, which could not name it).
_OWN = {
    "summary": ("1.0", "summary.json, written by routinegen batch"),
    "exporters": ("2.0", "routinegen exporters -F json"),
    "plugins": ("1.0", "routinegen plugins -F json"),
    "presets": ("2.0", "routinegen presets -F json"),
    "splits": ("2.0", "routinegen splits -F json"),
    "catalog-show": ("1.0", "routinegen catalog show NAME -F json"),
}


def contracts() -> dict[str, Contract]:
    """Every schema that ships, by name, in the order ``schema --list`` prints them."""
    from routinegen.output.document import SCHEMA_RESOURCE, SCHEMA_VERSION

    found = {
        "result": Contract(
            "result",
            "routinegen.output",
            SCHEMA_RESOURCE,
            SCHEMA_VERSION,
            "result documents: make/week -F json, batch's json files",
        )
    }
    for name, (version, describes) in _OWN.items():
        found[name] = Contract(name, __name__, f"{name}.schema.json", version, describes)
    for package in CATALOG_SCHEMA_HOMES:  # written by the catalog side; listed once it ships
        catalog = Contract("catalog", package, "catalog.schema.json", None, "catalog YAML files")
        if catalog.exists():
            found["catalog"] = catalog
            break
    return found


def schema_id(name: str) -> str:
    """The ``$id`` of one of this package's own schemas (major version in the name)."""
    version, _ = _OWN[name]
    return f"{BASE}{name}-{version.split('.')[0]}.json"


def head(name: str) -> dict[str, str]:
    """What a document of the contract ``name`` starts with, naming its schema and version."""
    version, _ = _OWN[name]
    return {"schema": schema_id(name), "schema_version": version}
