"""``--version`` and ``routinegen completion SHELL``: what a shell and a script expect.

Completion goes through click's public shell-completion classes (bash, zsh, fish), not
typer's private ones: the script this prints calls ``_ROUTINEGEN_COMPLETE={shell}_complete
routinegen``, which ``main`` answers before the app runs (``answer_completion``).
"""

import os
import sys
from typing import Annotated

import typer

from routinegen.cli import complete
from routinegen.cli.apps import app, examples, usage

PROG = "routinegen"
COMPLETE_VAR = "_ROUTINEGEN_COMPLETE"
SHELLS = ("bash", "zsh", "fish")
INSTALL = {
    "bash": 'eval "$(routinegen completion bash)"  # in ~/.bashrc',
    "zsh": 'eval "$(routinegen completion zsh)"   # in ~/.zshrc, after compinit',
    "fish": "routinegen completion fish > ~/.config/fish/completions/routinegen.fish",
}


def _fish_class() -> type:
    """click's fish completion, splitting each reply at its first comma only: click's own
    script splits at every comma, so a value such as ``mon,wed`` (``--days``, ``--focus``,
    ``--equipment``) reached fish as ``mon`` and was filtered out."""
    from click.shell_completion import FishComplete

    class Fish(FishComplete):
        source_template = FishComplete.source_template.replace(
            'string split "," $completion', 'string split -m 1 "," $completion'
        )

    return Fish


def _use_our_fish() -> None:
    from click.shell_completion import add_completion_class

    add_completion_class(_fish_class(), "fish")


def _version(value: bool) -> None:
    if value:
        from routinegen.output.document import generator_version

        typer.echo(f"{PROG} {generator_version()}")
        raise typer.Exit()


@app.callback(
    epilog=examples(
        "routinegen make -m 20 -e kettlebell",
        "routinegen week --days mon,wed,fri -o week.ics",
        "routinegen presets",
        "routinegen make --help",
    )
)
def root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", is_eager=True, callback=_version, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Provably best exercise routines from your limits, solved with OR-Tools CP-SAT."""


@app.command(epilog=examples(*INSTALL.values()))
def completion(
    shell: Annotated[str, typer.Argument(help="bash, zsh or fish.", autocompletion=complete.shell)],
) -> None:
    """Print the shell completion script: commands, options and the values they take."""
    from click.shell_completion import get_completion_class

    _use_our_fish()
    if shell not in SHELLS:
        usage(f"unknown shell {shell!r}; choose from {', '.join(SHELLS)}", "SHELL")
    cls = get_completion_class(shell)
    assert cls is not None  # click ships all three
    script = cls(typer.main.get_command(app), {}, PROG, COMPLETE_VAR).source()
    typer.echo(script)


def answer_completion() -> None:
    """Answer a shell's completion request (``_ROUTINEGEN_COMPLETE`` set) and exit; else
    return. ``source_bash``, typer's older order of the words, is read as ``bash_source``."""
    instruction = os.environ.get(COMPLETE_VAR)
    if not instruction:
        return
    from click.shell_completion import shell_complete

    _use_our_fish()
    first, _, second = instruction.partition("_")
    if first in ("source", "complete"):
        instruction = f"{second}_{first}"
    sys.exit(shell_complete(typer.main.get_command(app), {}, PROG, COMPLETE_VAR, instruction))
