"""Plugins: the public API, loading control, options, format choice, catalogs and faults.

Third-party plugins are simulated in-process (fake entry points whose ``load`` returns an
object with ``@hookimpl`` functions), so every loading path runs as for an installed
package; the example package (examples/routinegen-markdown) is the one real installation.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import re
import subprocess
import sys
import textwrap
import tomllib
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path
from typing import Any

import pytest
from helpers.render import render_with
from typer.testing import CliRunner

import routinegen
from routinegen import (
    EffectiveRequest,
    Exporter,
    Options,
    Routine,
    RoutineItem,
    hookimpl,
    hookspecs,
    option,
)
from routinegen import registry as registry_module
from routinegen.batch import worker
from routinegen.cli import _complete_format, app
from routinegen.registry import load_registry

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "plugins.md"
EXAMPLE = ROOT / "examples" / "routinegen-markdown"
TINY = Path(__file__).parent / "fixtures" / "tiny.yaml"
BUILTIN_FORMATS = {"text", "json", "ical", "svg", "fit", "html", "pdf"}


# --- helpers ---------------------------------------------------------------------------------


def plugin(**hooks: Callable[..., None]) -> object:
    """An in-process plugin object: each keyword is a hook implementation."""
    return types.SimpleNamespace(**{name: hookimpl(fn) for name, fn in hooks.items()})


def exporter_plugin(*exporters: Exporter) -> object:
    def routinegen_register_exporters(register: Callable[[Exporter], None]) -> None:
        for exporter in exporters:
            register(exporter)

    return plugin(routinegen_register_exporters=routinegen_register_exporters)


def catalog_plugin(*catalogs: tuple[str, Any]) -> object:
    def routinegen_register_catalogs(register: Callable[[str, Any], None]) -> None:
        for name, source in catalogs:
            register(name, source)

    return plugin(routinegen_register_catalogs=routinegen_register_catalogs)


def fixed(text: str | bytes, name: str = "fixed", extension: str = "fix") -> Exporter:
    """An exporter that always renders ``text``."""
    return Exporter(name, extension, "text/plain", lambda result, options, context: text)


@dataclass
class FakeEntryPoint:
    """Just what the registry reads from an importlib.metadata entry point."""

    name: str
    dist: types.SimpleNamespace
    loader: Callable[[], object]

    def load(self) -> object:
        return self.loader()


Install = Callable[..., None]


@pytest.fixture(autouse=True)
def _default_loading(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts from the default under pytest (built-ins only) whatever the shell says."""
    monkeypatch.delenv("ROUTINEGEN_LOAD_PLUGINS", raising=False)


@pytest.fixture
def install(monkeypatch: pytest.MonkeyPatch) -> Iterator[Install]:
    """``install(dist, plugin_or_exception, name=..., version=...)``: one more installed plugin,
    beside the real ones, and named in ROUTINEGEN_LOAD_PLUGINS so that it loads."""
    real = registry_module.entry_points
    fakes: list[FakeEntryPoint] = []

    def entry_points(group: str) -> list[Any]:
        return [*real(group=group), *fakes]

    def add(dist: str, loaded: object, name: str = "", version: str = "1.0") -> None:
        def loader() -> object:
            if isinstance(loaded, BaseException):
                raise loaded
            return loaded

        distribution = types.SimpleNamespace(
            name=dist, version=version, metadata={"Name": dist, "Version": version}
        )
        fakes.append(FakeEntryPoint(name or dist.removeprefix("routinegen-"), distribution, loader))
        monkeypatch.setenv("ROUTINEGEN_LOAD_PLUGINS", ",".join(f.dist.name for f in fakes))

    monkeypatch.setattr(registry_module, "entry_points", entry_points)
    # An in-process batch worker keeps the plugins it loaded first (a real worker process
    # loads them once); this test's plugins must not meet another test's.
    worker._registry.cache_clear()
    yield add
    worker._registry.cache_clear()


def cli(*args: str) -> Any:
    """Run the command line in-process; stdout and stderr stay apart."""
    return CliRunner().invoke(app, list(args), prog_name="routinegen")


def warnings_of(result: Any) -> list[str]:
    return [ln for ln in result.stderr.splitlines() if ln.startswith("routinegen: warning:")]


def make_routine() -> Routine:
    """A small routine built with nothing but the public API, as a plugin's tests would."""
    request = EffectiveRequest(
        minutes=10,
        equipment=(),
        focus=("lats",),
        focus_label="lats",
        level="beginner",
        seed=0,
        catalog="back",
    )
    item = RoutineItem("row", "Row", "none", 10, None, False, 40, ("lats",), ())
    return Routine(request, (item,), 2, 15, 60, 600, 545, {"lats": 80})


