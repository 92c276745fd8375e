"""Plugins that misbehave (issue #18, class 2): whatever a plugin raises, at import, in a
hook or in ``render``, and whatever malformed object it registers, it is skipped with one
line (or, in ``render``, the run stops with exit 1 naming it) and every other command works.

Plugin doubles come in through fake entry points, as in tests/test_plugins.py; the slow
tests install a real one (a dist-info folder on PYTHONPATH) and run the installed command.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import subprocess
import sys
import textwrap
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from helpers.results import make_plan, make_routine
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from routinegen import Exporter, Options, RenderContext, hookimpl, option
from routinegen import registry as registry_module
from routinegen.batch import worker
from routinegen.cli import app
from routinegen.exporter import OptionError, OptionFault, OptionField
from routinegen.output.render import RenderError, render
from routinegen.registry import load_registry

FIXTURES = Path(__file__).parent / "fixtures"
BUILTIN_FORMATS = {"text", "json", "ical", "svg", "fit", "html", "pdf"}


# ---------------------------------------------------------------------------- exceptions


class Custom(BaseException):
    """Neither an Exception nor one of Python's own BaseExceptions."""


class Unprintable(Exception):
    def __str__(self) -> str:
        raise RuntimeError("no message for you")


class UnprintableBase(BaseException):
    def __str__(self) -> str:
        raise KeyboardInterrupt


def _raisers() -> list[BaseException]:
    return [
        ValueError("bad value"),
        RuntimeError("multi\nline\nmessage"),
        ImportError("no module named 'nope'"),
        RecursionError("too deep"),
        MemoryError(),
        KeyboardInterrupt(),
        SystemExit(0),
        SystemExit(5),
        SystemExit("a message"),
        SystemExit(None),
        GeneratorExit(),
        Custom("custom"),
        Unprintable(),
        UnprintableBase(),
        BaseExceptionGroup("group", [ValueError("inside")]),
    ]


EXCEPTIONS = st.sampled_from(range(len(_raisers()))).map(lambda i: _raisers()[i])


# ---------------------------------------------------------------------------- doubles


@dataclass
class FakeEntryPoint:
    name: str
    dist: types.SimpleNamespace
    loader: Callable[[], object]

    def load(self) -> object:
        return self.loader()


Install = Callable[..., None]


@contextlib.contextmanager
def installing(dist: str, loaded: object) -> Iterator[None]:
    """One more installed plugin that loads (or raises ``loaded`` when imported)."""

    def loader() -> object:
        if isinstance(loaded, BaseException):
            raise loaded
        return loaded

    real = registry_module.entry_points
    meta = types.SimpleNamespace(
        name=dist, version="1.0", metadata={"Name": dist, "Version": "1.0"}
    )
    fake = FakeEntryPoint(dist.removeprefix("routinegen-"), meta, loader)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(registry_module, "entry_points", lambda group: [*real(group=group), fake])
        patch.setenv("ROUTINEGEN_LOAD_PLUGINS", dist)
        worker._registry.cache_clear()  # an in-process batch worker keeps what it loaded
        try:
            yield
        finally:
            worker._registry.cache_clear()


@pytest.fixture
def install() -> Iterator[Install]:
    """``install(dist, plugin_or_exception)`` for the rest of the test."""
    with contextlib.ExitStack() as stack:
        yield lambda dist, loaded: stack.enter_context(installing(dist, loaded))


def plugin(**hooks: Callable[..., None]) -> object:
    return types.SimpleNamespace(**{name: hookimpl(fn) for name, fn in hooks.items()})


def exporter_plugin(*exporters: object) -> object:
    def routinegen_register_exporters(register: Callable[[object], None]) -> None:
        for exporter in exporters:
            register(exporter)

    return plugin(routinegen_register_exporters=routinegen_register_exporters)


def raising(exc: BaseException) -> Callable[..., Any]:
    def fn(*args: Any, **kwargs: Any) -> Any:
        raise exc

    return fn


def cli(*args: str) -> Any:
    """The command in this process; a BaseException escaping it fails the test (it would
    otherwise stop pytest itself)."""
    try:
        return CliRunner().invoke(app, list(args), prog_name="routinegen")
    except BaseException as exc:  # pragma: no cover - only when a guard is missing
        pytest.fail(f"routinegen {' '.join(args)} let {exc!r} escape")


