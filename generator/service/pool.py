"""Solves off the event loop: a bounded pool of worker processes.

A solve is CPU work of up to seconds, and CP-SAT holds the GIL in places: it runs in a
separate process so the server keeps answering. The pool admits ``workers + queue`` solves
at once; past that ``admit`` refuses and the route answers 503 with Retry-After, so a burst
cannot pile up unbounded work. Workers use forkserver (never inheriting the server's
threads or sockets) and exit when the server dies, so a ``kill -9`` leaves no orphans.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from routinegen.catalog import Catalog
    from routinegen.registry import Registry
    from routinegen.results import Plan, Routine


@dataclass(frozen=True)
class Task:
    """What a worker solves: the kind, the preset and the flag values of the body."""

    kind: str  # "routine" or "plan"
    preset: str | None
    options: dict[str, Any]
    time_limit: float  # the server's cap: a body's own time_limit is lowered to it


@dataclass(frozen=True)
class SwapTask:
    """One exercise of a solved routine replaced (``routinegen.api.swap_exercise``)."""

    routine: Routine
    exercise: str
    seed: int | None
    catalog: str
    exclude: tuple[str, ...]
    min_fill: float | None
    time_limit: float


@dataclass(frozen=True)
class Outcome:
    """What came back: a result, or why not (``problem`` holds the explanation as data)."""

    status: str  # "done", "infeasible", "invalid" or "failed"
    result: Routine | Plan | None = None
    message: str = ""
    problem: dict[str, Any] = field(default_factory=dict)


# ---------------------------------------------------------------------------- in the worker


@cache
def _registry() -> Registry:
    from routinegen.registry import load_registry

    return load_registry()


@cache
def _catalog(name: str) -> Catalog:
    """A catalog by name, loaded once per worker (the service takes names, never paths)."""
    from routinegen.api import load_catalog

    return load_catalog(name, registry=_registry())


def work(task: Task | SwapTask) -> Outcome:
    """What a worker runs: one solve or one swap; never raises for the request's own
    problems (they come back as the outcome)."""
    from routinegen.errors import Infeasible, RoutinegenError
    from routinegen.service.problems import infeasible_problem

    try:
        result = _swap(task) if isinstance(task, SwapTask) else _solve(task)
    except Infeasible as exc:
        return Outcome("infeasible", message=str(exc), problem=infeasible_problem(exc))
    except RoutinegenError as exc:
        return Outcome("invalid", message=str(exc))
    except Exception as exc:  # a bug: the job fails, the worker and the server live on
        from routinegen.registry import one_line

        return Outcome("failed", message=f"internal error: {one_line(exc)}")
    return Outcome("done", result=result)


def _solve(task: Task) -> Routine | Plan:
    """One solve through the public API, on the worker's cached catalog and plugins."""
    from routinegen.api import plan_from_settings, routine_from_settings, settings_from
    from routinegen.solve_options import SolveOptions

    options = dict(task.options)
    if "time_limit" in options:
        options["time_limit"] = min(float(options["time_limit"]), task.time_limit)
    settings = settings_from(task.preset, options)
    name = settings["catalog"].value if "catalog" in settings else "full-body"
    run = plan_from_settings if task.kind == "plan" else routine_from_settings
    return run(
        settings,
        catalog=_catalog(str(name)),
        registry=_registry(),
        solve_options=SolveOptions(time_limit=task.time_limit),
    )


def _swap(task: SwapTask) -> Routine:
    from routinegen.api import swap_exercise
    from routinegen.solve_options import SolveOptions

    return swap_exercise(
        task.routine,
        task.exercise,
        catalog=_catalog(task.catalog),
        exclude=list(task.exclude),
        min_fill=task.min_fill,
        seed=task.seed,
        registry=_registry(),
        solve_options=SolveOptions(time_limit=task.time_limit),
    )


def warm() -> None:
    """Load the plugins and the default catalog, then solve a small routine once, so the
    first request does not pay for OR-Tools' import and the catalog parse."""
    _catalog("full-body")
    work(Task("routine", None, {"minutes": 5, "tz": "UTC", "start": "2026-01-05"}, 2.0))


def _init_worker(parent: int, warm_up: bool) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server handles Ctrl-C for everyone
    signal.signal(signal.SIGTERM, signal.SIG_DFL)

    def watch() -> None:
        while True:
            time.sleep(0.5)
            try:
                os.kill(parent, 0)
            except (ProcessLookupError, PermissionError):
                os._exit(1)

    threading.Thread(target=watch, name="routinegen-parent-watch", daemon=True).start()
    if warm_up:
        with contextlib.suppress(Exception):
            warm()


# ---------------------------------------------------------------------------- in the server


class QueueFull(Exception):
    """Every worker is busy and the queue holds as many solves as it may."""


class SolvePool:
    """``workers`` processes, ``workers`` solves at a time in them, and a bounded count of
    solves admitted (running plus waiting for a worker)."""

    def __init__(
        self,
        workers: int,
        queue: int,
        *,
        warm_up: bool = True,
        executor: Executor | None = None,
    ) -> None:
        """``executor``: solve there instead (a Dask cluster's, with ``workers`` its
        threads); otherwise a local pool of ``workers`` processes is started."""
        self.workers = workers
        self.capacity = workers + queue
        self._warm_up = warm_up
        self._admitted = 0
        self._lock = threading.Lock()
        self._slots = asyncio.Semaphore(workers)
        self._local = executor is None
        self._executor: Executor = executor if executor is not None else self._start()

    def _start(self) -> ProcessPoolExecutor:
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        return ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=context,
            initializer=_init_worker,
            initargs=(os.getpid(), self._warm_up),
        )

    @property
    def admitted(self) -> int:
        """Solves running or waiting now."""
        return self._admitted

    def prime(self) -> None:
        """Start every worker now (they warm up meanwhile) rather than at the first request."""
        for _ in range(self.workers if self._local else 0):
            self._executor.submit(os.getpid)

    def admit(self, *, force: bool = False) -> None:
        """Count one more solve in; QueueFull past capacity, unless ``force`` (jobs found
        again at a restart were admitted before). Every ``admit`` is paired with ``run``."""
        with self._lock:
            if not force and self._admitted >= self.capacity:
                raise QueueFull
            self._admitted += 1

    async def run(
        self, task: Task | SwapTask, on_start: Callable[[], bool] | None = None
    ) -> Outcome | None:
        """Solve an admitted ``task`` once a worker is free. ``on_start`` is called then;
        when it says no (the job was cancelled while it waited), nothing is solved."""
        try:
            async with self._slots:
                if on_start is not None and not on_start():
                    return None
                try:
                    return await asyncio.wrap_future(self._submit(task))
                except BrokenProcessPool:
                    self._renew()
                    return Outcome("failed", message="the solver process died; try again")
        finally:
            with self._lock:
                self._admitted -= 1

    def _submit(self, task: Task | SwapTask) -> Future[Outcome]:
        try:
            return self._executor.submit(work, task)
        except (BrokenProcessPool, RuntimeError):
            if not self._local:
                raise
            self._renew()
            return self._executor.submit(work, task)

    def _renew(self) -> None:
        """A worker died (killed, out of memory): the local pool is broken; start another."""
        if self._local:
            self._executor = self._start()

    def close(self) -> None:
        """Stop now: waiting solves are cancelled, running ones end with their processes."""
        for process in list((getattr(self._executor, "_processes", None) or {}).values()):
            with contextlib.suppress(Exception):
                process.terminate()
        with contextlib.suppress(Exception):
            self._executor.shutdown(wait=False, cancel_futures=True)
