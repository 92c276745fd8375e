"""The listing commands: ``exporters``, ``plugins``, ``presets``, ``splits`` and ``schema``."""

import json
from typing import Annotated, Any

import typer

from routinegen.cli import complete
from routinegen.cli.apps import app, examples, refuse_empty, usage
from routinegen.cli.exporting import _registry
from routinegen.cli.options import ListFormat
from routinegen.cli.running import _run, echo


def _plain(value: Any) -> str:
    """A default as ``--set`` would take it: ``true``/``false`` for a bool."""
    return str(value).lower() if isinstance(value, bool) else str(value)


@app.command(
    epilog=examples(
        "routinegen exporters",
        "routinegen exporters -F json    # with each exporter's --set options",
    )
)
def exporters(
    fmt: ListFormat = "text",
) -> None:
    """List the installed exporters (output formats)."""
    if fmt not in ("text", "json"):
        usage(f"unknown format {fmt!r}; choose text or json", "--format")
    registry = _registry()
    rows: list[dict[str, Any]] = [
        {
            "name": e.name,
            "extension": e.extension,
            "media_type": e.media_type,
            "plugin": plugin,
            "description": e.description,
            "options": [
                {"name": o.name, "type": o.type.__name__, "default": o.default, "help": o.help}
                for o in e.options.fields()
            ],
        }
        for name in sorted(registry.exporters)
        for e, plugin in registry.exporters[name]
    ]
    if fmt == "json":
        from routinegen.output.schemas import head

        echo(json.dumps({**head("exporters"), "exporters": rows}, indent=2))
        return
    for row in rows:
        # One line an exporter, its name first; what --set takes, with defaults, at the end.
        settings = ", ".join(f"--set {o['name']}={_plain(o['default'])}" for o in row["options"])
        echo(
            f"{row['name']:<10} .{row['extension']:<6} {row['media_type']:<22} {row['description']}"
            + (f" Options: {settings}." if settings else "")
        )


@app.command(
    epilog=examples("routinegen plugins", "ROUTINEGEN_LOAD_PLUGINS= routinegen plugins -F json")
)
def plugins(
    fmt: ListFormat = "text",
) -> None:
    """List the loaded plugins with their distribution, version and hooks, and what they add."""
    if fmt not in ("text", "json"):
        usage(f"unknown format {fmt!r}; choose text or json", "--format")
    registry = _registry()
    from routinegen.output.schemas import head

    document: dict[str, Any] = {
        **head("plugins"),
        "plugins": [
            {
                "name": p.name,
                "distribution": p.distribution,
                "version": p.version,
                "hooks": list(p.hooks),
            }
            for p in registry.plugins
        ],
        "exporters": [
            {"name": e.name, "extension": e.extension, "media_type": e.media_type, "plugin": key}
            for name in sorted(registry.exporters)
            for e, key in registry.exporters[name]
        ],
        "catalogs": [
            {"name": name, "plugin": key}
            for name in sorted(registry.catalogs)
            for _, key in registry.catalogs[name]
        ],
        "warnings": list(registry.warnings),
    }
    if fmt == "json":
        echo(json.dumps(document, indent=2))
        return
    echo("plugins:")
    for p in registry.plugins:
        label = f"{p.distribution} {p.version}".rstrip()
        echo(f"  {p.name:<12} {label:<28} {', '.join(p.hooks) or 'no hooks'}")
    echo("exporters:")
    for row in document["exporters"]:
        clash = "  (format claimed twice)" if len(registry.exporters[row["name"]]) > 1 else ""
        echo(
            f"  {row['name']:<12} .{row['extension']:<7} {row['media_type']:<24} "
            f"{row['plugin']}{clash}"
        )
    echo("catalogs:" + ("" if registry.catalogs else " none from plugins"))
    for row in document["catalogs"]:
        clash = "  (name claimed twice)" if len(registry.catalogs[row["name"]]) > 1 else ""
        echo(f"  {row['name']:<12} {row['plugin']}{clash}")


def description(entry: Any) -> str:
    """A built-in preset's or split's ``description`` line, or "" (read, never trusted)."""
    from routinegen.sources.files import parse_yaml, read_resource

    try:
        data = parse_yaml(read_resource(entry, entry.name), entry.name).data
    except Exception:
        return ""
    value = data.get("description") if isinstance(data, dict) else None
    return value if isinstance(value, str) else ""


