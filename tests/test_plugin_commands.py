"""The ``routinegen_register_commands`` hook: a plugin adds a command to ``routinegen``,
checked like every other registration, and a built-in command never waits for plugins."""

from __future__ import annotations

import sys
import types
from collections.abc import Callable
from typing import Any

import click
import pytest
from click.testing import CliRunner

from routinegen import cli, hookimpl
from routinegen import registry as registry_module


def commands_plugin(*commands: Any) -> object:
    def routinegen_register_commands(register: Callable[[Any], None]) -> None:
        for command in commands:
            register(command)

    return types.SimpleNamespace(
        routinegen_register_commands=hookimpl(routinegen_register_commands)
    )


@click.command(name="greet")
@click.option("--name", default="coach")
def greet(name: str) -> None:
    """Say hello (a plugin's command)."""
    click.echo(f"hello {name}")


@click.command(name="explode")
def explode() -> None:
    raise RuntimeError("the plugin's own bug")


@pytest.fixture
def installed(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """Make ``load_registry`` see the given in-process plugins, as if installed."""

    def install(*plugins: tuple[str, object]) -> None:
        real = registry_module.load_registry
        monkeypatch.setattr(registry_module, "load_registry", lambda: real(extra=plugins))
        monkeypatch.setattr(cli, "PLUGIN_COMMANDS", {})

    return install


def test_a_plugin_command_runs_and_is_listed_in_help(installed: Callable[..., None]) -> None:
    installed(("greeter", commands_plugin(greet)))
    run = CliRunner().invoke(cli.command_for(["greet"]), ["greet", "--name", "Ana"])
    assert run.exit_code == 0 and run.output == "hello Ana\n"
    listing = CliRunner().invoke(cli.command_for(["--help"]), ["--help"])
    assert "greet" in listing.output and "Say hello" in listing.output


def test_a_built_in_command_does_not_load_the_plugins(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail() -> None:
        raise AssertionError("plugins loaded for a built-in command")

    monkeypatch.setattr(registry_module, "load_registry", fail)
    group = cli.command_for(["presets"])
    assert "greet" not in group.commands


@pytest.mark.parametrize(
    ("plugins", "words"),
    [
        ([("taker", commands_plugin(click.Command("make")))], "'make', a built-in one; ignored"),
        (
            [("one", commands_plugin(greet)), ("two", commands_plugin(greet))],
            "the command 'greet' is registered by plugin 'one' (in-process) and plugin 'two'",
        ),
        ([("odd", commands_plugin(object()))], "as a command; a command is a click.Command"),
        ([("caps", commands_plugin(click.Command("Shout")))], "as a command; a command is a"),
    ],
)
def test_a_command_that_cannot_be_added_is_skipped_with_a_warning(
    plugins: list[tuple[str, object]],
    words: str,
    installed: Callable[..., None],
    capsys: pytest.CaptureFixture[str],
) -> None:
    installed(*plugins)
    group = cli.command_for(["greet"])
    assert words in capsys.readouterr().err
    assert "greet" not in group.commands or len(plugins) == 1
    assert group.commands["make"].callback is not None  # the built-in one stays


def test_a_plugin_command_that_raises_names_the_plugin(
    installed: Callable[..., None],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    installed(("boomer", commands_plugin(explode)))
    monkeypatch.setattr(sys, "argv", ["routinegen", "explode"])
    with pytest.raises(SystemExit) as ended:
        cli.main()
    assert ended.value.code == 1
    err = capsys.readouterr().err
    assert "plugin 'boomer' (in-process) failed: RuntimeError: the plugin's own bug" in err
    assert "internal error" not in err
