"""The hooks a plugin may implement: the contract between routinegen and every plugin.

A plugin is a module (or object) with functions marked ``@hookimpl``, found through the
``routinegen`` entry-point group: the built-in text, json and ical exporters come in exactly
that way. Hook names are prefixed so a plugin module can hold other helpers freely. Each hook
receives a ``register`` callback rather than returning values, so routinegen can check and
attribute every registration to its plugin. docs/plugins.md has one reference entry per hook.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from importlib.resources.abc import Traversable
from typing import TYPE_CHECKING, TypeAlias

import pluggy

from routinegen.exporter import Exporter

if TYPE_CHECKING:
    import click

PROJECT = "routinegen"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)

# Where a catalog's YAML is: a file path, or a resource inside a package (importlib.resources).
CatalogSource: TypeAlias = Traversable | str | os.PathLike[str]


@hookspec
def routinegen_register_exporters(register: Callable[[Exporter], None]) -> None:
    """Call ``register(Exporter(...))`` once for each output format this plugin provides.

    The exporter's ``name`` is what ``--format`` takes; its ``extension`` lets ``-o file.ext``
    pick it. A name two plugins claim is an error only when it is used.
    """


@hookspec
def routinegen_register_catalogs(register: Callable[[str, CatalogSource], None]) -> None:
    """Call ``register(name, source)`` for each exercise catalog this plugin ships.

    ``source`` is the catalog's YAML file, best ``importlib.resources.files(__package__) /
    "name.yaml"`` so it works from wheels and zips. ``catalog list`` then lists it and
    ``--catalog name`` finds it; a built-in catalog's name cannot be taken.
    """


@hookspec
def routinegen_register_commands(register: Callable[[click.Command], None]) -> None:
    """Call ``register(command)`` for each command this plugin adds to ``routinegen``.

    ``command`` is a click command (a typer app's is ``typer.main.get_command(app)``); its
    name is the word after ``routinegen``. A built-in command's name cannot be taken.
    """