# --- the public API and its documentation -----------------------------------------------------


def hook_names() -> set[str]:
    return {
        name
        for name, value in vars(hookspecs).items()
        if callable(value) and hasattr(value, f"{hookspecs.PROJECT}_spec")
    }


def test_public_api_is_small_and_importable() -> None:
    assert sorted(routinegen.__all__) == [
        "CatalogSource",
        "Conflict",
        "EffectiveRequest",
        "Exporter",
        "Infeasible",
        "InputError",
        "OptionError",
        "Options",
        "Plan",
        "PlanRules",
        "PlannedSession",
        "Proof",
        "RenderContext",
        "Result",
        "Routine",
        "RoutineItem",
        "RoutinegenError",
        "SolveOptions",
        "SolverInfo",
        "hookimpl",
        "hookspecs",
        "load_catalog",
        "make_plan",
        "make_routine",
        "option",
        "swap_exercise",
        "swap_in_document",
        "to_document",
        "wording",
    ]
    for name in routinegen.__all__:
        assert getattr(routinegen, name) is not None
    assert hook_names() == {
        "routinegen_register_exporters",
        "routinegen_register_catalogs",
        "routinegen_register_commands",
    }
    docs = DOCS.read_text(encoding="utf-8")
    api = docs.split("## The public API", 1)[1].split("\n## ", 1)[0]
    for name in routinegen.__all__:
        assert f"`{name}`" in api, f"{name} is exported but not documented in docs/plugins.md"


