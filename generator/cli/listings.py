"""The listing commands: ``exporters``, ``plugins`` and ``schema``."""

import json
from typing import Annotated, Any

import typer

from routinegen.cli.common import _registry, app, usage


def _plain(value: Any) -> str:
    """A default as ``--set`` would take it: ``true``/``false`` for a bool."""
    return str(value).lower() if isinstance(value, bool) else str(value)


@app.command()
def exporters(
    fmt: Annotated[str, typer.Option("--format", "-F", help="text or json.")] = "text",
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
        typer.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        typer.echo(
            f"{row['name']:<10} .{row['extension']:<6} {row['media_type']:<22} {row['description']}"
        )
        for o in row["options"]:  # what --set takes, with its default
            setting = f"--set {o['name']}={_plain(o['default'])}"
            typer.echo(f"{'':<11}{setting:<28} {o['help']}")


@app.command()
def plugins(
    fmt: Annotated[str, typer.Option("--format", "-F", help="text or json.")] = "text",
) -> None:
    """List the loaded plugins with their distribution, version and hooks, and what they add."""
    if fmt not in ("text", "json"):
        usage(f"unknown format {fmt!r}; choose text or json", "--format")
    registry = _registry()
    document: dict[str, list[Any]] = {
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
        typer.echo(json.dumps(document, indent=2))
        return
    typer.echo("plugins:")
    for p in registry.plugins:
        label = f"{p.distribution} {p.version}".rstrip()
        typer.echo(f"  {p.name:<12} {label:<28} {', '.join(p.hooks) or 'no hooks'}")
    typer.echo("exporters:")
    for row in document["exporters"]:
        clash = "  (format claimed twice)" if len(registry.exporters[row["name"]]) > 1 else ""
        typer.echo(
            f"  {row['name']:<12} .{row['extension']:<7} {row['media_type']:<24} "
            f"{row['plugin']}{clash}"
        )
    typer.echo("catalogs:" + ("" if registry.catalogs else " none from plugins"))
    for row in document["catalogs"]:
        clash = "  (name claimed twice)" if len(registry.catalogs[row["name"]]) > 1 else ""
        typer.echo(f"  {row['name']:<12} {row['plugin']}{clash}")


@app.command()
def schema() -> None:
    """Print the JSON Schema of the json exporter's documents."""
    from routinegen.output.document import load_schema

    typer.echo(json.dumps(load_schema(), indent=2))