def warnings_of(result: Any) -> list[str]:
    return [ln for ln in result.stderr.splitlines() if ln.startswith("routinegen: warning:")]


def listed(name: str, listing: str) -> bool:
    return re.search(rf"^\s*{name}\s", listing, re.MULTILINE) is not None


def assert_others_work(result: Any, plugin_name: str = "hostile") -> None:
    """The command ran (exit 0), every built-in format is there, one line blames the plugin."""
    assert result.exit_code == 0, (result.exit_code, result.stderr)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    for name in BUILTIN_FORMATS:
        assert listed(name, result.stdout), (name, result.stdout)
    blamed = [w for w in warnings_of(result) if f"'{plugin_name}'" in w]
    assert len(blamed) == 1, result.stderr


def fixed(name: str = "hostile", **changes: Any) -> Exporter:
    exporter = Exporter(name, "hst", "text/plain", lambda result, options, context: "ok\n")
    return dataclasses.replace(exporter, **changes) if changes else exporter


# ---------------------------------------------------------------------------- raising


@settings(max_examples=len(_raisers()))
@given(exc=EXCEPTIONS)
def test_a_plugin_raising_anything_at_import_is_skipped_with_one_line(
    exc: BaseException,
) -> None:
    with installing("routinegen-hostile", exc):
        assert_others_work(cli("exporters"))


@settings(max_examples=len(_raisers()))
@given(exc=EXCEPTIONS, hook=st.sampled_from(["exporters", "catalogs"]))
def test_a_plugin_raising_anything_in_a_hook_is_skipped_with_one_line(
    exc: BaseException, hook: str
) -> None:
    with installing("routinegen-hostile", plugin(**{f"routinegen_register_{hook}": raising(exc)})):
        assert_others_work(cli("exporters"))


class Booby:
    """A plugin object that raises what it was given when asked for its attributes."""

    def __init__(self, exc: BaseException) -> None:
        object.__setattr__(self, "_exc", exc)

    def __getattr__(self, name: str) -> Any:
        raise object.__getattribute__(self, "_exc")

    def __dir__(self) -> list[str]:  # pluggy lists the attributes when registering
        raise object.__getattribute__(self, "_exc")


@settings(max_examples=len(_raisers()))
@given(exc=EXCEPTIONS)
def test_a_plugin_object_whose_attributes_raise_is_skipped(exc: BaseException) -> None:
    with installing("routinegen-hostile", Booby(exc)):
        assert_others_work(cli("exporters"))


def test_load_registry_survives_every_exception_from_every_place() -> None:
    for exc in _raisers():
        registry = load_registry(
            [
                ("at-import", exporter_plugin(fixed("good"))),
                ("in-hook", plugin(routinegen_register_exporters=raising(exc))),
                ("in-catalogs", plugin(routinegen_register_catalogs=raising(exc))),
            ]
        )
        assert BUILTIN_FORMATS | {"good"} <= set(registry.exporters)
        assert len(registry.warnings) == 2, registry.warnings
        assert all("\n" not in w for w in registry.warnings)


# ---------------------------------------------------------------------------- malformed shapes


@dataclass(frozen=True)
class Fine(Options):
    count: int = option(1, "a count")


def _options_with(fields: list[Any]) -> type[Options]:
    """An Options class whose ``fields()`` returns ``fields`` whatever it declares."""

    @dataclass(frozen=True)
    class Forged(Options):
        count: int = option(1, "a count")

        @classmethod
        def fields(cls) -> list[OptionField]:
            return fields

    return Forged


def _declared(annotation: Any, default: Any) -> type[Options]:
    return dataclasses.make_dataclass(
        "Declared",
        [("value", annotation, dataclasses.field(default=default))],
        bases=(Options,),
        frozen=True,
    )


class Hostile(Exporter):  # type: ignore[misc]
    """An Exporter whose name raises when read."""

    @property  # type: ignore[misc]
    def name(self) -> str:  # type: ignore[override]
        raise KeyboardInterrupt

    @name.setter
    def name(self, value: str) -> None:  # the dataclass's __init__ sets it
        pass


def _exploding_options() -> type[Options]:
    @dataclass(frozen=True)
    class Exploding(Options):
        count: int = option(1, "a count")

        def __post_init__(self) -> None:
            raise SystemExit(3)

    return Exploding


