"""Settings: raw option values that remember where they came from, and presets of them.

A flag's origin is its name (``--minutes``), a preset's is its file and line, so an error
found later against the catalog still points at the culprit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from routinegen.sources.files import packaged_yaml, read_named_yaml


@dataclass(frozen=True)
class Setting:
    """A raw value and where it came from, e.g. ``--minutes`` or ``back-15.yaml:2: minutes``."""

    value: Any
    origin: str


Settings = Mapping[str, Setting]


# ---------------------------------------------------------------------------- presets

# Options of ``routinegen week`` only (``make`` ignores them in a preset).
PLAN_KEYS = {
    "days",
    "weeks",
    "time",
    "split",
    "recovery_hours",
    "max_repeats",
    "progression",
    "deload",
    "volume",
}
PRESET_KEYS = {
    "minutes",
    "equipment",
    "focus",
    "level",
    "rounds",
    "exercises",
    "exclude",
    "keep",
    "seed",
    "catalog",
    "min_fill",
    "rest",
    "round_rest",
    "time_limit",
    "start",
    "tz",
    "goal",
    "avoid",
    "warmup",
    "cooldown",
    "description",
    *PLAN_KEYS,
}


def builtin_presets() -> dict[str, resources.abc.Traversable]:
    """Built-in preset name -> file, read from the installed package."""
    return packaged_yaml("routinegen.configs")


def load_preset(spec: str) -> dict[str, Setting]:
    """Read a preset by built-in name or path into settings that remember their line."""
    doc = read_named_yaml(spec, builtin_presets(), "preset")
    if doc.data is None:
        return {}
    if not isinstance(doc.data, dict):
        raise doc.error((), "a preset must be a mapping of option names to values")
    settings: dict[str, Setting] = {}
    for key, value in doc.data.items():
        if key not in PRESET_KEYS:
            raise doc.error(
                (key,), f"unknown option; expected one of {', '.join(sorted(PRESET_KEYS))}"
            )
        settings[key] = Setting(value, f"{doc.source}:{doc.line((key,))}: {key}")
    return settings
