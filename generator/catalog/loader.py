"""Exercise catalogs: immutable records read from YAML and validated with file and line.

A catalog file declares the muscles and equipment it speaks of, named muscle groups (so
``back`` or ``full-body`` is data, not code) and its exercises. It may ``include`` other
catalogs by name or path; included records come first and ids must stay unique.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from routinegen.catalog.records import BODYWEIGHT, FORMAT, FORMATS, LEVELS, Catalog, Exercise
from routinegen.errors import InputError
from routinegen.sources.characters import unsafe_character
from routinegen.sources.document import Document, Path_
from routinegen.sources.files import (
    looks_like_path,
    packaged_yaml,
    parse_yaml,
    read_resource,
    read_yaml_file,
)

DEFAULT_CATALOG = "full-body"  # the one home of the default catalog
MAX_INCLUDE_DEPTH = 32  # a catalog includes a few others; a long chain is a mistake or an attack
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


# ---------------------------------------------------------------------------- finding files


def builtin_catalogs() -> dict[str, resources.abc.Traversable]:
    """Built-in catalog name -> file, read from the installed package."""
    return packaged_yaml("routinegen.catalogs")


def load_catalog(
    spec: str | Path, extra: Mapping[str, resources.abc.Traversable] | None = None
) -> Catalog:
    """Load a catalog by built-in name (or a name in ``extra``) or by path."""
    return _Loader(extra or {}).load(str(spec), ())


def merge_catalogs(name: str, parts: Iterable[Catalog]) -> Catalog:
    """One catalog out of several; an id defined twice is an error naming both sources."""
    muscles: dict[str, str] = {}
    groups: dict[str, tuple[str, ...]] = {}
    equipment: dict[str, str] = {}
    exercises: dict[str, Exercise] = {}
    owner: dict[str, str] = {}
    sources: list[str] = []
    titles: list[str] = []
    for part in parts:
        titles.append(part.title)
        muscles.update(part.muscles)
        equipment.update(part.equipment)
        for group, members in part.groups.items():
            groups[group] = tuple(dict.fromkeys(groups.get(group, ()) + members))
        for exercise in part.exercises:
            if exercise.id in exercises and exercises[exercise.id] != exercise:
                raise InputError(
                    f"exercise id {exercise.id!r} is defined in both {owner[exercise.id]} "
                    f"and {part.name}"
                )
            exercises.setdefault(exercise.id, exercise)
            owner.setdefault(exercise.id, part.name)
        sources.extend(s for s in part.sources if s not in sources)
    return Catalog(
        name,
        " + ".join(titles),
        muscles,
        groups,
        equipment,
        tuple(exercises.values()),
        tuple(sources),
    )


class _Loader:
    """Resolves names and includes, guarding against include cycles."""

    def __init__(self, extra: Mapping[str, resources.abc.Traversable]) -> None:
        self.builtin = builtin_catalogs()
        self.named = {**self.builtin, **extra}

    def load(self, spec: str, stack: tuple[str, ...], folder: Path | None = None) -> Catalog:
        """Load ``spec``; a relative path inside a catalog file is relative to that file."""
        is_path = spec.endswith((".yaml", ".yml")) or "/" in spec
        if is_path and folder is not None and not Path(spec).is_absolute():
            spec = str(folder / spec)
        if spec in self.named:
            entry = self.named[spec]
            source = _label(spec, entry, builtin=spec in self.builtin)
            doc = parse_yaml(read_resource(entry, source, "a catalog"), source, cached=True)
            key = f"name:{spec}"
        elif looks_like_path(spec):
            doc = read_yaml_file(spec, cached=True, what="a catalog")
            key = f"path:{Path(spec).resolve()}"
        else:
            known = ", ".join(sorted(self.named)) or "none"
            raise InputError(f"unknown catalog {spec!r}; built-in catalogs: {known}")
        if key in stack:
            raise InputError(f"{doc.source}: catalog includes itself (via {' -> '.join(stack)})")
        if len(stack) >= MAX_INCLUDE_DEPTH:  # each level is a recursion: refuse before Python does
            raise doc.error(
                ("include",), f"includes nest more than {MAX_INCLUDE_DEPTH} catalogs deep; refused"
            )
        here = Path(spec).parent if key.startswith("path:") else None
        included = [self.load(name, (*stack, key), here) for name in _includes(doc)]
        own = _parse(doc, included)
        return merge_catalogs(own.name, [*included, own]) if included else own


def _label(spec: str, entry: resources.abc.Traversable, *, builtin: bool) -> str:
    """How messages name a catalog found by name: a built-in one as such, a plugin's by its
    file, so that its author can find the line (it is not ours to call built-in)."""
    if builtin:
        return f"{spec} (built-in)"
    return f"{entry} (catalog {spec!r} of a plugin)" if isinstance(entry, Path) else spec


def _includes(doc: Document) -> list[str]:
    data = doc.data
    if not isinstance(data, dict) or "include" not in data:
        return []
    names = data["include"]
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise doc.error(("include",), "must be a list of catalog names or paths")
    return names


# ---------------------------------------------------------------------------- validation

_TOP_KEYS = {
    "format",
    "name",
    "title",
    "description",
    "include",
    "muscles",
    "groups",
    "equipment",
    "exercises",
}
_EXERCISE_KEYS = {
    "id",
    "name",
    "primary",
    "secondary",
    "equipment",
    "level",
    "reps",
    "hold",
    "seconds_per_rep",
    "setup_seconds",
    "unilateral",
    "notes",
}


def _parse(doc: Document, included: list[Catalog]) -> Catalog:
    data = doc.data
    if not isinstance(data, dict):
        raise doc.error((), "a catalog must be a mapping with 'name' and 'exercises'")
    for key in data:
        if key not in _TOP_KEYS:
            raise doc.error(
                (key,), f"unknown field; expected one of {', '.join(sorted(_TOP_KEYS))}"
            )
    version = data.get("format", FORMAT)
    if type(version) is not int or version not in FORMATS:  # True == 1, but is no format
        raise doc.error(
            ("format",),
            f"unsupported catalog format {data['format']!r}; this routinegen reads formats "
            + " and ".join(map(str, FORMATS)),
        )
    name = _identifier(doc, ("name",), data.get("name"))
    title = _text(doc, ("title",), data.get("title", name))

    muscles = {m: n for c in included for m, n in c.muscles.items()}
    muscles.update(_names(doc, "muscles", data.get("muscles", {})))
    equipment = {q: n for c in included for q, n in c.equipment.items()}
    equipment.update(_names(doc, "equipment", data.get("equipment", {})))
    if BODYWEIGHT in equipment:
        raise doc.error(("equipment", BODYWEIGHT), "'none' means bodyweight and is implicit")

    groups: dict[str, tuple[str, ...]] = {}
    raw_groups = data.get("groups", {})
    if not isinstance(raw_groups, dict):
        raise doc.error(("groups",), "must map a group name to a list of muscles")
    for group, members in raw_groups.items():
        path = ("groups", group)
        _identifier(doc, path, group)
        if group in muscles:
            raise doc.error(path, "a group cannot share its name with a muscle")
        groups[group] = tuple(_members(doc, path, members, muscles, "muscle"))
        if not groups[group]:
            raise doc.error(path, "a group needs at least one muscle")

    raw_exercises = data.get("exercises")
    if not isinstance(raw_exercises, list) or (not raw_exercises and not included):
        raise doc.error(("exercises",), "must be a non-empty list of exercises")
    exercises: list[Exercise] = []
    seen = {e.id for c in included for e in c.exercises}
    for i, raw in enumerate(raw_exercises):
        exercise = _exercise(doc, ("exercises", i), raw, muscles, equipment)
        if exercise.id in seen:
            raise doc.error(("exercises", i, "id"), f"duplicate exercise id {exercise.id!r}")
        seen.add(exercise.id)
        exercises.append(exercise)
    return Catalog(name, title, muscles, groups, equipment, tuple(exercises), (doc.source,))


def _exercise(
    doc: Document, path: Path_, raw: Any, muscles: Mapping[str, str], equipment: Mapping[str, str]
) -> Exercise:
    if not isinstance(raw, dict):
        raise doc.error(path, "an exercise must be a mapping")
    for key in raw:
        if key not in _EXERCISE_KEYS:
            raise doc.error(
                (*path, key), f"unknown field; expected one of {', '.join(sorted(_EXERCISE_KEYS))}"
            )
    ex_id = _identifier(doc, (*path, "id"), raw.get("id"))
    primary = _members(doc, (*path, "primary"), raw.get("primary"), muscles, "muscle")
    if not primary:
        raise doc.error((*path, "primary"), "needs at least one primary muscle")
    secondary = _members(doc, (*path, "secondary"), raw.get("secondary", []), muscles, "muscle")
    both = set(primary) & set(secondary)
    if both:
        raise doc.error((*path, "secondary"), f"{sorted(both)[0]} is already primary")

    ways: list[frozenset[str]] = []
    raw_ways = raw.get("equipment", [])
    if not isinstance(raw_ways, list):
        raise doc.error((*path, "equipment"), "must be a list of alternatives ([] = bodyweight)")
    for j, way in enumerate(raw_ways):
        items = [way] if isinstance(way, str) else way
        ways.append(
            frozenset(_members(doc, (*path, "equipment", j), items, equipment, "equipment"))
        )

    level = raw.get("level", "beginner")
    if level not in LEVELS:
        raise doc.error((*path, "level"), f"must be one of {', '.join(LEVELS)}; got {level!r}")
    if ("reps" in raw) == ("hold" in raw):
        raise doc.error(path, "give exactly one of 'reps' (a range) or 'hold' (seconds)")
    reps = _range(doc, (*path, "reps"), raw["reps"], 1, 500) if "reps" in raw else None
    hold = _range(doc, (*path, "hold"), raw["hold"], 5, 600) if "hold" in raw else None
    spr = _number(doc, (*path, "seconds_per_rep"), raw.get("seconds_per_rep", 3), 0.5, 60)
    if hold is not None and "seconds_per_rep" in raw:
        raise doc.error((*path, "seconds_per_rep"), "a timed hold has no reps")
    setup = _number(doc, (*path, "setup_seconds"), raw.get("setup_seconds", 5), 0, 300)
    unilateral = raw.get("unilateral", False)
    if not isinstance(unilateral, bool):
        raise doc.error((*path, "unilateral"), f"must be true or false; got {unilateral!r}")
    return Exercise(
        id=ex_id,
        name=_text(doc, (*path, "name"), raw.get("name")),
        primary=tuple(primary),
        secondary=tuple(secondary),
        equipment=tuple(dict.fromkeys(ways)),
        level=level,
        reps=reps,
        hold=hold,
        seconds_per_rep=float(spr),
        setup_seconds=int(setup),
        unilateral=unilateral,
        dose="hold" if hold is not None else "reps",
    )


def _identifier(doc: Document, path: Path_, value: Any) -> str:
    if not isinstance(value, str) or not _ID.match(value):
        raise doc.error(
            path, f"must be an id of lower-case letters, digits, '_' or '-'; got {value!r}"
        )
    return value


def _text(doc: Document, path: Path_, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise doc.error(path, f"must be a non-empty string; got {value!r}")
    bad = unsafe_character(value)
    if bad is not None:
        raise doc.error(
            path,
            f"contains the control character U+{ord(bad):04X}; names are shown on terminals and "
            "written to calendars (RFC 5545 forbids control characters), so they may hold none",
        )
    return value.strip()


def _names(doc: Document, key: str, value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise doc.error((key,), "must map an id to a display name")
    for item, name in value.items():
        _identifier(doc, (key, item), item)
        _text(doc, (key, item), name)
    return dict(value)


def _members(
    doc: Document, path: Path_, value: Any, known: Mapping[str, str], what: str
) -> list[str]:
    if not isinstance(value, list):
        raise doc.error(path, f"must be a list of {what} ids")
    for j, item in enumerate(value):
        if not isinstance(item, str):
            raise doc.error((*path, j), f"must be a {what} id; got {item!r}")
        if item not in known:
            hint = f"; declare it under '{'muscles' if what == 'muscle' else 'equipment'}'"
            raise doc.error((*path, j), f"unknown {what} {item!r}{hint}")
    if len(set(value)) != len(value):
        raise doc.error(path, f"lists a {what} twice")
    return list(value)


def _number(doc: Document, path: Path_, value: Any, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise doc.error(path, f"must be a number from {low:g} to {high:g}; got {value!r}")
    return value


def _range(doc: Document, path: Path_, value: Any, low: int, high: int) -> tuple[int, int]:
    """A ``[min, max]`` pair of whole numbers (a single number means exactly that)."""
    pair = [value, value] if isinstance(value, int) and not isinstance(value, bool) else value
    if (
        not isinstance(pair, list)
        or len(pair) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in pair)
        or not low <= pair[0] <= pair[1] <= high
    ):
        raise doc.error(
            path,
            f"must be [min, max] whole numbers with {low} <= min <= max <= {high}; got {value!r}",
        )
    return pair[0], pair[1]