MALFORMED: dict[str, Callable[[], object]] = {
    "not an exporter": lambda: "text",
    "None": lambda: None,
    "options None": lambda: fixed(options=None),
    "options an int": lambda: fixed(options=int),
    "options an instance": lambda: fixed(options=Fine()),
    "unhashable option name": lambda: fixed(
        options=_options_with([OptionField(["count"], int, 1, "")])  # type: ignore[arg-type]
    ),
    "option name a=b": lambda: fixed(options=_options_with([OptionField("a=b", int, 1, "")])),
    "empty option name": lambda: fixed(options=_options_with([OptionField("", int, 1, "")])),
    "option name with a dot": lambda: fixed(
        options=_options_with([OptionField("a.b", int, 1, "")])
    ),
    "option name with a space": lambda: fixed(
        options=_options_with([OptionField(" count", int, 1, "")])
    ),
    "option twice": lambda: fixed(
        options=_options_with([OptionField("count", int, 1, ""), OptionField("count", int, 1, "")])
    ),
    "fields not a list": lambda: fixed(options=_options_with(None)),  # type: ignore[arg-type]
    "fields of dicts": lambda: fixed(options=_options_with([{"name": "count"}])),
    "fields not the dataclass": lambda: fixed(
        options=_options_with([OptionField("other", int, 1, "")])
    ),
    "int default a str": lambda: fixed(options=_declared(int, "5")),
    "int default a bool": lambda: fixed(options=_declared(int, True)),
    "bool default an int": lambda: fixed(options=_declared(bool, 1)),
    "str default None": lambda: fixed(options=_declared(str, None)),
    "float default NaN": lambda: fixed(options=_declared(float, float("nan"))),
    "float default a str": lambda: fixed(options=_declared(float, "1.5")),
    "list option": lambda: fixed(options=_declared(list, ())),
    "forged wrong default": lambda: fixed(
        options=_options_with([OptionField("count", int, "1", "")])
    ),
    "options that raise": lambda: fixed(options=_exploding_options()),
    "name unhashable": lambda: fixed(name=["x"]),  # type: ignore[arg-type]
    "name a str subclass": lambda: fixed(name=type("S", (str,), {})("hostile")),
    "name with a space": lambda: fixed(name="my format"),
    "extension None": lambda: fixed(extension=None),
    "extension with a dot": lambda: fixed(extension=".md"),
    "media type None": lambda: fixed(media_type=None),
    "description a list": lambda: fixed(description=["x"]),
    "description with a newline": lambda: fixed(description="two\nlines"),
    "render None": lambda: fixed(render=None),
    "kinds a list": lambda: fixed(kinds=["routine"]),
    "kinds empty": lambda: fixed(kinds=()),
    "kinds unknown": lambda: fixed(kinds=("workout",)),
    "kinds unhashable": lambda: fixed(kinds=(["routine"],)),
    "name raises": lambda: Hostile("hostile", "hst", "text/plain", lambda r, o, c: ""),
}


@settings(max_examples=len(MALFORMED))
@given(shape=st.sampled_from(sorted(MALFORMED)))
def test_every_malformed_exporter_is_skipped_and_the_others_work(shape: str) -> None:
    with installing("routinegen-hostile", exporter_plugin(MALFORMED[shape](), fixed("sibling"))):
        result = cli("exporters")
        listing = cli("plugins")
    assert_others_work(result)
    assert listed("sibling", result.stdout)  # the plugin's good exporter stays
    assert "registered an exporter that" in warnings_of(result)[0], result.stderr
    assert listing.exit_code == 0, listing.stderr
    assert "internal error" not in listing.stderr


@pytest.mark.parametrize("shape", ["options None", "unhashable option name", "name raises"])
def test_a_malformed_exporter_does_not_stop_a_built_in_format(
    shape: str, install: Install, tmp_path: Path
) -> None:
    install("routinegen-hostile", exporter_plugin(MALFORMED[shape]()))
    out = tmp_path / "r.json"
    result = cli(
        "make", "-c", str(FIXTURES / "tiny.yaml"), "-m", "12", "-e", "kettlebell", "-o", str(out)
    )
    assert result.exit_code == 0, result.stderr
    assert out.read_bytes().startswith(b"{")


# ---------------------------------------------------------------------------- render


