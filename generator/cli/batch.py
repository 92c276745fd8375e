"""The ``batch`` command: routines and weekly plans for many people."""

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from routinegen.cli.apps import EXIT_INTERRUPTED, app, examples, refuse_empty, terminal_safe, usage
from routinegen.cli.exporting import _exporter_options, _pick_exporter, _registry
from routinegen.cli.options import AsciiNumber, Quiet, _complete_format
from routinegen.cli.running import Interrupted, _collect_from_here, _run
from routinegen.sources.files import STDIN_LABEL

if TYPE_CHECKING:
    from routinegen.registry import Registry


def _batch_formats(registry: "Registry", names: list[str], pairs: list[str]) -> list[Any]:
    """The batch's formats with their options; ``--set KEY=VALUE`` goes to every chosen format
    that takes KEY, ``--set FORMAT.KEY=VALUE`` to that one."""
    from routinegen.batch import Format

    chosen = {name: _pick_exporter(registry, name, None) for name in names}
    for pair in pairs:
        key = pair.partition("=")[0].strip()
        target, dot, _ = key.partition(".")
        if dot and target not in chosen:
            usage(f"{pair!r}: {target!r} is not one of the formats {', '.join(chosen)}", "--set")
        if not dot and not any(
            key in {o.name for o in e.options.fields()} for e in chosen.values()
        ):
            usage(f"no chosen format takes the option {key!r}", "--set")
    formats: list[Format] = []
    extensions: dict[str, str] = {}
    for name, exporter in chosen.items():
        if exporter.extension in extensions:
            usage(
                f"the formats {extensions[exporter.extension]} and {name} both write "
                f".{exporter.extension} files; choose one",
                "--format",
            )
        extensions[exporter.extension] = name
        declared = {o.name for o in exporter.options.fields()}
        own = []
        for pair in pairs:
            key, _, value = pair.partition("=")
            target, dot, option = key.strip().partition(".")
            if dot and target == name:
                own.append(f"{option}={value}")
            elif not dot and key.strip() in declared:
                own.append(pair)
        options = _exporter_options(registry, exporter, own).as_dict()
        plugin = registry.describe(registry.owner(name))
        formats.append(Format(name, exporter.extension, options, plugin, exporter.kinds))
    return formats


@app.command(
    epilog=examples(
        "routinegen batch people.yaml -o plans/ -F json,ical",
        "routinegen batch people.csv -o plans/ -w 2 --quiet",
        "routinegen batch people.yaml -o plans/ --scheduler tcp://10.0.0.5:8786",
        "cat people.csv | routinegen batch - -o plans/",
    )
)
def batch(
    people: Annotated[
        str,
        typer.Argument(
            help="YAML or CSV file of people: an id and make's or week's options; - for stdin."
        ),
    ],
    out: Annotated[
        str,
        typer.Option(
            "--out",
            "-o",
            help="Output folder: <id>.<extension> per person and format, summary.json.",
        ),
    ],
    fmt: Annotated[
        list[str] | None,
        typer.Option(
            "--format",
            "-F",
            help="Exporter; repeat or comma-separate (default json).",
            autocompletion=_complete_format,
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            "-w",
            click_type=AsciiNumber(int, low=0),
            help="Local worker processes (default: the number of cores; 0 = in this process).",
        ),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            help="A Dask scheduler, e.g. tcp://10.0.0.5:8786 (pip install 'routinegen[dask]')."
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Regenerate even the outputs that are up to date.")
    ] = False,
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="Exporter option KEY=VALUE or FORMAT.KEY=VALUE; repeatable."),
    ] = None,
    quiet: Quiet = False,
) -> None:
    """Routines and weekly plans for many people: local processes, or a Dask cluster."""
    refuse_empty(PEOPLE=people, out=out, fmt=fmt, scheduler=scheduler, set_=set_)
    if workers is not None and scheduler is not None:
        usage("give --workers or --scheduler, not both", "--workers")
    if scheduler is not None:
        from routinegen.batch.executors import scheduler_problem

        problem = scheduler_problem(scheduler)
        if problem is not None:
            usage(problem, "--scheduler")
    for pair in set_ or []:
        if "=" not in pair:
            usage(f"expected KEY=VALUE, got {pair!r}", "--set")
    registry = _registry()
    names = [n.strip() for f in fmt or ["json"] for n in f.split(",") if n.strip()]
    formats = _batch_formats(registry, list(dict.fromkeys(names)), set_ or [])

    shown = STDIN_LABEL if people == "-" else people

    def action() -> None:
        import contextlib

        from routinegen import batch as core
        from routinegen.request.people import read_people

        _collect_from_here()
        from routinegen.exporter import RenderContext

        jobs, invalid = core.prepare(read_people(people), formats, registry, RenderContext.now())
        with contextlib.ExitStack() as stack:
            factory: Callable[[], Any]
            if scheduler:
                client = stack.enter_context(core.dask_client(scheduler))
                factory, window = lambda: client.get_executor(pure=False), core.dask_window(client)
                label = f"dask {scheduler}"
            else:
                count = core.default_workers() if workers is None else workers
                factory = core.InlineExecutor if count == 0 else lambda: core.process_pool(count)
                window = max(1, 4 * count)
                label = "in-process" if count == 0 else f"{count} local processes"
            run = stack.enter_context(
                core.BatchRun(out, jobs, invalid, formats, people_file=people, executor=label)
            )
            from routinegen.cli.progress import BatchProgress

            outcomes = run.outcomes(factory, window=window, force=force)
            progress = stack.enter_context(BatchProgress(run.total, quiet=quiet))
            try:
                for outcome in outcomes:
                    progress.advance(outcome)
            except (Interrupted, KeyboardInterrupt):
                import signal

                for signum in (signal.SIGINT, signal.SIGTERM):  # a second one must not stop
                    signal.signal(signum, signal.SIG_IGN)  # the summary being written
                outcomes.close()
                run.finish("interrupted")
                progress.stop()
                rate = progress.rate
                typer.echo(
                    f"routinegen: interrupted; {rate.done - rate.failed} of {run.total} people "
                    f"are done and written; run the same command again to finish",
                    err=True,
                )
                raise typer.Exit(EXIT_INTERRUPTED) from None
            progress.stop()
            summary = run.finish()
        failures = [p for p in summary["people"] if p["status"] not in ("ok", "not-run")]
        for person in failures[:20]:
            who = f"{shown}:{person['line']}: " + (f"{person['id']}: " if person.get("id") else "")
            line = f"routinegen: {who}{person['status']}: {person['message']}"
            typer.echo(terminal_safe(line), err=True)
        if len(failures) > 20:
            typer.echo(f"routinegen: ... and {len(failures) - 20} more", err=True)
        counts = summary["counts"]
        if quiet:
            raise typer.Exit(core.exit_code(summary))
        typer.echo(
            f"routinegen: {counts['ok']} of {counts['total']} people ok "
            f"({counts['generated']} generated, {counts['skipped']} up to date), "
            f"{counts['failed']} failed; {summary['wall_seconds']:.1f} s; "
            f"summary in {Path(out) / core.SUMMARY_NAME}",
            err=True,
        )
        raise typer.Exit(core.exit_code(summary))

    _run(action)
