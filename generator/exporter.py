"""What an exporter is: a named renderer from a result to text or bytes, with typed options.

Options follow simonw/llm's ``Options`` classes: each exporter declares one frozen dataclass
whose fields are its ``--set KEY=VALUE`` keys. The front end parses and validates them once,
before any solving, so a typo costs nothing and ``render`` gets values of the declared types.
What a renderer may not know by itself (the time, whether output must be reproducible, a
stable name for the result) comes in a ``RenderContext`` from the caller.
"""

from __future__ import annotations

import dataclasses
import os
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

OptionsT = TypeVar("OptionsT", bound="Options")


class OptionError(RoutinegenError, ValueError):
    """An exporter option given that the exporter does not take, or a value it refuses."""

    exit_code = 2


class OptionRefused(OptionError):
    """Values of the right types that the exporter's own ``validate`` refuses."""


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
            raise OptionError(f"the {exporter} exporter's options: {exc}") from None
        try:
            options.validate()
        except ValueError as exc:
            raise OptionRefused(f"the {exporter} exporter refuses its options: {exc}") from None
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
            return self.type(text)
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
