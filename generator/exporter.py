"""What an exporter is: a named renderer from a result to text or bytes, with typed options.

Options follow simonw/llm's ``Options`` classes: each exporter declares one frozen dataclass
whose fields are its ``--set KEY=VALUE`` keys. The front end parses and validates them once,
before any solving, so a typo costs nothing and ``render`` gets values of the declared types.
What a renderer may not know by itself (the time, whether output must be reproducible, a
stable name for the result) comes in a ``RenderContext`` from the caller.
"""

from __future__ import annotations

import dataclasses
import math
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar, get_type_hints

from routinegen.errors import RoutinegenError
from routinegen.results import Plan, Routine

Result = Routine | Plan
KINDS = ("routine", "plan")  # the result kinds: a Routine from make, a Plan from week
OPTION_TYPES: tuple[type, ...] = (int, float, str, bool)
_TRUE, _FALSE = ("true", "1", "yes"), ("false", "0", "no")
_KIND_WORDS = {int: "a whole number", float: "a number", str: "text", bool: "true or false"}
_NUMBER = {
    int: re.compile(r"^[-+]?[0-9]+$", re.ASCII),
    float: re.compile(r"^[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$", re.ASCII),
}

OptionsT = TypeVar("OptionsT", bound="Options")
# Format and catalog names are typed on command lines: keep them plain.
NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
EXTENSION = re.compile(r"^[a-z0-9][a-z0-9_+-]*$")
# What ``--set KEY=VALUE`` and batch's ``--set FORMAT.KEY=VALUE`` can say: no "=", ".", space.
OPTION_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class OptionError(RoutinegenError, ValueError):
    """An exporter option given that the exporter does not take, or a value it refuses."""

    exit_code = 2


class OptionRefused(OptionError):
    """Values of the right types that the exporter's own ``validate`` refuses."""


class OptionFault(RoutinegenError):
    """An exporter's options class failed (raised something other than ``ValueError``): the
    plugin's bug, not the user's mistake, so exit 1 rather than a usage error."""


def is_interrupt(exc: BaseException) -> bool:
    """Whether ``exc`` is a real interruption (Ctrl-C or SIGTERM, raised by the command line's
    signal handler as an exception marked ``routinegen_interrupt``) rather than something a
    plugin raised: a plugin's ``KeyboardInterrupt`` or ``SystemExit`` is a plugin failure."""
    try:
        return getattr(type(exc), "routinegen_interrupt", False) is True
    except Exception:  # a plugin's exception class with a hostile metaclass
        return False


def one_line(exc: BaseException) -> str:
    """An exception as one line: warnings must not spill over the user's terminal. Safe for
    any exception a plugin raises, even one whose ``str`` raises in turn."""
    try:
        text = " ".join(str(exc).split())
    except BaseException as inner:
        if is_interrupt(inner):
            raise
        text = "(its message cannot be shown)"
    name = getattr(type(exc), "__name__", "exception")
    name = name if isinstance(name, str) else "exception"
    return f"{name}: {text}" if text else name


