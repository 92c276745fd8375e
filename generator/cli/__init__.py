"""The command line: parses flags, wires catalog, request, solver and exporter together.

One module per command group, each registering on the ``app`` of ``apps``: ``make``,
``week``, ``batch``, ``catalog`` (list, show, import), ``listings`` (exporters, plugins,
presets, splits, schema) and ``shell`` (``--version``, completion). They are imported here in
the order ``--help`` lists the commands. What they share has one module per job: ``apps``
(the apps, exit codes, usage errors), ``options`` (the shared option definitions),
``exporting`` (exporter, rendering, writing), ``clock`` (time zone and local times) and
``running`` (errors to exit codes, stdout, signals).

Heavy modules (the solver above all) are imported inside the commands that need them, so
``--help`` and the listing commands start fast and never load OR-Tools. Annotations are
real objects here, not strings (no ``from __future__ import annotations``): typer reads every
command's signature on each run, and evaluating strings cost 4 ms a command.
"""

import gc
import os
import signal
import sys

import click
import typer

from routinegen.cli.apps import EXIT_INTERRUPTED, app
from routinegen.cli.options import _complete_format
from routinegen.cli.running import Interrupted

# isort: off
# Registration order is the order of `routinegen --help`: do not sort these.
from routinegen.cli import make, swap, week, batch, catalog, listings, shell, serve  # noqa: F401
# isort: on

__all__ = ["_complete_format", "app", "command_for", "main"]

PLUGIN_COMMANDS: dict[str, str] = {}  # a plugin command's name -> its plugin, for errors


def _interrupt(signum: int, frame: object) -> None:
    raise Interrupted


def command_for(args: list[str]) -> click.Group:
    """The command line as click runs it: the built-in commands, and the plugins' commands
    (``routinegen_register_commands``) when ``args`` may need them: no command given (so
    ``--help`` lists them) or one that is not built in. A built-in command never waits for
    the plugins to load, so its start stays as fast as before."""
    group = typer.main.get_command(app)
    assert isinstance(group, click.Group)
    first = args[0] if args else None
    if (
        first is not None
        and (first in group.commands or first.startswith("-"))
        and first not in ("--help",)
    ):
        return group
    from routinegen.cli.exporting import _registry

    registry = _registry()
    for name, claims in sorted(registry.commands.items()):
        owners = [registry.describe(key) for _, key in claims]
        if name in group.commands:
            warning = f"{owners[0]} registered the command {name!r}, a built-in one; ignored"
        elif len(claims) > 1:
            warning = f"the command {name!r} is registered by {' and '.join(owners)}; ignored"
        else:
            group.add_command(claims[0][0], name)
            PLUGIN_COMMANDS[name] = owners[0]
            continue
        typer.echo(f"routinegen: warning: {warning}", err=True)
    return group


def main() -> None:
    """Console entry point: exit 130 on Ctrl-C, and never a traceback unless asked for.

    The cycle collector is off for the command and everything is frozen at exit. A command
    imports some 60,000 objects (OR-Tools brings pandas) that all live until exit; the
    collector's passes over them while importing, and the interpreter's final collections,
    cost 80 ms of a 0.4 s ``make`` (measured), and find nothing to free. A long ``batch``
    switches it back on (``_collect_from_here``).
    """
    signal.signal(signal.SIGINT, _interrupt)
    gc.disable()
    try:
        shell.answer_completion()
        command_for(sys.argv[1:])(prog_name="routinegen")
    except Interrupted:
        typer.echo("routinegen: interrupted; nothing was written", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except Exception as exc:
        if os.environ.get("ROUTINEGEN_DEBUG"):
            raise
        owner = PLUGIN_COMMANDS.get(next(iter(sys.argv[1:2]), ""))
        if owner is not None:
            typer.echo(f"routinegen: {owner} failed: {type(exc).__name__}: {exc}", err=True)
            sys.exit(1)
        typer.echo(
            f"routinegen: internal error: {type(exc).__name__}: {exc} "
            "(set ROUTINEGEN_DEBUG=1 for the traceback)",
            err=True,
        )
        sys.exit(1)
    finally:
        gc.freeze()
