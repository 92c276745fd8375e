"""The typer apps every command registers on, the exit codes, and how a command says no:
``fail`` (one line on stderr and an exit code) and ``usage`` (click's usage error, exit 2).

Annotations are real objects in the cli modules, not strings (no ``from __future__ import
annotations``): typer reads every command's signature on each run, and evaluating strings
cost 4 ms a command.
"""

from typing import NoReturn

import typer
import typer.core

from routinegen.sources.files import STDIN

# Plain help: with rich installed (typer requires it) typer escapes "[" for rich markup even
# when markup is off, so "[required]" printed as "\[required]".
typer.core.HAS_RICH = False

EXIT_INFEASIBLE = 3
EXIT_INTERRUPTED = 130

app = typer.Typer(
    name="routinegen",
    help="Provably best exercise routines from your limits, solved with OR-Tools CP-SAT.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain, one-line errors; and no rich import on the fast path
    context_settings={"help_option_names": ["-h", "--help"]},
)
catalog_app = typer.Typer(
    help="List and inspect exercise catalogs.", no_args_is_help=True, rich_markup_mode=None
)
app.add_typer(catalog_app, name="catalog")


def fail(message: str, code: int = 1) -> NoReturn:
    """One line on stderr, then the documented exit code."""
    if "\n" in message:  # a message from a library may span lines; ours never do
        message = "; ".join(part.strip() for part in message.splitlines() if part.strip())
    typer.echo(f"routinegen: error: {terminal_safe(message)}", err=True)
    raise typer.Exit(code)


def terminal_safe(text: str) -> str:
    """``text`` with control and bidi characters written as escapes (``\\x1b``): a message
    may quote a file name, a plugin's words or a value from a file, and a terminal would
    obey an escape sequence or a direction override in it."""
    from routinegen.sources.characters import escaped

    return escaped(text)


def usage(message: str, param: str) -> NoReturn:
    raise typer.BadParameter(message, param_hint=param)


def refuse_empty(**values: str | list[str] | None) -> None:
    """An option given an empty value (``-o ''``, ``-c ''``) is a usage error: quietly taking
    the default, or the current folder, would do something the user did not ask for. Keys
    are parameter names (``time_`` is ``--time``); an upper-case key is an argument."""
    for name, value in values.items():
        items = value if isinstance(value, list) else [value]
        if any(item is not None and not item.strip() for item in items):
            option = name if name.isupper() else "--" + name.rstrip("_").replace("_", "-")
            option = _OPTION_NAMES.get(name, option)
            usage("is empty; give a value, or leave the option out", option)


_OPTION_NAMES = {"fmt": "--format", "set_": "--set"}


def examples(*lines: str) -> str:
    """A command's ``--help`` epilog: example command lines, printed as written."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


def one_stdin(**files: str | None) -> None:
    """Standard input can be read once: refuse ``-`` for two files before reading either."""
    dashed = [name for name, value in files.items() if value == STDIN]
    if len(dashed) > 1:
        usage(f"only one file can be - (standard input), not {' and '.join(dashed)}", dashed[1])
