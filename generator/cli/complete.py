"""Shell completion for the options that take a fixed set of values.

Each function runs only while a shell asks (``routinegen completion SHELL`` installs the
script that asks), so it may load a catalog or the plugins; nothing is imported at module
level beyond click, which the command line loads anyway. Comma-separated lists complete
their last item (``--days mon,we`` offers ``mon,wed``). The catalog already given with
``--catalog`` decides which muscles, groups, equipment and exercise ids are offered.
"""

from pathlib import Path
from typing import Any

import click

Items = list[str | tuple[str, str]]


def _listed(values: Any, incomplete: str) -> Items:
    """``values`` (strings or (value, help) pairs) completing the last comma-separated item."""
    head, comma, last = incomplete.rpartition(",")
    prefix = head + comma
    taken = set(head.split(",")) if comma else set()
    out: Items = []
    for value in values:
        name, help_ = value if isinstance(value, tuple) else (value, "")
        if name.startswith(last) and name not in taken:
            out.append((prefix + name, help_) if help_ else prefix + name)
    return out


def _yaml_files(incomplete: str) -> list[str]:
    """YAML files below what has been typed so far, and once something is typed, the
    folders to descend into (not every folder of the current one)."""
    folder = Path(incomplete).parent if incomplete else Path(".")
    try:
        entries = sorted(folder.iterdir())
    except OSError:
        return []
    out = []
    for entry in entries:
        shown = str(entry) if incomplete and str(folder) != "." else entry.name
        if incomplete.startswith("./"):
            shown = f"./{shown}"
        if entry.is_dir() and incomplete and not entry.name.startswith("."):
            out.append(shown + "/")
        elif entry.suffix in (".yaml", ".yml"):
            out.append(shown)
    return [name for name in out if name.startswith(incomplete)]


def _catalog(ctx: click.Context) -> Any:
    """The catalog the command line names so far (the default one if none), or None."""
    try:
        from routinegen.api import load_catalog
        from routinegen.catalog import DEFAULT_CATALOG

        spec = ctx.params.get("catalog") or DEFAULT_CATALOG
        return load_catalog(str(spec))
    except Exception:  # a half-typed or broken catalog offers nothing, never a traceback
        return None


def level(incomplete: str) -> Items:
    from routinegen.catalog.records import LEVELS

    return [name for name in LEVELS if name.startswith(incomplete)]


def focus(ctx: click.Context, incomplete: str) -> Items:
    loaded = _catalog(ctx)
    if loaded is None:
        return []
    groups = [(g, "group: " + ", ".join(m)) for g, m in loaded.groups.items()]
    muscles = [(m, name) for m, name in loaded.muscles.items()]
    return _listed([*groups, *muscles], incomplete)


def equipment(ctx: click.Context, incomplete: str) -> Items:
    loaded = _catalog(ctx)
    if loaded is None:
        return []
    items = [("none", "bodyweight only"), *((e, str(n)) for e, n in loaded.equipment.items())]
    return _listed(items, incomplete)


def exercise(ctx: click.Context, incomplete: str) -> Items:
    loaded = _catalog(ctx)
    if loaded is None:
        return []
    return _listed([(e.id, e.name) for e in loaded.exercises], incomplete)


def catalog(incomplete: str) -> Items:
    from routinegen.catalog import builtin_catalogs

    names: list[str] = list(builtin_catalogs())
    try:
        from routinegen.registry import load_registry

        names += [n for n in load_registry().catalogs if n not in names]
    except Exception:  # a broken plugin must not break completion
        pass
    return [*(n for n in sorted(names) if n.startswith(incomplete)), *_yaml_files(incomplete)]


def _described(named: dict[str, Any], incomplete: str) -> Items:
    from routinegen.cli.listings import description

    out: Items = [(n, description(f) or n) for n, f in named.items() if n.startswith(incomplete)]
    return [*out, *_yaml_files(incomplete)]


def preset(incomplete: str) -> Items:
    from routinegen.request.settings import builtin_presets

    return _described(builtin_presets(), incomplete)


def split(incomplete: str) -> Items:
    from routinegen.request.plan import builtin_splits

    return _described(builtin_splits(), incomplete)


def zone(incomplete: str) -> Items:
    from zoneinfo import available_timezones

    return sorted(z for z in available_timezones() if z.startswith(incomplete))


def days(incomplete: str) -> Items:
    from routinegen.request.plan import WEEKDAYS

    return _listed(WEEKDAYS, incomplete)


def text_or_json(incomplete: str) -> Items:
    return [name for name in ("text", "json") if name.startswith(incomplete)]


def shell(incomplete: str) -> Items:
    return [name for name in ("bash", "zsh", "fish") if name.startswith(incomplete)]


def import_source(incomplete: str) -> Items:
    from routinegen.catalog.importers import SOURCES

    return [name for name in SOURCES if name.startswith(incomplete)]


def schema_name(incomplete: str) -> Items:
    from routinegen.output.schemas import contracts

    return [(n, c.describes) for n, c in contracts().items() if n.startswith(incomplete)]