def option(default: Any, help: str) -> Any:
    """One option field: its default and the line ``routinegen exporters`` shows for it."""
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Options:
    """The options of an exporter that takes none; subclass it to declare some.

    Fields must be ``int``, ``float``, ``str`` or ``bool`` with a default (use ``option``).
    Override ``validate`` to refuse values the type alone admits; raise ``ValueError`` with
    a sentence, which the user sees after the option's name.
    """

    def validate(self) -> None:
        """Refuse values that are of the right type but make no sense."""

    @classmethod
    def fields(cls) -> list[OptionField]:
        """The declared options, in declaration order."""
        hints = get_type_hints(cls)
        return [
            OptionField(f.name, hints[f.name], f.default, str(f.metadata.get("help", "")))
            for f in dataclasses.fields(cls)
        ]

    @classmethod
    def parse(cls: type[OptionsT], raw: Mapping[str, str], exporter: str = "") -> OptionsT:
        """The options from ``KEY=VALUE`` strings, unknown keys and bad values refused."""
        declared = {f.name: f for f in cls.fields()}
        values: dict[str, Any] = {}
        for key, text in raw.items():
            if key not in declared:
                takes = (
                    f"it takes: {', '.join(sorted(declared))}"
                    if declared
                    else "it takes no options"
                )
                raise OptionError(f"the {exporter} exporter has no option {key!r} ({takes})")
            values[key] = declared[key].convert(text, exporter)
        return cls.build(values, exporter)

    @classmethod
    def build(cls: type[OptionsT], values: Mapping[str, Any], exporter: str = "") -> OptionsT:
        """The options from typed values (the Python API), checked by ``validate``."""
        try:
            options = cls(**values)
        except TypeError as exc:
            raise OptionError(f"the {exporter} exporter's options: {one_line(exc)}") from None
        except BaseException as exc:
            if is_interrupt(exc):
                raise
            raise OptionFault(
                f"the {exporter} exporter's options failed: {one_line(exc)}"
            ) from None
        try:
            options.validate()
        except ValueError as exc:
            raise OptionRefused(
                f"the {exporter} exporter refuses its options: {one_line(exc).partition(': ')[2]}"
            ) from None
        except BaseException as exc:
            if is_interrupt(exc):
                raise
            raise OptionFault(
                f"the {exporter} exporter's option check failed: {one_line(exc)}"
            ) from None
        return options

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class OptionField:
    """One declared option, as listings and parsing see it."""

    name: str
    type: type
    default: Any
    help: str

    def convert(self, text: str, exporter: str = "") -> Any:
        """``text`` as a value of this option's type."""
        try:
            if self.type is bool:
                if text.lower() not in (*_TRUE, *_FALSE):
                    raise ValueError(text)
                return text.lower() in _TRUE
            # int() and float() take any script's digits, "1_000", "nan" and "inf"
            if self.type in (int, float) and not _NUMBER[self.type].match(text.strip()):
                raise ValueError(text)
            value = self.type(text)
            if self.type is float and not math.isfinite(value):  # "1e999" is infinity
                raise ValueError(text)
            return value
        except ValueError:
            raise OptionError(
                f"the {exporter} exporter's option {self.name!r} takes "
                f"{_KIND_WORDS.get(self.type, self.type.__name__)}, got {text!r}"
            ) from None


@dataclass(frozen=True)
class RenderContext:
    """What the caller tells a renderer: renderers read neither the clock nor the environment.

    ``timestamp`` is the aware UTC time to stamp output with (iCalendar DTSTAMP, a file's
    creation time); ``reproducible`` means the output must not depend on the clock or the
    machine (no wall times); ``identity`` is a stable name the caller gives the result (a
    stored plan's id, a batch person), from which exporters derive identifiers that must
    survive a regeneration; ``sequence`` counts the result's revisions (iCalendar SEQUENCE).
    """

    timestamp: datetime
    reproducible: bool = False
    identity: str | None = None
    sequence: int = 0

    @classmethod
    def now(cls, identity: str | None = None, sequence: int = 0) -> RenderContext:
        """The context of a run now: ``SOURCE_DATE_EPOCH``, when set, fixes the time stamp
        and makes the output reproducible (the reproducible-builds convention)."""
        raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
        if not raw:
            stamp = datetime.now(UTC).replace(microsecond=0)
            return cls(stamp, False, identity, sequence)
        try:
            epoch = int(raw)
            stamp = datetime.fromtimestamp(epoch, UTC)
        except (ValueError, OverflowError, OSError):
            raise RoutinegenError(
                f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, got {raw!r}"
            ) from None
        return cls(stamp, True, identity, sequence)


Render = Callable[[Result, Any, RenderContext], str | bytes]


@dataclass(frozen=True)
class Exporter:
    """An output format. ``render`` must be pure: the same arguments give the same output.

    ``render(result, options, context)`` gets an instance of ``options`` (parsed and
    validated before solving) and a ``RenderContext``; it returns ``str`` (written as UTF-8)
    or ``bytes``. An exception it raises stops the run with a message naming the plugin, and
    nothing is written.
    """

    name: str  # what --format takes, e.g. "ical"
    extension: str  # without the dot, e.g. "ics"
    media_type: str  # e.g. "text/calendar"
    render: Render
    description: str = ""
    options: type[Options] = Options
    kinds: tuple[str, ...] = KINDS  # the result kinds it renders; asked for another: usage error

    def parse_options(self, raw: Mapping[str, str]) -> Options:
        """``--set`` style strings as this exporter's options (OptionError if refused)."""
        return self.options.parse(raw, self.name)

    def default_options(self) -> Options:
        return self.options.build({}, self.name)


# ---------------------------------------------------------------- what a plugin registered


def check_exporter(registered: object) -> tuple[Exporter | None, str | None]:
    """The checked exporter, or what is wrong with it; whatever its code raises."""
    try:
        return _checked_exporter(registered), None
    except _Refused as exc:
        return None, str(exc)
    except BaseException as exc:
        if is_interrupt(exc):
            raise
        return None, f"cannot be inspected ({one_line(exc)})"


