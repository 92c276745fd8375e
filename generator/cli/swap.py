"""The ``swap`` command: one exercise of a routine's JSON document replaced, the rest kept."""

from typing import TYPE_CHECKING, Annotated, Any

import typer

from routinegen.cli.apps import app, examples, one_stdin, refuse_empty
from routinegen.cli.exporting import _exporter_for, _solve_and_write
from routinegen.cli.options import CatalogSpec, Format, Output, Seed, SetOptions, TimeLimit
from routinegen.cli.running import _run

if TYPE_CHECKING:
    from routinegen.registry import Registry
    from routinegen.request.settings import Setting


@app.command(
    epilog=examples(
        "routinegen make -m 20 -e dumbbell -o today.json",
        "routinegen swap today.json 2                     # a new second exercise",
        "routinegen swap today.json 1 -o today.json       # and keep the new one",
        "routinegen swap - 3 -F text < today.json              # the document on stdin",
    )
)
def swap(
    document: Annotated[
        str, typer.Argument(help="A routine's JSON document (make -F json), - for stdin.")
    ],
    position: Annotated[
        int, typer.Argument(help="Which exercise of the main block to replace, from 1.", min=1)
    ],
    catalog: CatalogSpec = None,
    seed: Seed = None,
    fmt: Format = None,
    output: Output = None,
    time_limit: TimeLimit = None,
    set_: SetOptions = None,
) -> None:
    """Replace one exercise with the best alternative for the same muscles and equipment,
    keeping the others (the routine's request is read from the document)."""
    refuse_empty(document=document, catalog=catalog, output=output, fmt=fmt)
    one_stdin(document=document, catalog=catalog)
    registry, exporter, options = _exporter_for(fmt, output, set_, "routine")

    def solve(settings: dict[str, "Setting"], registry: "Registry") -> Any:
        from routinegen.api import swap_in_document
        from routinegen.solve_options import SolveOptions

        return swap_in_document(
            document,
            position,
            catalog=catalog,
            seed=seed,
            registry=registry,
            solve_options=SolveOptions(time_limit=time_limit),
        )

    _run(lambda: _solve_and_write(registry, exporter, options, {}, output, solve))