@settings(max_examples=len(_raisers()) * 2)
@given(exc=EXCEPTIONS, result=st.sampled_from(["routine", "plan"]))
def test_render_raising_anything_is_a_render_error_naming_the_plugin(
    exc: BaseException, result: str
) -> None:
    exporter = fixed(render=raising(exc))
    given_result = make_routine() if result == "routine" else make_plan()
    with pytest.raises(RenderError) as raised:
        render(exporter, given_result, Options(), RenderContext.now(), where="plugin 'hostile'")
    message = str(raised.value)
    assert message.startswith("the hostile exporter (plugin 'hostile') failed: ")
    assert "\n" not in message


class WeirdStr(str):
    def encode(self, *args: Any, **kwargs: Any) -> bytes:  # type: ignore[override]
        raise SystemExit(0)


class WeirdBytes(bytes):
    pass


@pytest.mark.parametrize(
    ("returned", "expected"),
    [
        (WeirdStr("text"), b"text"),
        (WeirdBytes(b"bytes"), b"bytes"),
        (None, RenderError),
        (42, RenderError),
        (bytearray(b"x"), RenderError),
        ("\ud800", RenderError),  # a lone surrogate cannot be UTF-8
    ],
    ids=["str-subclass", "bytes-subclass", "none", "int", "bytearray", "surrogate"],
)
def test_whatever_render_returns_is_bytes_or_a_render_error(returned: Any, expected: Any) -> None:
    exporter = fixed(render=lambda r, o, c: returned)
    call = lambda: render(exporter, make_routine(), Options(), RenderContext.now(), where="p")  # noqa: E731
    if expected is RenderError:
        with pytest.raises(RenderError, match="the hostile exporter"):
            call()
    else:
        data = call()
        assert data == expected and type(data) is bytes


@pytest.mark.parametrize("code", [0, 5, None, "bye"])
def test_sys_exit_in_render_is_exit_1_naming_the_plugin_and_nothing_written(
    code: Any, install: Install, tmp_path: Path
) -> None:
    install("routinegen-hostile", exporter_plugin(fixed(render=raising(SystemExit(code)))))
    out = tmp_path / "r.hst"
    out.write_bytes(b"before")
    result = cli(
        "make", "-c", str(FIXTURES / "tiny.yaml"), "-m", "12", "-e", "kettlebell", "-o", str(out)
    )
    assert result.exit_code == 1, (result.exit_code, result.stderr)
    assert "plugin 'hostile' from routinegen-hostile 1.0" in result.stderr
    assert "nothing was written" in result.stderr
    assert out.read_bytes() == b"before"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.hst"]


def test_keyboard_interrupt_from_render_in_a_batch_is_that_persons_error(
    install: Install, tmp_path: Path
) -> None:
    install("routinegen-hostile", exporter_plugin(fixed(render=raising(KeyboardInterrupt()))))
    people = tmp_path / "people.csv"
    people.write_text(f"id,minutes,catalog,equipment\na,12,{FIXTURES / 'tiny.yaml'},kettlebell\n")
    out = tmp_path / "plans"
    result = cli("batch", str(people), "-o", str(out), "-F", "hostile,json", "-w", "0", "--quiet")
    assert result.exit_code == 1, result.stderr
    assert "the hostile exporter" in result.stderr and "KeyboardInterrupt" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == [".routinegen-batch", "summary.json"]


# ---------------------------------------------------------------------------- options


def _validating(exc: BaseException) -> type[Options]:
    @dataclass(frozen=True)
    class Picky(Options):
        count: int = option(1, "a count")

        def validate(self) -> None:
            if self.count != 1:
                raise exc

    return Picky


@settings(max_examples=len(_raisers()))
@given(exc=EXCEPTIONS)
def test_an_options_check_raising_anything_is_refused_before_solving(exc: BaseException) -> None:
    with installing("routinegen-hostile", exporter_plugin(fixed(options=_validating(exc)))):
        result = cli("make", "-F", "hostile", "--set", "count=2", "-c", "no-such-catalog")
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert "no-such-catalog" not in result.stderr  # refused before the catalog was read
    if isinstance(exc, ValueError):
        assert result.exit_code == 2, result.stderr  # the plugin refuses the value: usage
    else:
        assert result.exit_code == 1, result.stderr  # the plugin is broken: its fault
        assert "plugin 'hostile' from routinegen-hostile 1.0" in result.stderr


def test_option_fault_is_not_a_usage_error() -> None:
    with pytest.raises(OptionFault):
        _validating(SystemExit(0)).build({"count": 2}, "hostile")


