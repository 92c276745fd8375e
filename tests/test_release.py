"""Issue #16, the last mile: packaging, the silent traps, the command-line conventions."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tarfile
from importlib import metadata
from pathlib import Path

import click
import pytest
import typer
from typer.testing import CliRunner

import routinegen
from routinegen.cli import app
from routinegen.cli.progress import MIN_SOLVED, Rate

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"


def invoke(*args: str, input: str | None = None) -> object:
    return CliRunner().invoke(app, list(args), input=input)


def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "routinegen", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=120,
        check=False,
    )


# ---------------------------------------------------------------------------- packaging


def test_version_is_the_installed_metadata() -> None:
    expected = metadata.version("routinegen")
    assert routinegen.__version__ == expected
    result = invoke("--version")
    assert result.exit_code == 0 and result.output == f"routinegen {expected}\n"


def test_license_metadata_and_pins() -> None:
    assert "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    meta = metadata.metadata("routinegen")
    classifiers = meta.get_all("Classifier") or []
    assert any(c.startswith("Development Status ::") for c in classifiers)
    assert "Programming Language :: Python :: 3.11" in classifiers
    assert meta.get_all("Project-URL")
    requires = metadata.requires("routinegen") or []
    click_pin = next(r for r in requires if r.startswith("click"))
    assert "<9" in click_pin
    for name in ("filelock", "tzlocal", "rich"):
        assert any(r.startswith(name) for r in requires), name


def test_no_private_typer_modules() -> None:
    for path in (ROOT / "generator").rglob("*.py"):
        assert "typer._" not in path.read_text(encoding="utf-8"), path


@pytest.mark.slow
def test_sdist_installs_in_a_fresh_venv_and_its_tests_pass(tmp_path: Path) -> None:
    """The sdist has what its tests need: built, installed in a new virtual environment (the
    dependencies borrowed from this one, the package itself only from the sdist), and its
    own tests run there against the installed package and pass (the quick ones: the slow
    ones run in this suite already)."""
    subprocess.run(
        [sys.executable, "-m", "build", "--sdist", "-o", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (archive,) = tmp_path.glob("routinegen-*.tar.gz")
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        tar.extractall(tmp_path, filter="data")
    top = names[0].split("/")[0]
    needs = ["LICENSE", "tests/conftest.py", "tests/helpers/__init__.py"]
    needs += ["tests/judges/__init__.py", "tests/fixtures/tiny.yaml", "docs/plugins.md"]
    for needed in needs:
        assert f"{top}/{needed}" in names, needed
    assert not [n for n in names if "__pycache__" in n or "/build/" in n]

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = venv / ("Scripts" if os.name == "nt" else "bin") / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # This environment's packages as plain paths at the end: no .pth of theirs runs, so
    # this checkout's editable routinegen stays out, and only the sdist's is importable.
    borrowed = sysconfig.get_paths()["purelib"]
    Path(site, "borrowed-deps.pth").write_text(borrowed + "\n", encoding="utf-8")
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--no-deps", str(archive)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert install.returncode == 0, install.stdout[-2000:] + install.stderr[-2000:]
    where = subprocess.run(
        [str(python), "-c", "import routinegen; print(routinegen.__file__)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert where.startswith(site), where
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    run = subprocess.run(
        [str(python), "-m", "pytest", "-q", "-x", "-n", "0", "-m", "not slow", "tests"],
        cwd=tmp_path / top,
        capture_output=True,
        text=True,
        timeout=1200,
        env={**env, "PATH": f"{python.parent}{os.pathsep}{env.get('PATH', '')}"},
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert " passed" in run.stdout


# ---------------------------------------------------------------------------- silent traps


def test_focus_repeats_are_kept() -> None:
    result = invoke("make", "-e", "kettlebell", "--focus", "lats", "--focus", "traps", "-F", "json")
    assert result.exit_code == 0, result.output
    focus = json.loads(result.stdout)["request"]["focus"]
    assert set(focus.split(",") if isinstance(focus, str) else focus) >= {"lats", "traps"}


def test_unknown_extension_is_a_usage_error(tmp_path: Path) -> None:
    target = tmp_path / "plan.docx"
    result = invoke("make", "-o", str(target))
    assert result.exit_code == 2
    assert ".json" in result.output and ".ics" in result.output
    assert not target.exists()


def test_start_without_tz_is_local() -> None:
    done = run("make", "-F", "json", "--start", "2026-11-30T07:00", TZ="Europe/Berlin")
    assert done.returncode == 0, done.stderr
    request = json.loads(done.stdout)["request"]
    assert request["tz"] == "Europe/Berlin"
    assert request["start"].endswith("+01:00")


def test_missing_local_time() -> None:
    made = invoke("make", "--start", "2026-03-29T02:30", "--tz", "Europe/Berlin")
    assert made.exit_code == 1 and "03:30" in made.output and "does not exist" in made.output
    week = invoke(
        "week", "--days", "sun", "--start", "2026-03-23", "--time", "02:30",
        "--tz", "Europe/Berlin", "-F", "json",
    )  # fmt: skip
    assert week.exit_code == 0
    assert "warning" in week.stderr and "03:30" in week.stderr


# ---------------------------------------------------------------------------- conventions


def test_stdin_for_catalog_preset_and_people(tmp_path: Path) -> None:
    tiny = (FIXTURES / "tiny.yaml").read_text(encoding="utf-8")
    shown = invoke("catalog", "show", "-", "-F", "json", input=tiny)
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.stdout)["exercises"]
    preset = invoke("make", "-p", "-", "-F", "json", input="minutes: 12\nequipment: none\n")
    assert preset.exit_code == 0, preset.output
    assert json.loads(preset.stdout)["request"]["minutes"] == 12
    both = invoke("make", "-p", "-", "-c", "-", input="")
    assert both.exit_code == 2
    from routinegen.request.people import read_people

    people = (FIXTURES / "people.csv").read_text(encoding="utf-8")
    runner = CliRunner()
    with runner.isolation(input=people):
        from_stdin = read_people("-")
    assert len(from_stdin.rows) == len(read_people(FIXTURES / "people.csv").rows)


def test_quiet_catalog_import(tmp_path: Path) -> None:
    args = ["catalog", "import", "free-exercise-db", str(FIXTURES / "free-exercise-db-sample.json")]
    loud = invoke(*args, "-o", str(tmp_path / "a.yaml"))
    quiet = invoke(*args, "-o", str(tmp_path / "b.yaml"), "--quiet")
    assert loud.exit_code == quiet.exit_code == 0
    assert loud.stdout and not quiet.stdout


def _commands(
    group: click.Group, path: tuple[str, ...] = ()
) -> list[tuple[tuple[str, ...], click.Command]]:
    out = []
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            out += _commands(command, (*path, name))
        else:
            out.append(((*path, name), command))
    return out


def test_every_help_has_examples_that_parse() -> None:
    root = typer.main.get_command(app)
    assert isinstance(root, click.Group)
    for path, command in _commands(root):
        assert command.epilog and "Examples:" in command.epilog, path
        for line in command.epilog.splitlines()[2:]:
            words = line.split("#")[0].split("<")[0].split(">")[0].split()
            if words[:1] != ["routinegen"] or words[1:2] == ["--help"]:
                continue
            sub: click.Command = root
            words = words[1:]
            while isinstance(sub, click.Group):
                sub = sub.commands[words.pop(0)]
            sub.make_context("x", list(words), resilient_parsing=False)  # raises if wrong


def test_presets_and_splits_listings() -> None:
    presets = json.loads(invoke("presets", "-F", "json").stdout)["presets"]
    assert {"back-15", "week-back-3"} <= {p["name"] for p in presets}
    splits = json.loads(invoke("splits", "-F", "json").stdout)["splits"]
    assert {s["name"]: s["sessions"] for s in splits}["upper-lower"] == ["upper", "lower"]


def test_make_and_week_share_options() -> None:
    root = typer.main.get_command(app)
    assert isinstance(root, click.Group)
    options = {
        name: {o for p in root.commands[name].params for o in p.opts} for name in ("make", "week")
    }
    shared = {"--rounds", "--exercises", "--rest", "--round-rest", "--min-fill", "--time"}
    assert shared <= options["make"] & options["week"]
    made = invoke("make", "--start", "2026-11-30", "--time", "18:30", "--tz", "UTC", "-F", "json")
    assert json.loads(made.stdout)["request"]["start"].startswith("2026-11-30T18:30")


@pytest.mark.slow
def test_bash_completion_completes_fixed_values() -> None:
    cases = {
        "routinegen make --level ": "beginner",
        "routinegen make --focus la": "lats",
        "routinegen make -c back --focus lats,tr": "lats,traps",
        "routinegen week --days mon,w": "mon,wed",
        "routinegen make --tz Europe/Be": "Europe/Berlin",
        "routinegen make --catalog ": "full-body",
        "routinegen make --preset ": "back-15",
        "routinegen week --split ": "upper-lower",
        "routinegen make -F ": "json",
        "routinegen make -e kettlebell,d": "kettlebell,dumbbell",
        "routinegen completion ": "fish",
    }
    script = run("completion", "bash").stdout
    lines = [f'complete_one "{words}"' for words in cases]
    program = (
        script
        + r"""
