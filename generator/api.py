"""The public Python API: the front door that the CLI, batch and every later front end use.

The keyword functions take the names and defaults of the command-line flags and return the
result types exporters render; they raise the same errors (``InputError`` for a bad value,
naming it as the flag would, ``Infeasible`` with the conflicting limits). The ``*_settings``
functions take settings that remember their origin (a preset's or a people file's line), for
front ends that read such files. docs/api.md documents all of them.

Nothing here imports the solver until a function solves, so importing ``routinegen`` stays
light.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from routinegen.catalog import DEFAULT_CATALOG, Catalog
from routinegen.catalog import load_catalog as _load_file_catalog
from routinegen.errors import InputError, RoutinegenError
from routinegen.request.settings import Setting, Settings, load_preset
from routinegen.results import Plan, Routine
from routinegen.solve_options import SolveOptions, with_time_limit

if TYPE_CHECKING:
    from routinegen.registry import Registry

Words = str | Sequence[str] | None


def load_catalog(
    spec: str | Path = DEFAULT_CATALOG, *, registry: Registry | None = None
) -> Catalog:
    """A catalog by built-in name, plugin catalog name or YAML path.

    ``registry`` is the loaded plugins (``routinegen.registry.load_registry()``); by default
    they are loaded here, so catalogs that installed plugins ship are found too.
    """
    if registry is None:
        from routinegen.registry import load_registry

        registry = load_registry()
    registry.check_catalog(str(spec))
    return _load_file_catalog(str(spec), extra=registry.catalog_sources())


def settings_from(preset: str | None, options: Mapping[str, Any]) -> dict[str, Setting]:
    """A preset's settings overridden by the options actually given (None or [] is "not
    given"); an option's origin is its flag, e.g. ``--minutes``."""
    settings = load_preset(preset) if preset else {}
    for key, value in options.items():
        if value is not None and value != []:
            settings[key] = Setting(value, "--" + key.replace("_", "-"))
    return settings


def _catalog_for(settings: Settings, catalog: Catalog | None, registry: Registry | None) -> Catalog:
    if catalog is not None:
        return catalog
    spec = str(settings["catalog"].value) if "catalog" in settings else DEFAULT_CATALOG
    return load_catalog(spec, registry=registry)


def routine_from_settings(
    settings: Settings,
    *,
    catalog: Catalog | None = None,
    registry: Registry | None = None,
    solve_options: SolveOptions | None = None,
) -> Routine:
    """The best routine for ``settings`` (the options of ``make``), on ``catalog`` or the
    catalog the settings name; a ``time_limit`` setting overrides ``solve_options``'."""
    from routinegen.request.routine import resolve_request, time_limit_of
    from routinegen.solver.solve import solve_routine

    loaded = _catalog_for(settings, catalog, registry)
    request = resolve_request(loaded, settings)
    return solve_routine(loaded, request, with_time_limit(solve_options, time_limit_of(settings)))


def plan_from_settings(
    settings: Settings,
    *,
    catalog: Catalog | None = None,
    registry: Registry | None = None,
    solve_options: SolveOptions | None = None,
) -> Plan:
    """The best plan for ``settings`` (the options of ``week``)."""
    from routinegen.request.plan import resolve_plan_request
    from routinegen.request.routine import time_limit_of
    from routinegen.solver.plan_solve import solve_plan

    loaded = _catalog_for(settings, catalog, registry)
    plan = resolve_plan_request(loaded, settings)
    return solve_plan(loaded, plan, with_time_limit(solve_options, time_limit_of(settings)))


def _catalog_option(catalog: str | Path | Catalog | None) -> tuple[str | None, Catalog | None]:
    if isinstance(catalog, Catalog):
        return catalog.name, catalog
    return (None if catalog is None else str(catalog)), None


def make_routine(
    *,
    minutes: float | None = None,
    equipment: Words = None,
    focus: Words = None,
    level: str | None = None,
    rounds: int | str | None = None,
    exercises: int | str | None = None,
    exclude: Words = None,
    keep: Words = None,
    seed: int | None = None,
    catalog: str | Path | Catalog | None = None,
    preset: str | None = None,
    start: str | date | datetime | None = None,
    tz: str | None = None,
    min_fill: float | None = None,
    rest: int | None = None,
    round_rest: int | None = None,
    time_limit: float | None = None,
    goal: str | None = None,
    avoid: Words = None,
    warmup: bool | None = None,
    cooldown: bool | None = None,
    registry: Registry | None = None,
    solve_options: SolveOptions | None = None,
) -> Routine:
    """The best routine for one session: ``routinegen make`` as a function.

    Every argument is the flag of the same name; ``None`` means its default (or the
    preset's value). ``catalog`` may also be a loaded ``Catalog``. ``solve_options`` sets
    the solver's budget and machinery (``time_limit``, when given, overrides its own).
    """
    spec, loaded = _catalog_option(catalog)
    options = {
        "minutes": minutes,
        "equipment": _listed(equipment),
        "focus": _listed(focus),
        "level": level,
        "rounds": rounds,
        "exercises": exercises,
        "exclude": _listed(exclude),
        "keep": _listed(keep),
        "seed": seed,
        "catalog": spec,
        "start": start,
        "tz": tz,
        "min_fill": min_fill,
        "rest": rest,
        "round_rest": round_rest,
        "time_limit": time_limit,
        "goal": goal,
        "avoid": _listed(avoid),
        "warmup": warmup,
        "cooldown": cooldown,
    }
    return routine_from_settings(
        settings_from(preset, options),
        catalog=loaded,
        registry=registry,
        solve_options=solve_options,
    )