def _listing(fmt: str, name: str, rows: list[dict[str, Any]], columns: list[str]) -> None:
    """The rows as text, one a line, or as the JSON document of the contract ``name``
    (output/schemas), which names its schema and holds the rows under ``name``."""
    if fmt == "json":
        from routinegen.output.schemas import head

        echo(json.dumps({**head(name), name: rows}, indent=2, ensure_ascii=False))
        return
    width = max((len(str(r["name"])) for r in rows), default=0) + 2
    for row in rows:
        rest = "  ".join(str(row[c]) for c in columns if row[c])
        echo(f"{row['name']:<{width}}{rest}")


@app.command(
    epilog=examples(
        "routinegen presets",
        "routinegen presets -F json",
        "routinegen make -p back-15 --seed 7",
    )
)
def presets(fmt: ListFormat = "text") -> None:
    """List the built-in presets (for make --preset, or week --preset for a week's)."""
    if fmt not in ("text", "json"):
        usage(f"unknown format {fmt!r}; choose text or json", "--format")
    from routinegen.request.settings import PLAN_KEYS, builtin_presets, load_preset

    def action() -> None:
        rows = []
        for name in builtin_presets():
            settings = load_preset(name)
            values = {k: v.value for k, v in settings.items() if k != "description"}
            rows.append(
                {
                    "name": name,
                    "command": "week" if PLAN_KEYS & set(values) else "make",
                    "description": str(settings["description"].value)
                    if "description" in settings
                    else "",
                    "settings": values,
                }
            )
        _listing(fmt, "presets", rows, ["command", "description"])

    _run(action)


@app.command(
    epilog=examples(
        "routinegen splits",
        "routinegen splits -F json",
        "routinegen week --days mon,tue,thu,fri --split upper-lower",
    )
)
def splits(fmt: ListFormat = "text") -> None:
    """List the built-in split templates for week --split."""
    if fmt not in ("text", "json"):
        usage(f"unknown format {fmt!r}; choose text or json", "--format")
    from routinegen.request.plan import builtin_splits, load_split

    def action() -> None:
        rows = [
            {
                "name": name,
                "description": description(entry),
                "sessions": list(load_split(name)),
            }
            for name, entry in builtin_splits().items()
        ]
        for row in rows:
            row["shown"] = f"{row['description']} ({' / '.join(row['sessions'])})"
        if fmt == "json":
            for row in rows:
                del row["shown"]
        _listing(fmt, "splits", rows, ["shown"])

    _run(action)


@app.command(
    epilog=examples(
        "routinegen schema > routine.schema.json    # the result documents' schema",
        "routinegen schema summary                  # batch's summary.json",
        "routinegen schema --list",
    )
)
def schema(
    name: Annotated[
        str | None,
        typer.Argument(
            help="The schema to print (default result); routinegen schema --list names them.",
            autocompletion=complete.schema_name,
            show_default=False,
        ),
    ] = None,
    list_: Annotated[
        bool, typer.Option("--list", help="List the schemas: name, version, $id, what it covers.")
    ] = False,
) -> None:
    """Print the JSON Schema of a machine-readable output (default: result documents)."""
    refuse_empty(NAME=name)
    from routinegen.output.schemas import contracts

    known = contracts()
    if list_:
        if name is not None:
            usage("give a schema name or --list, not both", "--list")
        width = max(len(n) for n in known) + 2
        for each in known.values():
            schema_id = str(each.load().get("$id", ""))
            version = each.version or _major(schema_id)
            echo(f"{each.name:<{width}}{version:<6}{schema_id}  {each.describes}")
        return
    contract = known.get(name or "result")
    if contract is None:
        usage(f"unknown schema {name!r}; choose from {', '.join(known)}", "NAME")
    echo(json.dumps(contract.load(), indent=2, ensure_ascii=False))


def _major(schema_id: str) -> str:
    """The major version a schema's ``$id`` names (``.../catalog-2.json``), or "-"."""
    import re

    match = re.search(r"-([0-9]+)\.json$", schema_id)
    return match[1] if match else "-"
