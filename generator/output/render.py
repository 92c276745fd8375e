"""The one exporter path: a result rendered by a plugin, its output checked, failures blamed.

The CLI and batch workers both render through ``render``, so a plugin that raises, or returns
something other than text or bytes, is reported the same way wherever it runs, by name and
before anything is written.
"""

from __future__ import annotations

from routinegen.errors import RoutinegenError
from routinegen.exporter import Exporter, Options, RenderContext, Result
from routinegen.registry import one_line


class RenderError(RoutinegenError):
    """An exporter plugin failed; the message names it and its distribution."""


def render(
    exporter: Exporter,
    result: Result,
    options: Options,
    context: RenderContext,
    *,
    where: str,
) -> bytes:
    """``exporter``'s output for ``result`` as bytes (text is written as UTF-8).

    ``options`` come from ``exporter.parse_options`` (checked before solving); ``where``
    names the plugin for the message, e.g. "plugin 'csv' from routinegen-csv 0.1".
    """
    try:
        rendered = exporter.render(result, options, context)
        if isinstance(rendered, str):
            rendered = rendered.encode("utf-8")
    except Exception as exc:
        raise RenderError(
            f"the {exporter.name} exporter ({where}) failed: {one_line(exc)}"
        ) from None
    if not isinstance(rendered, bytes):
        raise RenderError(
            f"the {exporter.name} exporter ({where}) returned {type(rendered).__name__}, "
            "not str or bytes"
        )
    return rendered
