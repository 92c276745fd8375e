"""Exercise catalogs shipped with routinegen (YAML, read with importlib.resources)."""
