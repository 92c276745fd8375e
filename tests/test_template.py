"""The plugin template (examples/plugin-template) makes a working plugin: rendered with
cookiecutter, installed, its own tests pass against this routinegen, and its code is clean."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "examples" / "plugin-template"


@pytest.mark.slow
def test_the_template_renders_an_installable_plugin_whose_tests_pass(tmp_path: Path) -> None:
    from cookiecutter.main import cookiecutter

    project = Path(
        cookiecutter(
            str(TEMPLATE),
            no_input=True,
            output_dir=str(tmp_path),
            extra_context={"plugin_name": "wrist-log", "extension": "log"},
        )
    )
    assert project.name == "routinegen-wrist-log"
    assert (project / ".github" / "workflows" / "ci.yml").is_file()
    lint = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", str(project)],
        capture_output=True,
        text=True,
    )
    assert lint.returncode == 0, lint.stdout
    site = tmp_path / "site"
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), "."],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert install.returncode == 0, install.stderr[-2000:]
    env = {**os.environ, "PYTHONPATH": str(site)}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "0"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "4 passed" in run.stdout
    listed = subprocess.run(
        ["routinegen", "exporters"],
        capture_output=True,
        text=True,
        env={**env, "ROUTINEGEN_LOAD_PLUGINS": "routinegen-wrist-log"},
    )
    assert "wrist-log" in listed.stdout and ".log" in listed.stdout, listed.stdout
