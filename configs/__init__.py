"""Presets shipped with routinegen (YAML, read with importlib.resources)."""
