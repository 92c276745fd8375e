"""The people file of a batch: who to plan for, each with the options of ``make`` or ``week``.

Read up front and checked row by row, so that one bad row is reported with its line and id
while the others still run; only a file that cannot be read at all stops the batch. Every
value remembers its file and line (a ``Setting`` origin), as presets do, so an error found
later against the catalog still points at the culprit.

YAML: ``{defaults: {...}, people: [{id: ..., ...}, ...]}`` or just the list. CSV: a header
row naming the options; an empty cell means "not given"; ``equipment``, ``focus``,
``exclude`` and ``days`` take ``;`` between items (or ``,`` inside a quoted cell).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from routinegen.errors import InputError
from routinegen.request.settings import PLAN_KEYS, PRESET_KEYS, Setting, load_preset
from routinegen.sources.document import Document
from routinegen.sources.files import (
    STDIN,
    STDIN_LABEL,
    parse_yaml,
    read_text_file,
    sniff_suffix,
)

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
# Names the batch writes itself; an id may not take them (compared case-insensitively).
RESERVED_IDS = frozenset({"summary"})
KINDS = ("routine", "plan")
OPTION_KEYS = frozenset(PRESET_KEYS - {"description"})
PERSON_KEYS = frozenset(OPTION_KEYS | {"id", "kind", "preset"})
DEFAULT_KEYS = frozenset(PERSON_KEYS - {"id"})
LIST_KEYS = frozenset({"equipment", "focus", "exclude", "keep", "days"})
BOOL_KEYS = frozenset({"deload"})
_TRUE = {"true", "yes", "1"}
_FALSE = {"false", "no", "0"}


@dataclass(frozen=True)
class Row:
    """One person as read: merged settings with origins, or why the row cannot run."""

    line: int
    id: str | None
    kind: str = "routine"
    settings: dict[str, Setting] = field(default_factory=dict)
    error: str | None = None


@dataclass(frozen=True)
class PeopleFile:
    """Every row of a people file, valid or not, in file order."""

    source: str
    rows: tuple[Row, ...]


def check_id(value: Any) -> str | None:
    """Why ``value`` is not a usable person id (it names output files), or None if it is."""
    if value is None or value == "":
        return "has no id"
    if not isinstance(value, str):
        return f'id {value!r} must be text (quote it in YAML: id: "{value}")'
    if value in (".", "..") or not ID_PATTERN.match(value):
        return (
            f"id {value!r} is not a safe file name: use 1-100 letters, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    if value.lower() in RESERVED_IDS:
        return f"id {value!r} is reserved (the batch writes {value.lower()}.json)"
    return None


def read_people(path: str | Path) -> PeopleFile:
    """Read a YAML or CSV people file; InputError only when the file as a whole is unusable."""
    path = Path(path)
    text = read_text_file(path, "a people file")
    name, suffix = str(path), path.suffix.lower()
    if name == STDIN:  # "-": no name to tell CSV from YAML, so the text tells
        name, suffix = STDIN_LABEL, sniff_suffix(text)
    if suffix == ".csv":
        raw = _csv_rows(text, name)
        defaults: dict[str, Setting] = {}
    elif suffix in (".yaml", ".yml"):
        raw, defaults = _yaml_rows(parse_yaml(text, name))
    else:
        raise InputError(f"{path}: a people file ends in .yaml, .yml or .csv")
    return PeopleFile(name, tuple(_rows(raw, defaults)))


# ---------------------------------------------------------------------------- YAML


@dataclass(frozen=True)
class _Raw:
    """A row as read from the file: its settings, or why it cannot be read (and its id)."""

    line: int
    own: dict[str, Setting] | str
    id: str | None = None


def _yaml_rows(doc: Document) -> tuple[list[_Raw], dict[str, Setting]]:
    data = doc.data
    defaults: dict[str, Setting] = {}
    at: tuple[str, ...] = ()
    if isinstance(data, dict):
        for key in data:
            if key not in ("defaults", "people"):
                raise doc.error((key,), "unknown key; a people file has 'defaults' and 'people'")
        if "people" not in data:
            raise doc.error((), "no 'people' list")
        people, at = data["people"], ("people",)
        if data.get("defaults") is not None:
            block = data["defaults"]
            if not isinstance(block, dict):
                raise doc.error(("defaults",), "must be a mapping of options")
            for key, value in block.items():
                if key not in DEFAULT_KEYS:
                    raise doc.error(
                        ("defaults", key),
                        f"unknown option; expected one of {', '.join(sorted(DEFAULT_KEYS))}",
                    )
                if value is not None:
                    defaults[key] = _setting(doc, ("defaults", key), value)
    elif isinstance(data, list):
        people = data
    elif data is None:
        raise doc.error((), "the file is empty; expected a list of people")
    else:
        raise doc.error((), "expected a list of people, or 'defaults' and 'people'")
    if not isinstance(people, list):
        raise doc.error(at, "must be a list of people")
    rows: list[_Raw] = []
    for i, person in enumerate(people):
        path: tuple[str | int, ...] = (*at, i)
        line = doc.line(path) or 0
        if not isinstance(person, dict):
            rows.append(_Raw(line, "a person must be a mapping with an id and options"))
            continue
        own = {k: _setting(doc, (*path, k), v) for k, v in person.items() if v is not None}
        rows.append(_Raw(line, own))
    return rows, defaults


def _setting(doc: Document, path: tuple[str | int, ...], value: Any) -> Setting:
    return Setting(value, f"{doc.source}:{doc.line(path)}: {path[-1]}")


# ---------------------------------------------------------------------------- CSV


def _csv_rows(text: str, source: str) -> list[_Raw]:
    # strict: an unterminated quote is an error, not a cell that swallows the rest of the file
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(f"{source}: the file is empty; expected a header row") from None
    except csv.Error as exc:
        raise InputError(f"{source}:1: not valid CSV: {exc}") from None
    columns = [name.strip() for name in header]
    for name in columns:
        if name not in PERSON_KEYS:
            raise InputError(
                f"{source}:1: unknown column {name!r}; expected some of "
                f"{', '.join(sorted(PERSON_KEYS))}"
            )
    if len(set(columns)) != len(columns):
        raise InputError(f"{source}:1: a column is named twice")
    if "id" not in columns:
        raise InputError(f"{source}:1: no 'id' column")
    rows: list[_Raw] = []
    end = reader.line_num
    while True:
        line = end + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise InputError(f"{source}:{line}: not valid CSV: {exc}") from None
        end = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue  # a blank line
        if len(cells) != len(columns):
            at = columns.index("id")
            id_ = cells[at].strip() if at < len(cells) else None
            safe = id_ if check_id(id_) is None else None
            rows.append(_Raw(line, f"has {len(cells)} cells, the header {len(columns)}", safe))
            continue
        settings: dict[str, Setting] = {}
        for name, cell in zip(columns, cells, strict=True):
            value: Any = cell.strip()
            if value == "":
                continue
            if name in LIST_KEYS:
                value = ",".join(part.strip() for part in value.split(";"))
            elif name in BOOL_KEYS and value.lower() in _TRUE | _FALSE:
                value = value.lower() in _TRUE  # anything else is refused with its line later
            settings[name] = Setting(value, f"{source}:{line}: {name}")
        rows.append(_Raw(line, settings))
    return rows


# ---------------------------------------------------------------------------- rows


def _rows(raw: list[_Raw], defaults: Mapping[str, Setting]) -> list[Row]:
    """Check ids and keys, then merge: defaults' preset < defaults < row's preset < row."""
    presets: dict[str, dict[str, Setting] | InputError] = {}
    base = _with_preset(defaults, presets)
    if isinstance(base, InputError):
        raise base  # a bad preset in the defaults spoils every row: a file error
    seen: dict[str, int] = {}
    rows: list[Row] = []
    for entry in raw:
        line, own = entry.line, entry.own
        if isinstance(own, str):
            rows.append(Row(line, entry.id, error=own))
            continue
        id_ = own["id"].value if "id" in own else None
        shown = id_ if isinstance(id_, str) and ID_PATTERN.match(id_) else None
        problem = check_id(id_)
        if problem is None:
            assert isinstance(id_, str)
            if id_.lower() in seen:
                first = seen[id_.lower()]
                problem = f"id {id_!r} is already used on line {first} (ids ignore case)"
            else:
                seen[id_.lower()] = line
        if problem is None:
            problem = _key_problem(own)
        merged: dict[str, Setting] | InputError = {}
        if problem is None:
            merged = _with_preset(own, presets)
            if isinstance(merged, InputError):
                problem = str(merged)
        if problem is not None or isinstance(merged, InputError):
            rows.append(Row(line, shown, error=problem))
            continue
        settings = {**base, **merged}
        settings.pop("id", None)
        kind_setting = settings.pop("kind", None)
        kind = str(kind_setting.value) if kind_setting else "routine"
        if kind not in KINDS:
            assert kind_setting is not None
            rows.append(
                Row(line, id_, error=f"{kind_setting.origin}: kind must be routine or plan")
            )
            continue
        if kind == "routine":
            stray = sorted(k for k in own if k in PLAN_KEYS)
            if stray:
                rows.append(
                    Row(
                        line,
                        id_,
                        error=f"{own[stray[0]].origin}: a weekly-plan option; "
                        "set kind: plan for this person",
                    )
                )
                continue
            # the defaults' plan options are for the plans: unused, they would only
            # change a routine's fingerprint and regenerate it for nothing
            settings = {k: v for k, v in settings.items() if k not in PLAN_KEYS}
        rows.append(Row(line, id_, kind, settings))
    return rows


def _key_problem(own: Mapping[str, Setting]) -> str | None:
    for key, setting in own.items():
        if key not in PERSON_KEYS:
            known = ", ".join(sorted(PERSON_KEYS))
            return f"{setting.origin}: unknown option; expected one of {known}"
    return None


def _with_preset(
    own: Mapping[str, Setting], cache: dict[str, dict[str, Setting] | InputError]
) -> dict[str, Setting] | InputError:
    """``own`` over the preset it names (presets are read once per batch)."""
    if "preset" not in own:
        return dict(own)
    setting = own["preset"]
    spec = str(setting.value)
    if spec not in cache:
        try:
            loaded = load_preset(spec)
            loaded.pop("description", None)
            cache[spec] = loaded
        except InputError as exc:
            cache[spec] = InputError(f"{setting.origin}: {exc}")
    preset = cache[spec]
    if isinstance(preset, InputError):
        return preset
    merged = {**preset, **own}
    merged.pop("preset")
    return merged