class _Refused(Exception):
    """What is wrong with an exporter declaration, in words for its author."""


def _checked_exporter(registered: object) -> Exporter:
    """A plain ``Exporter`` made of the checked values of what a plugin registered.

    Every attribute is read once, here, and checked by its exact type; the copy holds plain
    values only, so no later command runs the plugin's code except ``render`` and its
    options class, and those run inside the guards of the render and option paths.
    """
    if not isinstance(registered, Exporter):
        raise _Refused(f"is not a routinegen.Exporter but {type(registered).__name__}")
    name = registered.name
    if type(name) is not str or not NAME.match(name):
        raise _Refused(
            f"has the format name {safe_repr(name)}; use lowercase letters, digits, - and _"
        )
    extension, media_type, description = (
        registered.extension,
        registered.media_type,
        registered.description,
    )
    if type(extension) is not str or not EXTENSION.match(extension):
        raise _Refused(
            f"({name}) has the extension {safe_repr(extension)}; "
            "give it lowercase and without the dot"
        )
    for label, text in (("media type", media_type), ("description", description)):
        if type(text) is not str or not text.isprintable():
            raise _Refused(f"({name}) has the {label} {safe_repr(text)}; give one line of text")
    render = registered.render
    if not callable(render):
        raise _Refused(f"({name}) has a render that is not callable")
    kinds = registered.kinds
    if (
        type(kinds) is not tuple
        or not kinds
        or not all(type(k) is str and k in KINDS for k in kinds)
    ):
        raise _Refused(f"({name}) renders the kinds {safe_repr(kinds)}; give a tuple of {KINDS}")
    options = registered.options
    _check_options(name, options)
    if type(registered) is Exporter:  # a plain frozen dataclass: what was checked stays
        return registered
    return Exporter(name, extension, media_type, render, description, options, tuple(kinds))


def _check_options(name: str, declared: object) -> None:
    """Options must be an ``Options`` dataclass whose fields are simple, defaulted values
    that ``--set KEY=VALUE`` can name and give; its defaults must build."""
    if not (isinstance(declared, type) and issubclass(declared, Options)):
        raise _Refused(
            f"({name}) declares options {safe_repr(declared)}; give a routinegen.Options subclass"
        )
    try:
        fields = declared.fields()
        if type(fields) is not list or not all(type(f) is OptionField for f in fields):
            raise _Refused(f"({name}) declares options whose fields() is not a list of fields")
        seen: set[str] = set()
        for spec in fields:
            _check_option(name, spec, seen)
        declared_names = [f.name for f in dataclasses.fields(declared)]
        if declared_names != [f.name for f in fields]:
            raise _Refused(f"({name}) declares options whose fields() are not its dataclass fields")
        declared.build({}, name)
    except _Refused:
        raise
    except BaseException as exc:  # a plugin's class can fail in any way; it is only skipped
        if is_interrupt(exc):
            raise
        raise _Refused(f"({name}) declares options that cannot be built: {one_line(exc)}") from None


def _check_option(name: str, spec: OptionField, seen: set[str]) -> None:
    option = spec.name
    if type(option) is not str or not OPTION_NAME.match(option):
        raise _Refused(
            f"({name}) declares the option name {safe_repr(option)}, which --set KEY=VALUE "
            "cannot give; use letters, digits and _"
        )
    if option in seen:
        raise _Refused(f"({name}) declares the option {option!r} twice")
    seen.add(option)
    kind, default = spec.type, spec.default
    right = any(kind is t for t in OPTION_TYPES) and (
        type(default) is kind or (kind is float and type(default) is int)
    )
    if kind is float and right and not math.isfinite(default):
        right = False
    if not right or type(spec.help) is not str:
        shown = getattr(kind, "__name__", None)
        raise _Refused(
            f"({name}) declares the option {option!r} of type "
            f"{shown if type(shown) is str else safe_repr(kind)!r} with the default "
            f"{safe_repr(default)}; options take int, float, str or bool, with a (finite) "
            "default of that type"
        )


def safe_repr(value: object) -> str:
    """``repr(value)`` for a message, whatever a plugin's object does when asked."""
    try:
        text = repr(value)
    except BaseException as exc:
        if is_interrupt(exc):
            raise
        return f"<a {type(value).__name__} that cannot be shown>"
    return text if len(text) <= 80 else text[:77] + "..."
