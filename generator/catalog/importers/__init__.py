"""Importers: other exercise databases turned into routinegen catalogs.

Each importer is a pure function from the source's parsed records to a catalog mapping (the
YAML catalog format of :mod:`routinegen.catalog`) and a report of what it skipped and why;
the CLI (``routinegen catalog import``) does the file reading and the atomic writing.
"""

from __future__ import annotations

from routinegen.catalog.importers.catalog_yaml import catalog_yaml
from routinegen.catalog.importers.free_exercise_db import (
    ImportReport,
    import_free_exercise_db,
)

SOURCES = ("free-exercise-db",)

__all__ = ["SOURCES", "ImportReport", "catalog_yaml", "import_free_exercise_db"]