complete_one() {
    read -ra W <<< "$1"; [[ "$1" == *" " ]] && W+=("")
    COMP_WORDS=("${W[@]}"); COMP_CWORD=$(( ${#W[@]} - 1 )); COMPREPLY=()
    _routinegen_completion routinegen; echo "${COMPREPLY[*]}"
}
"""
        + "\n".join(lines)
    )
    bin_dir = Path(sys.executable).parent
    done = subprocess.run(
        ["bash", "-c", program], capture_output=True, text=True, timeout=120,
        env={**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"},
    )  # fmt: skip
    replies = done.stdout.splitlines()
    for (words, expected), reply in zip(cases.items(), replies, strict=True):
        assert expected in reply.split(), (words, reply)
    for shell in ("zsh", "fish"):
        assert "_ROUTINEGEN_COMPLETE" in run("completion", shell).stdout


FISH_AND_ZSH_CASES = {
    "routinegen make --level ": "beginner",
    "routinegen make --focus la": "lats",
    "routinegen week --days mon,w": "mon,wed",
    "routinegen make -e kettlebell,d": "kettlebell,dumbbell",
    "routinegen make --tz Europe/Be": "Europe/Berlin",
}


def _shell_env() -> dict[str, str]:
    bin_dir = Path(sys.executable).parent
    return {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("fish") is None, reason="apt-get install fish (.ci/run does)")
def test_fish_completes_fixed_values_in_a_real_fish(tmp_path: Path) -> None:
    script = tmp_path / "routinegen.fish"
    script.write_text(run("completion", "fish").stdout, encoding="utf-8")
    for words, expected in FISH_AND_ZSH_CASES.items():
        done = subprocess.run(
            ["fish", "--no-config", "-c", f"source {script}; complete -C '{words}'"],
            capture_output=True, text=True, timeout=60, env=_shell_env(),
        )  # fmt: skip
        replies = [line.split("\t")[0] for line in done.stdout.splitlines()]
        assert expected in replies, (words, done.stdout, done.stderr)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("zsh") is None, reason="apt-get install zsh (.ci/run does)")
def test_zsh_loads_the_script_and_gets_the_values(tmp_path: Path) -> None:
    """zsh sources the script under compinit and defines the completer; the replies it asks
    for (the script's own call, with zsh's words) hold the values."""
    script = tmp_path / "_routinegen"
    script.write_text(run("completion", "zsh").stdout, encoding="utf-8")
    loaded = subprocess.run(
        ["zsh", "-f", "-c",
         f"autoload -Uz compinit; compinit -u; source {script}; whence -w _routinegen_completion"],
        capture_output=True, text=True, timeout=60, env=_shell_env(),
    )  # fmt: skip
    assert loaded.stdout.strip() == "_routinegen_completion: function", loaded.stderr
    for words, expected in FISH_AND_ZSH_CASES.items():
        count = len(words.split()) - (0 if words.endswith(" ") else 1)
        env = {
            **_shell_env(),
            "COMP_WORDS": words,
            "COMP_CWORD": str(count),
            "_ROUTINEGEN_COMPLETE": "zsh_complete",
        }
        asked = subprocess.run(
            ["zsh", "-f", "-c", "routinegen"], capture_output=True, text=True, env=env, timeout=60
        )
        assert expected in asked.stdout.splitlines(), (words, asked.stdout)


# ---------------------------------------------------------------------------- batch progress


def test_no_eta_until_a_few_are_solved() -> None:
    rate = Rate(100)
    rate.add(failed=False, skipped=True, now=0.0)  # up to date: takes no time
    for i in range(MIN_SOLVED - 1):
        rate.add(failed=False, skipped=False, now=80.0 + i)  # 80 s of pool start-up first
        assert rate.eta_seconds() is None
    rate.add(failed=False, skipped=False, now=80.0 + MIN_SOLVED - 1)
    eta = rate.eta_seconds()
    assert eta is not None and abs(eta - (100 - MIN_SOLVED - 1)) < 1e-9  # 1 person a second


@pytest.mark.slow
@pytest.mark.parametrize("term", ["dumb", "xterm"])
def test_batch_without_a_terminal_writes_no_escape_codes(tmp_path: Path, term: str) -> None:
    done = run(
        "batch", str(FIXTURES / "people.yaml"), "-o", str(tmp_path / "out"), "-w", "0", TERM=term
    )
    assert "\x1b" not in done.stderr and "\r" not in done.stderr
    assert re.search(r"people ok", done.stderr)


def test_plugin_tutorial_writes_files_before_using_them() -> None:
    docs = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    docs = docs[: docs.index("## The public API")]  # the tutorial
    first_install = docs.index("pip install -e ./routinegen-csv")
    for name in re.findall(r'files\(__package__\) / "([^"]+)"', docs):
        marker = f"<!-- file: routinegen-csv/routinegen_csv/{name} -->"
        assert marker in docs and docs.index(marker) < first_install, name
