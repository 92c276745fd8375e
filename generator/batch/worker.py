"""The task a worker runs for one person: a plain dict in, a plain dict out (picklable for
local processes and Dask alike). Workers only solve and render; the parent writes."""

from __future__ import annotations

import pickle
import socket
import time
from collections.abc import Mapping
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any

from routinegen.batch.jobs import catalog_digest
from routinegen.errors import Infeasible, RoutinegenError
from routinegen.exporter import RenderContext
from routinegen.output.document import generator_version
from routinegen.output.render import render
from routinegen.request.settings import Setting

if TYPE_CHECKING:
    from routinegen.catalog import Catalog
    from routinegen.registry import Registry


# ---------------------------------------------------------------------------- the task


@cache
def _registry() -> Registry:
    from routinegen.registry import load_registry

    return load_registry()


_catalogs: dict[str, Catalog] = {}


def _catalog(ref: Mapping[str, Any], digest: str) -> Catalog:
    """The task's catalog, loaded once per worker process and checked against the parent's."""
    if digest in _catalogs:
        return _catalogs[digest]
    if "pickle" in ref:
        catalog: Catalog = pickle.loads(ref["pickle"])
    else:
        from routinegen.catalog import load_catalog

        catalog = load_catalog(ref["name"], extra=_registry().catalog_sources())
    if catalog_digest(catalog) != digest:
        raise RoutinegenError(
            f"the catalog {ref.get('name')!r} on worker host {socket.gethostname()} differs from "
            "the one the batch was started with; install the same routinegen and plugins there"
        )
    _catalogs[digest] = catalog
    return catalog


def worker_version() -> str:
    """The routinegen version a worker runs (asked of every Dask worker before a batch)."""
    return generator_version()


def run_task(task: Mapping[str, Any]) -> dict[str, Any]:
    """Solve and render one person; returns ``{"status": ..., "outputs": {format: bytes}}``.

    Never raises for the person's own problems: every person must come back with an output
    or a reason. Nothing is written here; the parent writes.
    """
    started = time.perf_counter()
    try:
        outputs, solver = _solve_and_render(task)
    except Infeasible as exc:
        result: dict[str, Any] = {
            "status": "infeasible",
            "message": str(exc),
            "conflicts": list(exc.conflicts),
        }
    except RoutinegenError as exc:
        result = {"status": "error", "message": str(exc)}
    except BaseException as exc:  # a plugin's SystemExit or KeyboardInterrupt included
        from routinegen.exporter import is_interrupt, one_line

        if is_interrupt(exc):
            raise
        result = {"status": "error", "message": f"internal error: {one_line(exc)}"}
    else:
        result = {"status": "ok", "outputs": outputs, "solver": solver}
    result["seconds"] = round(time.perf_counter() - started, 4)
    return result


def _solve_and_render(task: Mapping[str, Any]) -> tuple[dict[str, bytes], dict[str, Any]]:

    if task["routinegen"] != generator_version():
        raise RoutinegenError(
            f"worker host {socket.gethostname()} runs routinegen {generator_version()}, "
            f"the batch was started with {task['routinegen']}"
        )
    registry = _registry()
    exporters = []
    for fmt in task["formats"]:
        exporter = registry.exporter(fmt["name"])
        where = registry.describe(registry.owner(fmt["name"]))
        if where != fmt["plugin"]:
            raise RoutinegenError(
                f"format {fmt['name']!r} is {where} on worker host {socket.gethostname()}, "
                f"but {fmt['plugin']} where the batch was started"
            )
        exporters.append((exporter, where, exporter.options.build(fmt["options"], exporter.name)))
    catalog = _catalog(task["catalog"], task["catalog_digest"])
    settings = {k: Setting(value, origin) for k, (value, origin) in task["settings"].items()}
    from routinegen.api import plan_from_settings, routine_from_settings

    solve = plan_from_settings if task["kind"] == "plan" else routine_from_settings
    result: Any = solve(settings, catalog=catalog)
    outputs: dict[str, bytes] = {}
    context = RenderContext(
        datetime.fromisoformat(task["timestamp"]),
        task["reproducible"],
        identity=task["id"],
    )
    for exporter, where, options in exporters:
        outputs[exporter.name] = render(exporter, result, options, context, where=where)
    info = result.solver
    solver = {"status": info.status, "seconds": round(info.wall_seconds, 4)}
    solver["objective"] = info.objective
    return outputs, solver
