"""The installed plugin, as routinegen sees it: registered, rendering real routines, its
options checked before solving, and its command run through ``routinegen``."""

from __future__ import annotations

import os
import subprocess

import pytest

import routinegen
from routinegen.exporter import OptionError

FORMAT = "{{ cookiecutter.format_name }}"
DIST = "{{ cookiecutter.project_slug }}"
ENV = {**os.environ, "ROUTINEGEN_LOAD_PLUGINS": DIST}  # inside pytest only built-ins load


def routinegen_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["routinegen", *args], capture_output=True, text=True, env=ENV)


def test_the_exporter_renders_a_real_routine() -> None:
    run = routinegen_cli("make", "-m", "10", "--format", FORMAT, "--set", "heading=Monday")
    assert run.returncode == 0, run.stderr
    routine = routinegen.make_routine(minutes=10)
    assert run.stdout.startswith("Monday\n")
    for item in routine.items:
        assert item.name in run.stdout


def test_a_bad_option_is_refused_before_solving() -> None:
    run = routinegen_cli("make", "--format", FORMAT, "--set", "blank_lines=9")
    assert run.returncode == 2
    assert "blank_lines must be from 0 to 5" in run.stderr


def test_the_options_are_typed() -> None:
    from {{ cookiecutter.module_name }} import {{ cookiecutter.options_class }}

    with pytest.raises(OptionError):
        {{ cookiecutter.options_class }}.parse({"blank_lines": "many"}, FORMAT)


def test_the_command_runs_through_routinegen() -> None:
    run = routinegen_cli("{{ cookiecutter.plugin_name }}-hello")
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith(DIST)
