"""The ``catalog`` commands: list, show and import exercise catalogs."""

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from routinegen.cli import complete
from routinegen.cli.apps import catalog_app, examples, refuse_empty, usage
from routinegen.cli.exporting import _registry
from routinegen.cli.options import ListFormat, Quiet
from routinegen.cli.running import _run


@catalog_app.command("list", epilog=examples("routinegen catalog list"))
def catalog_list() -> None:
    """List the built-in catalogs and those that plugins ship."""
    registry = _registry()
    from routinegen.catalog import builtin_catalogs, load_catalog

    def action() -> None:
        for name in builtin_catalogs():
            loaded = load_catalog(name)
            typer.echo(f"{name:<14} {len(loaded.exercises):>4} exercises  {loaded.title}")
        shipped = registry.catalog_sources()
        for name, claims in sorted(registry.catalogs.items()):
            for source, key in claims:
                where = registry.describe(key)
                try:  # a plugin's broken catalog must not hide the others
                    loaded = load_catalog(name, extra={**shipped, name: source})
                except Exception as exc:
                    from routinegen.exporter import one_line

                    typer.echo(
                        f"routinegen: warning: catalog {name!r} of {where} cannot be read: "
                        f"{one_line(exc)}",
                        err=True,
                    )
                    continue
                typer.echo(
                    f"{name:<14} {len(loaded.exercises):>4} exercises  {loaded.title}  ({where})"
                )

    _run(action)


@catalog_app.command(
    "show",
    epilog=examples(
        "routinegen catalog show back",
        "routinegen catalog show mine.yaml -F json",
        "cat mine.yaml | routinegen catalog show -",
    ),
)
def catalog_show(
    name: Annotated[
        str,
        typer.Argument(
            help="Catalog name (built-in or a plugin's), YAML file, or - for stdin.",
            autocompletion=complete.catalog,
        ),
    ],
    fmt: ListFormat = "text",
) -> None:
    """Show a catalog's muscles, groups, equipment and exercises."""
    refuse_empty(NAME=name)
    if fmt not in ("text", "json"):
        usage(f"unknown format {fmt!r}; choose text or json", "--format")
    registry = _registry()
    from routinegen.api import load_catalog

    def action() -> None:
        loaded = load_catalog(name, registry=registry)
        if fmt == "json":
            typer.echo(json.dumps(_catalog_document(loaded), indent=2, ensure_ascii=False))
            return
        typer.echo(f"{loaded.name}: {loaded.title} ({len(loaded.exercises)} exercises)")
        typer.echo("groups:")
        for group, members in loaded.groups.items():
            typer.echo(f"  {group}: {', '.join(members)}")
        typer.echo("equipment: none (bodyweight), " + ", ".join(loaded.equipment))
        typer.echo("exercises:")
        for e in loaded.exercises:
            dose = (
                f"{e.hold[0]}-{e.hold[1]} s hold"
                if e.hold
                else f"{e.reps[0]}-{e.reps[1]} reps"
                if e.reps
                else ""
            )
            ways = " | ".join("+".join(sorted(w)) for w in e.equipment) or "none"
            side = ", per side" if e.unilateral else ""
            typer.echo(
                f"  {e.id:<26} {e.name} [{e.level}] {dose}{side}; "
                f"{', '.join(e.primary)}; equipment {ways}"
            )

    _run(action)


@catalog_app.command(
    "import",
    epilog=examples(
        "routinegen catalog import free-exercise-db exercises.json -o mine.yaml",
        "routinegen make --catalog mine.yaml -f chest -e dumbbell",
    ),
)
def catalog_import(
    source: Annotated[
        str,
        typer.Argument(
            help="Source format: free-exercise-db.", autocompletion=complete.import_source
        ),
    ],
    path: Annotated[
        str,
        typer.Argument(help="The source file (free-exercise-db: exercises.json); - for stdin."),
    ],
    output: Annotated[str, typer.Option("--output", "-o", help="The catalog YAML file to write.")],
    name: Annotated[
        str | None, typer.Option(help="Catalog name (default: the output file's stem).")
    ] = None,
    quiet: Quiet = False,
) -> None:
    """Convert another exercise database into a catalog; report what was skipped and why."""
    refuse_empty(PATH=path, output=output, name=name)
    from routinegen.catalog.importers import SOURCES

    if source not in SOURCES:
        usage(f"unknown source format {source!r}; choose from {', '.join(SOURCES)}", "SOURCE")
    from routinegen.catalog.importers.free_exercise_db import catalog_name

    if name is not None and name != catalog_name(name):
        usage(f"must be lower-case letters, digits, '_' or '-'; got {name!r}", "--name")

    def action() -> None:
        import tempfile

        from routinegen.catalog import load_catalog
        from routinegen.catalog.importers import catalog_yaml, import_free_exercise_db
        from routinegen.errors import InputError
        from routinegen.output.files import write_atomic
        from routinegen.sources.files import STDIN_LABEL, read_text_file
        from routinegen.sources.jsonparse import parse_json

        raw = read_text_file(path, "a JSON file")  # bounded, regular files only; - is stdin
        records = parse_json(raw, STDIN_LABEL if path == "-" else path)
        catalog_id = name or catalog_name(Path(output).stem)
        try:
            data, report = import_free_exercise_db(records, name=catalog_id)
        except InputError as exc:
            raise InputError(f"{path}: {exc}") from None
        text = catalog_yaml(
            data,
            [
                f"Imported from {source} ({Path(path).name}) by routinegen catalog import.",
                "Names, muscles, equipment and levels only; no instruction text is copied.",
            ],
        )
        with tempfile.TemporaryDirectory() as folder:  # check it loads before writing
            check = Path(folder) / f"{catalog_id}.yaml"
            check.write_text(text, encoding="utf-8")
            load_catalog(check)
        write_atomic(output, text.encode("utf-8"))
        if quiet:
            return
        for line in report.lines():
            typer.echo(line)
        typer.echo(f"wrote {output} (catalog {catalog_id!r}); use it with --catalog {output}")

    _run(action)


def _catalog_document(loaded: Any) -> dict[str, Any]:
    """A loaded catalog as the ``catalog-show`` contract (output/schemas) has it."""
    from routinegen.output.schemas import head

    return {
        **head("catalog-show"),
        "name": loaded.name,
        "title": loaded.title,
        "muscles": dict(loaded.muscles),
        "groups": {g: list(m) for g, m in loaded.groups.items()},
        "equipment": dict(loaded.equipment),
        "exercises": [
            {
                "id": e.id,
                "name": e.name,
                "primary": list(e.primary),
                "secondary": list(e.secondary),
                "equipment": [sorted(w) for w in e.equipment],
                "level": e.level,
                "dose": e.dose,
                **(
                    {"reps": list(e.reps), "seconds_per_rep": e.seconds_per_rep}
                    if e.reps
                    else {"hold": list(e.hold or ())}
                ),
                "setup_seconds": e.setup_seconds,
                "unilateral": e.unilateral,
            }
            for e in loaded.exercises
        ],
    }