def test_every_hook_has_a_reference_entry_and_a_test_of_its_own() -> None:
    """Adding a hook without documenting and testing it fails here."""
    docs = DOCS.read_text(encoding="utf-8")
    reference = docs.split("\n## Reference\n", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^### (\S+)$", reference, re.M))
    assert documented == hook_names()
    source = Path(__file__).read_text(encoding="utf-8")
    for hook in hook_names():
        assert re.search(rf"^def test_{hook}_\w+\(", source, re.M), f"no test_{hook}_... test"


def test_docs_tutorial_is_a_working_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The files the tutorial writes, taken from docs/plugins.md itself, make a plugin."""
    docs = DOCS.read_text(encoding="utf-8")
    files = re.findall(r"<!-- file: (\S+) -->\n```\w+\n(.*?)```", docs, re.S)
    assert {name for name, _ in files} == {
        "routinegen-csv/pyproject.toml",
        "routinegen-csv/routinegen_csv/__init__.py",
        "routinegen-csv/routinegen_csv/grip.yaml",
    }
    for name, text in files:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    project = tomllib.loads((tmp_path / "routinegen-csv/pyproject.toml").read_text())
    assert project["project"]["entry-points"]["routinegen"] == {"csv": "routinegen_csv"}
    assert "routinegen" in project["project"]["dependencies"]
    monkeypatch.syspath_prepend(str(tmp_path / "routinegen-csv"))
    monkeypatch.delitem(sys.modules, "routinegen_csv", raising=False)
    module = importlib.import_module("routinegen_csv")
    try:
        registry = load_registry(extra=[("csv", module)])
        assert registry.warnings == []
        exporter = registry.exporter("csv")
        rendered = render_with(exporter, make_routine(), delimiter=";")
        assert isinstance(rendered, str)
        assert rendered.splitlines() == [
            "order;block;exercise;sets;reps;work_seconds;dose;per_side;equipment;seconds",
            "1;main;Row;1;10;;reps;False;none;40",
        ]
        from routinegen.catalog import load_catalog

        grip = load_catalog("grip", extra=registry.catalog_sources())
        assert grip.get("towel_hang") is not None and grip.get("deadlift") is not None
    finally:
        sys.modules.pop("routinegen_csv", None)


def test_example_uses_only_the_public_api() -> None:
    for path in [*EXAMPLE.glob("src/**/*.py"), *EXAMPLE.glob("tests/*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("routinegen"):
                if node.module == "routinegen":
                    assert {a.name for a in node.names} <= set(routinegen.__all__), path
                else:
                    assert node.module.startswith("routinegen_markdown"), (path, node.module)
            if isinstance(node, ast.Import):
                for alias in node.names:
                    assert not alias.name.startswith("routinegen."), (path, alias.name)
    project = tomllib.loads((EXAMPLE / "pyproject.toml").read_text())
    assert project["project"]["name"] == "routinegen-markdown"
    assert project["project"]["entry-points"]["routinegen"] == {"markdown": "routinegen_markdown"}
    assert any(d.startswith("routinegen") for d in project["project"]["dependencies"])


# --- the hooks ---------------------------------------------------------------------------------


def test_routinegen_register_exporters_adds_formats_with_their_metadata(install: Install) -> None:
    md = Exporter("md", "md", "text/markdown", lambda r, o, c: "# hi\n", "Markdown notes")
    install("routinegen-md", exporter_plugin(md), version="2.3")
    registry = load_registry()
    assert registry.warnings == []
    assert set(registry.exporters) == BUILTIN_FORMATS | {"md"}
    assert registry.exporter("md") is md
    assert registry.describe(registry.owner("md")) == "plugin 'md' from routinegen-md 2.3"
    listing = json.loads(cli("exporters", "--format", "json").stdout)
    assert {"name": "md", "extension": "md", "media_type": "text/markdown"}.items() <= next(
        row for row in listing["exporters"] if row["name"] == "md"
    ).items()
    assert cli("make", "-m", "10", "-F", "md").stdout == "# hi\n"


def test_routinegen_register_catalogs_adds_catalogs_list_show_and_make_find(
    install: Install,
) -> None:
    back = resources.files("routinegen.catalogs") / "back.yaml"
    install("routinegen-cats", catalog_plugin(("my-back", back), ("tiny-too", str(TINY))))
    registry = load_registry()
    assert registry.warnings == []
    assert sorted(registry.catalogs) == ["my-back", "tiny-too"]

    listed = cli("catalog", "list")
    assert listed.exit_code == 0, listed.output
    lines = listed.stdout.splitlines()
    assert lines[0].startswith("back ") and lines[1].startswith("full-body ")  # built-ins first
    mine = next(line for line in lines if line.startswith("my-back "))
    from routinegen.catalog import load_catalog

    count = len(load_catalog("back").exercises)  # the plugin ships a copy of the built-in
    assert f"{count} exercises" in mine and "plugin 'cats' from routinegen-cats 1.0" in mine
    assert any(line.startswith("tiny-too ") for line in lines)

    shown = cli("catalog", "show", "tiny-too", "--format", "json")
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.stdout)["name"] == "tiny"
    made = cli("make", "-m", "10", "--catalog", "my-back", "-F", "json")
    assert made.exit_code == 0, made.output
    assert json.loads(made.stdout)["kind"] == "routine"
    assert cli("make", "-m", "10", "--catalog", "nowhere").exit_code == 1


def test_catalog_registrations_that_cannot_work_are_skipped(
    install: Install, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("format: 1\nname: broken\nexercises: [oops\n", encoding="utf-8")

    def raising(register: Callable[[str, Any], None]) -> None:
        register("half", str(TINY))
        raise RuntimeError("catalog index missing")

    install(
        "routinegen-cats",
        catalog_plugin(
            ("back", str(TINY)),  # a built-in's name
            ("Bad Name", str(TINY)),
            ("missing", str(tmp_path / "nope.yaml")),
            ("broken", broken),
            ("fine", str(TINY)),
        ),
    )
    install("routinegen-raising", plugin(routinegen_register_catalogs=raising))
    registry = load_registry()
    assert sorted(registry.catalogs) == ["broken", "fine"]
    text = "\n".join(registry.warnings)
    assert "'back', the name of a built-in one" in text
    assert "'Bad Name'" in text
    assert "'missing'" in text and "not a readable file" in text
    assert "routinegen-raising" in text and "RuntimeError: catalog index missing" in text

    listed = cli("catalog", "list")
    assert listed.exit_code == 0
    assert any(line.startswith("fine ") for line in listed.stdout.splitlines())
    assert not any(line.startswith("broken ") for line in listed.stdout.splitlines())
    assert any("catalog 'broken'" in w and "routinegen-cats" in w for w in warnings_of(listed))
    assert cli("catalog", "show", "back").stdout.startswith("back: Back essentials")


def test_a_catalog_name_two_plugins_claim_is_an_error_naming_both(install: Install) -> None:
    install("routinegen-one", catalog_plugin(("shared", str(TINY))))
    install("routinegen-two", catalog_plugin(("shared", str(TINY))))
    listed = cli("catalog", "list")
    assert sum(line.startswith("shared ") for line in listed.stdout.splitlines()) == 2
    made = cli("make", "-m", "10", "-c", "shared")
    assert made.exit_code == 1
    assert "routinegen-one" in made.stderr and "routinegen-two" in made.stderr
    assert "catalog 'shared'" in made.stderr


# --- load control ------------------------------------------------------------------------------


def test_under_pytest_only_builtins_load_unless_asked(
    install: Install, monkeypatch: pytest.MonkeyPatch
) -> None:
    install("routinegen-extra", exporter_plugin(fixed("x")))
    monkeypatch.delenv("ROUTINEGEN_LOAD_PLUGINS", raising=False)
    registry = load_registry()
    assert set(registry.exporters) == BUILTIN_FORMATS
    assert {p.distribution for p in registry.plugins} == {"routinegen"}
    assert registry.warnings == []
    monkeypatch.setenv("ROUTINEGEN_LOAD_PLUGINS", "routinegen-extra")
    assert "fixed" in load_registry().exporters


def test_load_plugins_lists_distributions_and_empty_means_builtins_only(
    install: Install, monkeypatch: pytest.MonkeyPatch
) -> None:
    install("routinegen-a", exporter_plugin(fixed("a", "fa", "fa")))
    install("routinegen-b", exporter_plugin(fixed("b", "fb", "fb")))
    assert set(load_registry().exporters) == BUILTIN_FORMATS | {"fa", "fb"}
    monkeypatch.setenv("ROUTINEGEN_LOAD_PLUGINS", " Routinegen_B ")  # compared as pip does
    assert set(load_registry().exporters) == BUILTIN_FORMATS | {"fb"}
    monkeypatch.setenv("ROUTINEGEN_LOAD_PLUGINS", "")
    registry = load_registry()
    assert set(registry.exporters) == BUILTIN_FORMATS
    assert registry.warnings == []
    monkeypatch.setenv("ROUTINEGEN_LOAD_PLUGINS", "routinegen-a,routinegen-nowhere")
    registry = load_registry()
    assert set(registry.exporters) == BUILTIN_FORMATS | {"fa"}
    assert registry.warnings == [
        "ROUTINEGEN_LOAD_PLUGINS names 'routinegen-nowhere', but no installed distribution "
        "of that name has 'routinegen' entry points"
    ]


# --- `routinegen plugins` ----------------------------------------------------------------------


def test_plugins_command_lists_plugins_exporters_and_catalogs(install: Install) -> None:
    install(
        "routinegen-both",
        plugin(
            routinegen_register_exporters=lambda register: register(fixed("x", "both", "bth")),
            routinegen_register_catalogs=lambda register: register("both-cat", str(TINY)),
        ),
        version="0.4",
    )
    doc = json.loads(cli("plugins", "--format", "json").stdout)
    version = metadata.version("routinegen")
    assert {
        "name": "ical",
        "distribution": "routinegen",
        "version": version,
        "hooks": ["routinegen_register_exporters"],
    } in doc["plugins"]
    assert {
        "name": "both",
        "distribution": "routinegen-both",
        "version": "0.4",
        "hooks": ["routinegen_register_catalogs", "routinegen_register_exporters"],
    } in doc["plugins"]
    assert {
        "name": "ical",
        "extension": "ics",
        "media_type": "text/calendar",
        "plugin": "routinegen:ical",
    } in doc["exporters"]
    assert {
        "name": "both",
        "extension": "bth",
        "media_type": "text/plain",
        "plugin": "routinegen-both:both",
    } in doc["exporters"]
    assert doc["catalogs"] == [{"name": "both-cat", "plugin": "routinegen-both:both"}]
    assert doc["warnings"] == []

    text = cli("plugins")
    assert text.exit_code == 0
    lines = text.stdout.splitlines()
    assert re.search(
        r"^  both +routinegen-both 0\.4 +routinegen_register_catalogs, ", text.stdout, re.M
    )
    assert any(re.match(r"^  ical +\.ics +text/calendar +routinegen:ical$", ln) for ln in lines)
    assert any(re.match(r"^  both-cat +routinegen-both:both$", ln) for ln in lines)
    assert cli("plugins", "--format", "xml").exit_code == 2


# --- faults ------------------------------------------------------------------------------------


def test_a_plugin_that_fails_to_import_is_skipped_with_one_line(install: Install) -> None:
    install("routinegen-broken", ModuleNotFoundError("No module named 'lxml'"), version="0.9")
    install("routinegen-syntax", SyntaxError("invalid syntax\n  on two lines"))
    install("routinegen-exits", SystemExit(3))
    install("routinegen-fine", exporter_plugin(fixed("ok")))
    listed = cli("exporters")
    assert listed.exit_code == 0
    warnings = warnings_of(listed)
    assert warnings[0] == (
        "routinegen: warning: plugin 'broken' from routinegen-broken 0.9 was skipped: "
        "it failed to import: ModuleNotFoundError: No module named 'lxml'"
    )
    assert any("routinegen-syntax" in w and "invalid syntax on two lines" in w for w in warnings)
    assert any("routinegen-exits" in w and "SystemExit: 3" in w for w in warnings)
    assert len(listed.stderr.splitlines()) == 3  # one line each
    assert {line.split()[0] for line in listed.stdout.splitlines()} == BUILTIN_FORMATS | {"fixed"}
    made = cli("make", "-m", "10", "-F", "json")
    assert made.exit_code == 0 and json.loads(made.stdout)["kind"] == "routine"
    assert cli("plugins").exit_code == 0
    assert cli("catalog", "list").exit_code == 0


def test_a_plugin_that_fails_to_register_is_skipped(install: Install) -> None:
    def wrong_argument(add: Callable[[Exporter], None]) -> None:  # not `register`
        add(fixed("never"))

    def raising(register: Callable[[Exporter], None]) -> None:
        register(fixed("half", "half", "hlf"))
        raise ValueError("out of coffee")

    install("routinegen-wrong", plugin(routinegen_register_exporters=wrong_argument))
    install("routinegen-raising", plugin(routinegen_register_exporters=raising))
    install("routinegen-typo", plugin(routinegen_register_exporter=lambda register: None))
    registry = load_registry()
    assert set(registry.exporters) == BUILTIN_FORMATS  # nothing half-registered
    assert "routinegen-wrong" not in {p.distribution for p in registry.plugins}
    assert registry.manager.get_plugin("routinegen-wrong:wrong") is None
    assert len(registry.warnings) == 3
    (wrong,) = [w for w in registry.warnings if "routinegen-wrong" in w]
    (raised,) = [w for w in registry.warnings if "routinegen-raising" in w]
    (typo,) = [w for w in registry.warnings if "routinegen-typo" in w]
    assert wrong.startswith("plugin 'wrong' from routinegen-wrong 1.0 was skipped: it failed ")
    assert "add" in wrong and "\n" not in wrong
    assert raised == (
        "plugin 'raising' from routinegen-raising 1.0 failed to register exporters: "
        "ValueError: out of coffee; they are ignored"
    )
    assert "routinegen-typo" in typo and "routinegen_register_exporter," in typo
    optional = plugin(routinegen_register_future=lambda: None)
    optional.routinegen_register_future.routinegen_impl["optionalhook"] = True  # type: ignore[attr-defined]
    with_optional = load_registry(extra=[("future", optional)])
    assert with_optional.warnings == registry.warnings  # optionalhook: no warning
    assert "future" in {p.name for p in with_optional.plugins}
    made = cli("make", "-m", "10", "-F", "text")
    assert made.exit_code == 0 and "Proven optimal" in made.stdout
    assert len(warnings_of(made)) == 3


@dataclass(frozen=True)
class ListOptions(Options):
    """Options of a type ``--set`` cannot give."""

    items: tuple[str, ...] = option((), "")


def test_invalid_exporter_declarations_are_skipped_with_a_warning(install: Install) -> None:
    good = fixed("ok")
    install(
        "routinegen-sloppy",
        exporter_plugin(
            good,
            Exporter("Mark Down", "md", "text/markdown", lambda r, o, c: ""),
            Exporter("dotted", ".MD", "text/markdown", lambda r, o, c: ""),
            Exporter("opts", "opt", "text/plain", lambda r, o, c: "", options=ListOptions),
            "not an exporter",  # type: ignore[arg-type]
        ),
    )
    registry = load_registry()
    assert registry.exporter("fixed") is good
    assert set(registry.exporters) == BUILTIN_FORMATS | {"fixed"}
    assert len(registry.warnings) == 4
    assert all(
        w.startswith("plugin 'sloppy' from routinegen-sloppy 1.0") for w in registry.warnings
    )


def test_a_format_two_plugins_claim_is_an_error_naming_both(install: Install) -> None:
    install("routinegen-one", exporter_plugin(fixed("1", "dup", "dp")))
    install("routinegen-two", exporter_plugin(fixed("2", "dup", "dp")))
    doc = json.loads(cli("plugins", "--format", "json").stdout)
    owners = [row["plugin"] for row in doc["exporters"] if row["name"] == "dup"]
    assert owners == ["routinegen-one:one", "routinegen-two:two"]
    assert "format claimed twice" in cli("plugins").stdout
    for args in (["-F", "dup"], ["-o", "out.dp"]):
        made = cli("make", "-m", "10", *args)
        assert made.exit_code == 1
        assert made.stderr.strip() == (
            "routinegen: error: format 'dup' is claimed by both plugin 'one' from "
            "routinegen-one 1.0 and plugin 'two' from routinegen-two 1.0; uninstall one, "
            "or limit plugins with ROUTINEGEN_LOAD_PLUGINS"
        )
    assert cli("make", "-m", "10", "-F", "json").exit_code == 0


def test_an_exporter_that_raises_writes_nothing_and_names_its_plugin(
    install: Install, tmp_path: Path
) -> None:
    def boom(result: Any, options: Any, context: Any) -> str:
        raise RuntimeError("disk full of feelings")

    install(
        "routinegen-boom",
        exporter_plugin(
            Exporter("boom", "boom", "text/plain", boom),
            Exporter("number", "num", "text/plain", lambda r, o, c: 42),  # type: ignore[arg-type,return-value]
        ),
        version="0.0.1",
    )
    target = tmp_path / "week.txt"
    target.write_bytes(b"yesterday's plan\r\n\x00")
    for fmt, why in (
        ("boom", "failed: RuntimeError: disk full of feelings"),
        ("number", "returned int, not str or bytes"),
    ):
        made = cli("make", "-m", "10", "-F", fmt, "-o", str(target))
        assert made.exit_code == 1
        assert made.stderr.strip() == (
            f"routinegen: error: the {fmt} exporter (plugin 'boom' from routinegen-boom 0.0.1) "
            f"{why}; nothing was written"
        )
        assert target.read_bytes() == b"yesterday's plan\r\n\x00"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["week.txt"]  # no temp file left
        to_stdout = cli("make", "-m", "10", "-F", fmt)
        assert to_stdout.exit_code == 1 and to_stdout.stdout == ""


# --- exporter options --------------------------------------------------------------------------


def test_set_passes_typed_options_and_defaults(install: Install) -> None:
    seen: dict[str, Any] = {}

    def probe(result: Any, options: Any, context: Any) -> str:
        seen.update(options.as_dict())
        return "ok\n"

    @dataclass(frozen=True)
    class ProbeOptions(Options):
        count: int = option(1, "")
        ratio: float = option(0.5, "")
        label: str = option("x", "")
        loud: bool = option(False, "")

    options = ProbeOptions
    install(
        "routinegen-probe",
        exporter_plugin(Exporter("probe", "prb", "text/plain", probe, options=options)),
    )
    made = cli(
        "make",
        "-m",
        "10",
        "-F",
        "probe",
        "--set",
        "count=3",
        "--set",
        "loud=yes",
        "--set",
        "label=a=b",
    )
    assert made.exit_code == 0, made.output
    assert seen == {"count": 3, "ratio": 0.5, "label": "a=b", "loud": True}


def test_set_unknown_key_or_bad_value_is_an_error_naming_the_exporter(tmp_path: Path) -> None:
    out = tmp_path / "week.ics"
    made = cli(
        "make", "-m", "10", "-o", str(out), "--start", "2026-11-30", "--set", "alarm_minutes=5"
    )
    assert made.exit_code == 0, made.output
    assert b"TRIGGER:-PT5M" in out.read_bytes()
    for pair, words in (
        ("alarm=5", "the ical exporter has no option 'alarm' (it takes: alarm_minutes)"),
        ("alarm_minutes=soon", "ical exporter's option 'alarm_minutes' takes a whole number"),
        ("alarm_minutes", "expected KEY=VALUE, got 'alarm_minutes'"),
    ):
        bad = cli("make", "-m", "10", "-F", "ical", "--set", pair)
        assert bad.exit_code == 2
        assert words in " ".join(bad.stderr.split())
    assert "the text exporter has no option 'x' (it takes no options)" in " ".join(
        cli("make", "--set", "x=1").stderr.split()
    )


# --- choosing the format -----------------------------------------------------------------------


def test_output_extension_picks_the_format(install: Install, tmp_path: Path) -> None:
    install("routinegen-md", exporter_plugin(fixed("# md\n", "markdown", "md")))
    for name, check in (
        ("week.ics", lambda b: b.startswith(b"BEGIN:VCALENDAR")),
        ("week.JSON", lambda b: json.loads(b)["kind"] == "routine"),
        ("week.md", lambda b: b == b"# md\n"),
    ):
        made = cli("make", "-m", "10", "--start", "2026-11-30", "-o", str(tmp_path / name))
        assert made.exit_code == 0, made.output
        assert check((tmp_path / name).read_bytes()), name
    assert cli("make", "-o", str(tmp_path / "week.xyz")).exit_code == 2  # no exporter for it
    assert cli("make", "-m", "10", "-F", "text", "-o", str(tmp_path / "t.json")).exit_code == 0
    assert b"Proven optimal" in (tmp_path / "t.json").read_bytes()  # --format wins


def test_an_extension_two_formats_share_asks_for_format(install: Install, tmp_path: Path) -> None:
    install("routinegen-md1", exporter_plugin(fixed("1", "md-one", "md")))
    install("routinegen-md2", exporter_plugin(fixed("2", "md-two", "md")))
    made = cli("make", "-m", "10", "-o", str(tmp_path / "week.md"))
    assert made.exit_code == 2
    assert "belongs to the formats md-one, md-two; choose one with --format" in " ".join(
        made.stderr.split()
    )
    assert cli("make", "-m", "10", "-F", "md-two", "-o", str(tmp_path / "week.md")).exit_code == 0


def test_unknown_format_is_a_usage_error_listing_installed_ones(install: Install) -> None:
    install("routinegen-md", exporter_plugin(fixed("x", "markdown", "md")))
    made = cli("make", "-F", "xlsx")
    assert made.exit_code == 2
    assert (
        "unknown format 'xlsx'; choose from fit, html, ical, json, markdown, pdf, svg, text"
        in made.stderr
    )


def test_format_completion_offers_installed_exporters(install: Install) -> None:
    install("routinegen-md", exporter_plugin(fixed("x", "markdown", "md")))
    assert [name for name, _ in _complete_format("")] == [
        "fit",
        "html",
        "ical",
        "json",
        "markdown",
        "pdf",
        "svg",
        "text",
    ]
    assert _complete_format("ma") == [("markdown", "text/plain")]
    assert _complete_format("j")[0][0] == "json"
    shell = CliRunner().invoke(
        app,
        [],
        prog_name="routinegen",
        env={
            "_ROUTINEGEN_COMPLETE": "complete_bash",
            "COMP_WORDS": "routinegen make --format ",
            "COMP_CWORD": "3",
        },
    )
    assert "markdown" in shell.stdout and "ical" in shell.stdout


def test_shell_completion_script_calls_back_with_the_installed_formats() -> None:
    """The script a user sources must speak the protocol the command answers."""
    command = Path(sys.executable).with_name("routinegen")
    if not command.exists():
        pytest.skip("the routinegen command is not installed beside this Python")
    env = {"ROUTINEGEN_LOAD_PLUGINS": ""}
    run = [str(command)]
    script = subprocess.run(
        [*run, "completion", "bash"], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert "_ROUTINEGEN_COMPLETE=bash_complete" in script  # the protocol main() answers
    env |= {
        "_ROUTINEGEN_COMPLETE": "bash_complete",
        "COMP_WORDS": "routinegen make -F ",
        "COMP_CWORD": "3",
    }
    answer = subprocess.run(run, env=env, capture_output=True, text=True, check=True).stdout
    values = [line.partition(",")[2] for line in answer.split()]  # click's "type,value"
    assert values == ["fit", "html", "ical", "json", "pdf", "svg", "text"]


# --- startup -----------------------------------------------------------------------------------


def test_listing_commands_never_import_ortools() -> None:
    """--help and the listings must start fast: the solver stays unloaded."""
    code = textwrap.dedent(
        """
        import os, sys
        os.environ["ROUTINEGEN_LOAD_PLUGINS"] = ""
        from typer.testing import CliRunner
        from routinegen.cli import app
        for args in (["--help"], ["catalog", "list"], ["catalog", "show", "back"],
                     ["exporters"], ["plugins"], ["plugins", "--format", "json"]):
            result = CliRunner().invoke(app, args)
            assert result.exit_code == 0, (args, result.output)
        print(sorted(m for m in sys.modules if m.startswith("ortools")))
        """
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"


# --- the real installed example ----------------------------------------------------------------


def example_installed() -> bool:
    try:
        metadata.distribution("routinegen-markdown")
    except metadata.PackageNotFoundError:
        return False
    return importlib.util.find_spec("routinegen_markdown") is not None


needs_example = pytest.mark.skipif(
    not example_installed(),
    reason="pip install ./examples/routinegen-markdown to run (.ci/run does, after the main run)",
)


@needs_example
def test_installed_example_loads_only_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ROUTINEGEN_LOAD_PLUGINS", raising=False)
    assert "markdown" not in load_registry().exporters
    monkeypatch.setenv("ROUTINEGEN_LOAD_PLUGINS", "")
    assert "markdown" not in load_registry().exporters
    monkeypatch.setenv("ROUTINEGEN_LOAD_PLUGINS", "routinegen-markdown")
    registry = load_registry()
    assert registry.warnings == []
    (info,) = [p for p in registry.plugins if p.distribution == "routinegen-markdown"]
    assert info.version == metadata.version("routinegen-markdown")
    assert info.hooks == ("routinegen_register_catalogs", "routinegen_register_exporters")
    assert "desk-breaks" in registry.catalogs
    made = cli("make", "-m", "10", "-F", "markdown", "--set", "heading_level=2")
    assert made.exit_code == 0, made.output
    assert made.stdout.startswith("## Back routine (10 min)\n")


@needs_example
def test_installed_example_render_fault_names_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ROUTINEGEN_LOAD_PLUGINS", "routinegen-markdown")
    target = tmp_path / "week.md"
    target.write_text("keep me\n")
    made = cli("make", "-m", "10", "-o", str(target), "--set", "heading_level=9")
    assert made.exit_code == 2  # its options are checked before solving: a usage error
    version = metadata.version("routinegen-markdown")
    assert f"plugin 'markdown' from routinegen-markdown {version}" in " ".join(made.stderr.split())
    assert "heading_level must be 1 to 5" in " ".join(made.stderr.split())
    assert target.read_text() == "keep me\n"


# --- result kinds ------------------------------------------------------------------------------


def test_an_exporter_renders_only_the_kinds_it_declares(install: Install, tmp_path: Path) -> None:
    """``week -F`` a routine-only format fails as a usage error before any solving; ``make``
    with it works; a batch names the plan person it cannot render, the others run."""
    install(
        "routinegen-card",
        exporter_plugin(
            Exporter("card", "card", "text/plain", lambda r, o, c: "card\n", kinds=("routine",))
        ),
    )
    refused = cli("week", "--days", "mon", "-F", "card")
    assert refused.exit_code == 2
    assert "the card exporter renders routines only, not plans" in refused.stderr
    assert cli("make", "-m", "10", "-F", "card").stdout == "card\n"
    by_extension = cli("week", "--days", "mon", "-o", str(tmp_path / "week.card"))
    assert by_extension.exit_code == 2 and "--output" in by_extension.stderr
    people = tmp_path / "people.yaml"
    people.write_text(
        "people:\n  - {id: ann, minutes: 10}\n  - {id: bob, kind: plan, days: mon, minutes: 10}\n",
        encoding="utf-8",
    )
    batch = cli("batch", str(people), "-o", str(tmp_path / "out"), "-F", "card", "-w", "0")
    assert batch.exit_code != 0
    assert "bob: invalid: the card format renders routines only, not plans" in batch.stderr
    assert (tmp_path / "out" / "ann.card").read_text(encoding="utf-8") == "card\n"
    assert not (tmp_path / "out" / "bob.card").exists()


def test_unknown_result_kinds_are_refused_at_registration(install: Install) -> None:
    install(
        "routinegen-odd",
        exporter_plugin(Exporter("odd", "odd", "text/plain", lambda r, o, c: "", kinds=("pdf",))),
    )
    listed = cli("exporters")
    assert listed.exit_code == 0
    assert "odd" not in listed.stdout
    assert any("renders the kinds ('pdf',)" in w for w in warnings_of(listed))


def test_routinegen_register_commands_adds_a_command_to_the_cli(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """More in tests/test_plugin_commands.py: collisions, bad shapes, failures, speed."""
    import click
    from click.testing import CliRunner as ClickRunner

    from routinegen import cli

    @click.command(name="hello")
    def hello() -> None:
        click.echo("hello from a plugin")

    def routinegen_register_commands(register: Callable[[Any], None]) -> None:
        register(hello)

    extra = [("hi", plugin(routinegen_register_commands=routinegen_register_commands))]
    monkeypatch.setattr(registry_module, "load_registry", lambda: load_registry(extra=extra))
    registry = registry_module.load_registry()
    assert [key for _, key in registry.commands["hello"]] == ["hi"]
    run = ClickRunner().invoke(cli.command_for(["hello"]), ["hello"])
    assert run.output == "hello from a plugin\n"