def swap_exercise(
    routine: Routine,
    exercise: str,
    *,
    catalog: str | Path | Catalog | None = None,
    exclude: Words = None,
    min_fill: float | None = None,
    seed: int | None = None,
    registry: Registry | None = None,
    solve_options: SolveOptions | None = None,
) -> Routine:
    """``routine`` with ``exercise`` replaced by the best other one: the rest of its exercises
    stay, with its rounds and rests, and only their doses may change to fit the new one.

    The routine echoes most of its request; ``catalog`` (when it is a file, not a built-in
    name), ``exclude`` and ``min_fill`` are not echoed, so give them again if they were set.
    """
    ids = [item.id for item in routine.items]
    if exercise not in ids:
        raise InputError(f"swap: {exercise!r} is not in the routine; it has {', '.join(ids)}")
    asked = routine.request
    return make_routine(
        minutes=asked.minutes,
        equipment=list(asked.equipment),
        focus=[asked.focus_label],
        level=asked.level,
        rounds=routine.rounds,
        exercises=len(ids),
        exclude=[*(_listed(exclude) or []), exercise],
        keep=[i for i in ids if i != exercise],
        seed=asked.seed if seed is None else seed,
        catalog=asked.catalog if catalog is None else catalog,
        start=asked.start,
        tz=asked.tz,
        min_fill=min_fill,
        rest=routine.rest_seconds,
        round_rest=routine.round_rest_seconds,
        goal=asked.goal,
        avoid=list(asked.avoid),
        warmup=asked.warmup,
        cooldown=asked.cooldown,
        registry=registry,
        solve_options=solve_options,
    )


def make_plan(
    *,
    days: str | Sequence[str] | None = None,
    minutes: float | None = None,
    weeks: int | None = None,
    start: str | date | datetime | None = None,
    time: str | None = None,
    tz: str | None = None,
    split: str | None = None,
    equipment: Words = None,
    focus: Words = None,
    level: str | None = None,
    exclude: Words = None,
    seed: int | None = None,
    catalog: str | Path | Catalog | None = None,
    preset: str | None = None,
    recovery_hours: int | None = None,
    max_repeats: int | None = None,
    progression: str | None = None,
    deload: bool = False,
    volume: Words = None,
    goal: str | None = None,
    avoid: Words = None,
    warmup: bool | None = None,
    cooldown: bool | None = None,
    rounds: int | str | None = None,
    exercises: int | str | None = None,
    rest: int | None = None,
    round_rest: int | None = None,
    min_fill: float | None = None,
    time_limit: float | None = None,
    registry: Registry | None = None,
    solve_options: SolveOptions | None = None,
) -> Plan:
    """The best plan of one or more weeks: ``routinegen week`` as a function.

    ``tz`` is an IANA zone name; when neither it nor the preset gives one the plan is in
    UTC, not the machine's zone (unlike ``routinegen week``, which defaults to the local
    zone). ``volume`` takes ``MUSCLE=LOW-HIGH`` weekly hard-set targets."""
    spec, loaded = _catalog_option(catalog)
    options = {
        "days": ",".join(days) if isinstance(days, list | tuple) else days,
        "minutes": minutes,
        "weeks": weeks,
        "start": start,
        "time": time,
        "tz": tz,
        "split": split,
        "equipment": _listed(equipment),
        "focus": _listed(focus),
        "level": level,
        "exclude": _listed(exclude),
        "seed": seed,
        "catalog": spec,
        "recovery_hours": recovery_hours,
        "max_repeats": max_repeats,
        "progression": progression,
        "deload": deload or None,
        "volume": _listed(volume),
        "goal": goal,
        "avoid": _listed(avoid),
        "warmup": warmup,
        "cooldown": cooldown,
        "rounds": rounds,
        "exercises": exercises,
        "rest": rest,
        "round_rest": round_rest,
        "min_fill": min_fill,
        "time_limit": time_limit,
    }
    return plan_from_settings(
        settings_from(preset, options),
        catalog=loaded,
        registry=registry,
        solve_options=solve_options,
    )


def _listed(value: Words) -> list[str] | None:
    """One comma-separated string or a list of names, as the repeatable flags take them."""
    if value is None:
        return None
    if isinstance(value, str):
        return [value]
    if not all(isinstance(v, str) for v in value):
        raise RoutinegenError(f"expected names, got {list(value)!r}")
    return list(value)


def swap_in_document(
    path: str | Path,
    position: int,
    *,
    catalog: str | Path | Catalog | None = None,
    seed: int | None = None,
    registry: Registry | None = None,
    solve_options: SolveOptions | None = None,
) -> Routine:
    """``routinegen swap FILE N``: the routine in the JSON document at ``path`` (``-`` for
    standard input) with its main exercise ``N`` (1-based) replaced by the best other one
    for the same request; the other exercises stay. ``catalog`` overrides the document's
    catalog name (give it for a catalog that was a file)."""
    from routinegen.request.swap import swap_options
    from routinegen.sources.files import read_text_file
    from routinegen.sources.jsonparse import parse_json

    source = "<stdin>" if str(path) == "-" else str(path)
    document = parse_json(read_text_file(path, "a routine document"), source)
    options = swap_options(document, position, source)
    if catalog is not None:
        options["catalog"] = catalog
    if seed is not None:
        options["seed"] = seed
    return make_routine(**options, registry=registry, solve_options=solve_options)
