"""Exercise catalogs: immutable records read from YAML and validated with file and line.

A catalog file declares the muscles and equipment it speaks of, named muscle groups (so
``back`` or ``full-body`` is data, not code) and its exercises. It may ``include`` other
catalogs by name or path; included records come first and ids must stay unique.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path

from routinegen.catalog import fields
from routinegen.catalog.exercise import parse_exercise
from routinegen.catalog.records import (
    BODYWEIGHT,
    FORMAT,
    FORMATS,
    SAFETY_TAG_NAMES,
    Catalog,
    Exercise,
)
from routinegen.errors import InputError
from routinegen.sources.document import Document
from routinegen.sources.files import (
    looks_like_path,
    packaged_yaml,
    parse_yaml,
    read_resource,
    read_yaml_file,
)

DEFAULT_CATALOG = "full-body"  # the one home of the default catalog
MAX_INCLUDE_DEPTH = 32  # a catalog includes a few others; a long chain is a mistake or an attack


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
    tags: dict[str, str] = {}
    exercises: dict[str, Exercise] = {}
    owner: dict[str, str] = {}
    sources: list[str] = []
    titles: list[str] = []
    for part in parts:
        titles.append(part.title)
        muscles.update(part.muscles)
        equipment.update(part.equipment)
        tags.update(part.tags)
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
        tags,
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

_TOP_KEYS = (
    "format",
    "name",
    "title",
    "description",
    "include",
    "muscles",
    "groups",
    "equipment",
    "exercises",
)
_FORMAT2_TOP_KEYS = ("tags",)


def _parse(doc: Document, included: list[Catalog]) -> Catalog:
    data = doc.data
    if not isinstance(data, dict):
        raise doc.error((), "a catalog must be a mapping with 'name' and 'exercises'")
    version = data.get("format", FORMAT)
    if type(version) is not int or version not in FORMATS:  # True == 1, but is no format
        raise doc.error(
            ("format",),
            f"unsupported catalog format {data['format']!r}; this routinegen reads formats "
            + " and ".join(map(str, FORMATS)),
        )
    allowed = _TOP_KEYS + _FORMAT2_TOP_KEYS if version >= 2 else _TOP_KEYS
    for key in data:
        if key in _FORMAT2_TOP_KEYS and version < 2:
            raise doc.error(
                (key,),
                f"'{key}' is a format 2 field, but this file says 'format: {version}'; "
                "write 'format: 2' at the top to use it",
            )
        if key not in allowed:
            raise doc.error((key,), f"unknown field; expected one of {', '.join(sorted(allowed))}")
    name = fields.identifier(doc, ("name",), data.get("name"))
    title = fields.text(doc, ("title",), data.get("title", name))
    if "description" in data:
        fields.text(doc, ("description",), data["description"])

    muscles = {m: n for c in included for m, n in c.muscles.items()}
    muscles.update(fields.names(doc, "muscles", data.get("muscles", {})))
    equipment = {q: n for c in included for q, n in c.equipment.items()}
    equipment.update(fields.names(doc, "equipment", data.get("equipment", {})))
    if BODYWEIGHT in equipment:
        raise doc.error(("equipment", BODYWEIGHT), "'none' means bodyweight and is implicit")
    tags = dict(SAFETY_TAG_NAMES)
    for part in included:
        tags.update(part.tags)
    tags.update(fields.names(doc, "tags", data.get("tags", {})))

    groups: dict[str, tuple[str, ...]] = {}
    raw_groups = data.get("groups", {})
    if not isinstance(raw_groups, dict):
        raise doc.error(("groups",), "must map a group name to a list of muscles")
    for group, members in raw_groups.items():
        path = ("groups", group)
        fields.identifier(doc, path, group)
        if group in muscles:
            raise doc.error(path, "a group cannot share its name with a muscle")
        groups[group] = tuple(fields.members(doc, path, members, muscles, "muscle", "muscles"))
        if not groups[group]:
            raise doc.error(path, "a group needs at least one muscle")

    raw_exercises = data.get("exercises")
    if not isinstance(raw_exercises, list) or (not raw_exercises and not included):
        raise doc.error(("exercises",), "must be a non-empty list of exercises")
    vocabulary = {"muscles": muscles, "equipment": equipment, "tags": tags}
    exercises: list[Exercise] = []
    seen = {e.id for c in included for e in c.exercises}
    for i, raw in enumerate(raw_exercises):
        exercise = parse_exercise(doc, ("exercises", i), raw, vocabulary, version)
        if exercise.id in seen:
            raise doc.error(("exercises", i, "id"), f"duplicate exercise id {exercise.id!r}")
        seen.add(exercise.id)
        exercises.append(exercise)
    return Catalog(name, title, muscles, groups, equipment, tuple(exercises), (doc.source,), tags)
