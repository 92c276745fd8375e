"""The layers stay visible: only the solver package imports OR-Tools, and the commands that
do not solve never import the solver package (their start-up stays fast)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

GENERATOR = Path(__file__).parent.parent / "generator"
PLUGINS = Path(__file__).parent.parent / "plugins"
LIGHT_COMMANDS = [
    ["--help"],
    ["make", "--help"],
    ["week", "--help"],
    ["exporters"],
    ["plugins"],
    ["schema"],
    ["catalog", "list"],
    ["catalog", "show", "back"],
]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def test_only_the_solver_package_imports_ortools() -> None:
    offenders = [
        str(path.relative_to(GENERATOR.parent))
        for folder in (GENERATOR, PLUGINS)
        for path in sorted(folder.rglob("*.py"))
        if "solver" not in path.relative_to(folder).parts[:1]
        and any(name.split(".")[0] == "ortools" for name in imported_modules(path))
    ]
    assert offenders == []


def test_the_solver_is_the_only_layer_that_reaches_into_the_solver() -> None:
    """Below the front ends (cli, batch, the public API), no layer imports the solver."""
    lower = ("sources", "catalog", "request", "output")
    offenders = [
        str(path.relative_to(GENERATOR.parent))
        for layer in lower
        for path in sorted((GENERATOR / layer).rglob("*.py"))
        if any(name.startswith("routinegen.solver") for name in imported_modules(path))
    ]
    assert offenders == []


def loaded_after(args: list[str], report: str) -> str:
    """Run ``routinegen ARGS`` in a fresh interpreter; ``report`` (Python, with the loaded
    modules in ``sys.modules``) prints what to check on stderr, which is returned."""
    probe = (
        "import runpy, sys\n"
        f"sys.argv = ['routinegen', *{args!r}]\n"
        "try:\n"
        "    runpy.run_module('routinegen', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        f"{report}\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=False
    )
    return run.stderr


@pytest.mark.slow
@pytest.mark.parametrize("args", LIGHT_COMMANDS, ids=" ".join)
def test_light_commands_import_nothing_of_the_solver(args: list[str]) -> None:
    stderr = loaded_after(
        args,
        "print('HEAVY', sorted(m for m in sys.modules "
        "if m.startswith(('routinegen.solver', 'ortools'))), file=sys.stderr)",
    )
    assert "HEAVY []" in stderr, stderr[-2000:]


@pytest.mark.slow
def test_the_probe_sees_the_solver_when_a_command_solves() -> None:
    """The check above can fail: ``make`` does import the solver."""
    stderr = loaded_after(
        ["make", "-m", "10", "-o", "/dev/null"],
        "print('SOLVER', 'routinegen.solver.solve' in sys.modules, file=sys.stderr)",
    )
    assert "SOLVER True" in stderr, stderr[-2000:]


def test_test_modules_do_not_import_each_other() -> None:
    """Shared test code lives in tests/helpers/ and tests/judges/, not in another test."""
    tests = Path(__file__).resolve().parent
    for module in sorted(tests.rglob("test_*.py")):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            assert not [n for n in names if n.split(".")[-1].startswith("test_")], module
