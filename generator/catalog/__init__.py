"""Exercise catalogs: the records, and loading them from YAML with file and line in errors."""

from routinegen.catalog.loader import (
    DEFAULT_CATALOG,
    builtin_catalogs,
    load_catalog,
    merge_catalogs,
)
from routinegen.catalog.records import BODYWEIGHT, FORMAT, LEVELS, Catalog, Exercise

__all__ = [
    "BODYWEIGHT",
    "DEFAULT_CATALOG",
    "FORMAT",
    "LEVELS",
    "Catalog",
    "Exercise",
    "builtin_catalogs",
    "load_catalog",
    "merge_catalogs",
]
