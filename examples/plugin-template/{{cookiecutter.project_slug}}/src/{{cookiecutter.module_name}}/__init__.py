"""{{ cookiecutter.description }}: a routinegen exporter and a command.

It imports only what ``routinegen`` exports (its docs/plugins.md), so it keeps working when
routinegen's internals change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import click

from routinegen import (
    Exporter,
    Options,
    Plan,
    RenderContext,
    Result,
    Routine,
    hookimpl,
    option,
    wording,
)


@dataclass(frozen=True)
class {{ cookiecutter.options_class }}(Options):
    """What ``--set`` may change; checked before anything is solved."""

    heading: str = option("Routine", "the first line of the log")
    blank_lines: int = option(1, "empty lines after each exercise, to write in")

    def validate(self) -> None:
        if not 0 <= self.blank_lines <= 5:
            raise ValueError("blank_lines must be from 0 to 5")


def _routine_lines(routine: Routine, options: {{ cookiecutter.options_class }}) -> list[str]:
    lines = [wording.rounds_line(routine), ""]
    for item in routine.items:
        lines += [*wording.exercise_lines(item), *[""] * options.blank_lines]
    return lines


def render(result: Result, options: Options, context: RenderContext) -> bytes:
    """The log as text: only rendering, no solving and no files (routinegen writes them)."""
    assert isinstance(options, {{ cookiecutter.options_class }})
    lines = [options.heading, ""]
    if isinstance(result, Plan):
        for session in result.sessions:
            lines += [wording.session_title(session), *_routine_lines(session.routine, options)]
    else:
        lines += [wording.title(result), *_routine_lines(result, options)]
    return ("\n".join(lines).rstrip() + "\n").encode("utf-8")


@hookimpl
def routinegen_register_exporters(register: Callable[[Exporter], None]) -> None:
    register(
        Exporter(
            name="{{ cookiecutter.format_name }}",
            extension="{{ cookiecutter.extension }}",
            media_type="text/plain",
            description="{{ cookiecutter.description }}",
            render=render,
            options={{ cookiecutter.options_class }},
        )
    )


@click.command(name="{{ cookiecutter.plugin_name }}-hello")
def hello() -> None:
    """Say which routinegen this plugin runs in (a command of the plugin's own)."""
    import routinegen

    click.echo(f"{{ cookiecutter.project_slug }} in routinegen {routinegen.__version__}")


@hookimpl
def routinegen_register_commands(register: Callable[[click.Command], None]) -> None:
    register(hello)
