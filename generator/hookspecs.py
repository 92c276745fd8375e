"""The hooks a plugin may implement; the contract between routinegen and every exporter.

A plugin is a module (or object) with functions marked ``@hookimpl``, found through the
``routinegen`` entry-point group: the built-in text, json and ical exporters come in exactly
that way. Hook names are prefixed so a plugin module can hold other helpers freely.
"""

from __future__ import annotations

from collections.abc import Callable

import pluggy

from routinegen.exporter import Exporter

PROJECT = "routinegen"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def routinegen_register_exporters(register: Callable[[Exporter], None]) -> None:
    """Call ``register(Exporter(...))`` once for each output format this plugin provides."""
