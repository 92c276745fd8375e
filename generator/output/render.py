"""The one exporter path: a result rendered by a plugin, its output checked, failures blamed.

The CLI and batch workers both render through ``render``, so a plugin that raises, or returns
something other than text or bytes, is reported the same way wherever it runs, by name and
before anything is written.
"""

from __future__ import annotations

from routinegen.errors import RoutinegenError
from routinegen.exporter import Exporter, Options, RenderContext, Result, is_interrupt, one_line


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
            return str.encode(rendered, "utf-8")  # str's own: a subclass's may do anything
        if isinstance(rendered, bytes):
            return bytes(rendered)
        kind = type(rendered).__name__
    except BaseException as exc:
        # Any exception a plugin raises (SystemExit and KeyboardInterrupt included) is its
        # failure; only a real Ctrl-C or SIGTERM goes through.
        if is_interrupt(exc):
            raise
        raise RenderError(
            f"the {exporter.name} exporter ({where}) failed: {one_line(exc)}"
        ) from None
    raise RenderError(f"the {exporter.name} exporter ({where}) returned {kind}, not str or bytes")
