"""The ``serve`` command: the HTTP service (FastAPI on uvicorn), ``routinegen[serve]``.

FastAPI, uvicorn and the service are imported inside the command, so every other command
(and ``--help``) starts as fast as before.
"""

from typing import Annotated

import typer

from routinegen.cli.apps import app, examples, fail
from routinegen.cli.running import _run

SCHEDULER_PROBE_SECONDS = 10.0  # how long serve waits for --scheduler before refusing


@app.command(
    epilog=examples(
        "routinegen serve                                     # http://127.0.0.1:8000",
        "routinegen serve --port 9000 --workers 4 --db ./service.sqlite3",
        "routinegen serve --host 0.0.0.0 --tokens-file tokens.txt",
        "routinegen serve --scheduler tcp://10.0.0.5:8786            # solve on a Dask cluster",
    )
)
def serve(
    host: Annotated[
        str, typer.Option(help="Address to listen on; loopback unless tokens are set.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[
        int, typer.Option(help="Solver processes (solves at the same time).", min=1)
    ] = 2,
    queue: Annotated[
        int, typer.Option(help="Solves that may wait for a solver; past it: 503.", min=0)
    ] = 16,
    scheduler: Annotated[
        str | None,
        typer.Option(help="A Dask scheduler, e.g. tcp://10.0.0.5:8786: solve there, not locally."),
    ] = None,
    db: Annotated[
        str | None,
        typer.Option(help="SQLite database file (default: service.sqlite3 in the user data dir)."),
    ] = None,
    token: Annotated[
        list[str] | None,
        typer.Option("--token", help="Bearer token that may write; repeatable."),
    ] = None,
    tokens_file: Annotated[
        str | None, typer.Option(help="File of bearer tokens, one a line.")
    ] = None,
    insecure: Annotated[
        bool,
        typer.Option("--insecure", help="Allow a non-loopback --host without any token."),
    ] = False,
    time_limit: Annotated[
        float, typer.Option(help="Longest a solve may run, in seconds.", min=0.1)
    ] = 10.0,
) -> None:
    """Serve the HTTP API, the web page and calendar feeds."""

    def action() -> None:
        from pathlib import Path

        from routinegen.service.config import ServiceConfig, check_bind, default_db, read_tokens

        tokens = read_tokens(token, tokens_file)
        check_bind(host, tokens, insecure)
        try:
            import uvicorn

            from routinegen.service.app import create_app
        except ImportError as exc:
            fail(f"serve needs {exc.name}: pip install 'routinegen[serve]'")
        if scheduler:  # a wrong address is one clear line now, not a failed app startup
            from routinegen.service.cluster import dask_pool

            _, close = dask_pool(scheduler, queue, timeout=SCHEDULER_PROBE_SECONDS)
            close()
        config = ServiceConfig(
            db=Path(db) if db else default_db(),
            workers=workers,
            queue=queue,
            tokens=tokens,
            time_limit=time_limit,
            scheduler=scheduler,
        )
        uvicorn.run(create_app(config), host=host, port=port, log_level="info")

    _run(action)
