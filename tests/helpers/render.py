"""Render with a built-in exporter module as the front ends do: typed options built from
keyword values, and the context of a run now (``SOURCE_DATE_EPOCH`` included)."""

from __future__ import annotations

from types import ModuleType
from typing import Any

from routinegen.exporter import Exporter, RenderContext


def render_with(plugin: ModuleType | Exporter, result: Any, **options: Any) -> str | bytes:
    """``plugin``'s output for ``result``; options not given take their defaults."""
    exporter: Exporter = plugin if isinstance(plugin, Exporter) else plugin.EXPORTER
    typed = exporter.options.build(options, exporter.name)
    return exporter.render(result, typed, RenderContext.now())