BUILTIN_INT_OPTIONS = [
    ("ical", "alarm_minutes"),
    ("json", "indent"),
    ("fit", "session"),
    ("svg", "width"),
]


@settings(max_examples=40)
@given(
    target=st.sampled_from(BUILTIN_INT_OPTIONS),
    value=st.one_of(st.integers(max_value=-1), st.integers(min_value=10**5)),
)
def test_built_in_options_have_ranges(target: tuple[str, str], value: int) -> None:
    registry = load_registry()
    name, key = target
    with pytest.raises(OptionError, match=key):
        registry.exporter(name).parse_options({key: str(value)})


def test_a_huge_alarm_is_a_usage_error_before_solving() -> None:
    result = cli(
        "make", "-F", "ical", "--set", "alarm_minutes=99999999999999999999", "-c", "no-such"
    )
    assert result.exit_code == 2, result.stderr
    assert "alarm_minutes must be from 0 to 10080" in result.stderr
    assert "no-such" not in result.stderr


# ---------------------------------------------------------------------------- installed


def _installed(tmp_path: Path, module: str) -> dict[str, str]:
    """A real installed plugin: a module and its dist-info on PYTHONPATH."""
    site = tmp_path / "site"
    info = site / "routinegen_hostile-1.0.dist-info"
    info.mkdir(parents=True)
    (site / "hostile_plugin.py").write_text(textwrap.dedent(module), encoding="utf-8")
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: routinegen-hostile\nVersion: 1.0\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(
        "[routinegen]\nhostile = hostile_plugin\n", encoding="utf-8"
    )
    return {
        **os.environ,
        "PYTHONPATH": str(site),
        "ROUTINEGEN_LOAD_PLUGINS": "routinegen-hostile",
    }


def _routinegen(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "routinegen", *args]
    return subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, timeout=120)


@pytest.mark.slow
@pytest.mark.parametrize("raised", ["KeyboardInterrupt", "SystemExit(0)", "SystemExit(5)"])
def test_installed_plugin_raising_at_import_leaves_every_command_working(
    raised: str, tmp_path: Path
) -> None:
    env = _installed(tmp_path, f"raise {raised}\n")
    listing = _routinegen("exporters", env=env, cwd=tmp_path)
    assert listing.returncode == 0, listing.stderr
    assert "plugin 'hostile' from routinegen-hostile 1.0 was skipped" in listing.stderr
    assert listing.stderr.count("\n") == 1, listing.stderr
    made = _routinegen("make", "-m", "10", "-F", "json", env=env, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith("{")


@pytest.mark.slow
@pytest.mark.parametrize("code", ["0", "5"])
def test_installed_plugin_calling_sys_exit_in_render_is_exit_1(code: str, tmp_path: Path) -> None:
    env = _installed(
        tmp_path,
        f"""
        import sys
        from routinegen import Exporter, hookimpl

        def render(result, options, context):
            sys.exit({code})

        @hookimpl
        def routinegen_register_exporters(register):
            register(Exporter("hostile", "hst", "text/plain", render))
        """,
    )
    made = _routinegen("make", "-m", "10", "-o", "out.hst", env=env, cwd=tmp_path)
    assert made.returncode == 1, (made.returncode, made.stderr)
    assert "plugin 'hostile' from routinegen-hostile 1.0" in made.stderr
    assert "SystemExit" in made.stderr and "nothing was written" in made.stderr
    assert not (tmp_path / "out.hst").exists()


# ---------------------------------------------------------------------------- catalog sources


class _HostileSource:
    """A Traversable-looking catalog source whose every method raises."""

    def __init__(self, exc: BaseException) -> None:
        self.exc = exc

    def __fspath__(self) -> str:
        raise self.exc

    def is_file(self) -> bool:
        raise self.exc

    def __repr__(self) -> str:
        raise self.exc


@settings(max_examples=len(_raisers()))
@given(exc=EXCEPTIONS, name=st.sampled_from(["theirs", ["x"], None, type("S", (str,), {})("s")]))
def test_a_hostile_catalog_registration_is_skipped(exc: BaseException, name: Any) -> None:
    def routinegen_register_catalogs(register: Callable[[Any, Any], None]) -> None:
        register(name, _HostileSource(exc))

    registry = load_registry(
        [("hostile", plugin(routinegen_register_catalogs=routinegen_register_catalogs))]
    )
    assert registry.catalogs == {}
    assert len(registry.warnings) == 1 and "ignored" in registry.warnings[0]
