"""Batch generation: routines and weekly plans for many people, each an independent task.

Why it is built this way:

* Every person is one call of ``run_task`` (top level, a plain dict in, a plain dict out)
  behind one ``concurrent.futures`` executor: a local process pool by default, a Dask
  cluster's ``Client.get_executor()`` when asked. No scheduler, queue or RPC of our own.
* Rows are checked against their catalog in the parent first (no solver), so a bad row is
  reported with its line while the others run, and the dates a person did not give
  ("tomorrow", "next Monday") are fixed once, for the worker and the fingerprint alike.
* Workers only solve and render; the parent alone writes, each file through a temp file and
  ``os.replace``, the person's sidecar (fingerprint and file hashes) last. A ``kill -9`` at
  any moment thus leaves complete files only, and a rerun skips exactly the people whose
  outputs are complete and up to date.
* Nothing here prints: ``BatchRun.outcomes`` yields one ``Outcome`` per person and the CLI
  shows progress; ``BatchRun.finish`` writes ``summary.json``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import multiprocessing
import os
import pickle
import re
import signal
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from routinegen.errors import Infeasible, InputError, RoutinegenError
from routinegen.output.document import generator_version
from routinegen.output.files import write_atomic
from routinegen.request.people import PeopleFile, Row
from routinegen.request.settings import Setting

if TYPE_CHECKING:
    from distributed import Client

    from routinegen.catalog import Catalog
    from routinegen.registry import Registry

STATE_DIR = ".routinegen-batch"  # per-person sidecars and the lock; ids cannot start with "."
SUMMARY_NAME = "summary.json"
MAX_ATTEMPTS = 3  # a person in flight when a worker process died is tried this often
SDE = "SOURCE_DATE_EPOCH"
# write_atomic's temp files: ".<name>.<8 random chars>.tmp", left over only by a kill -9
_TEMP = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")


# ---------------------------------------------------------------------------- data


@dataclasses.dataclass(frozen=True)
class Format:
    """An output format of the batch, as the parent resolved it."""

    name: str
    extension: str
    options: Mapping[str, Any]
    plugin: str  # who provides it, e.g. "plugin 'json' from routinegen 0.1.0"; workers must agree


@dataclasses.dataclass(frozen=True)
class Job:
    """A valid person, ready to run: the task for a worker and the fingerprint of its output."""

    id: str
    line: int
    kind: str
    task: dict[str, Any]
    fingerprint: str
    index: int = 0  # the row's place in the file (lines may repeat in YAML flow style)


@dataclasses.dataclass
class Outcome:
    """What became of one person; ``status`` is ok, infeasible, error, invalid or not-run."""

    id: str | None
    line: int
    kind: str | None
    status: str
    skipped: bool = False  # ok because the outputs were already complete and up to date
    files: list[str] = dataclasses.field(default_factory=list)
    solver: dict[str, Any] | None = None
    seconds: float | None = None
    message: str | None = None
    conflicts: list[str] | None = None
    index: int = 0

    @property
    def failed(self) -> bool:
        return self.status != "ok"

    def as_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        drop = ("skipped", "index")
        return {k: v for k, v in data.items() if v is not None and k not in drop} | (
            {"skipped": True} if self.skipped else {}
        )


# ---------------------------------------------------------------------------- preparing


def catalog_digest(catalog: Catalog) -> str:
    """A hash of what the solver sees of a catalog; the same in every process and host."""
    text = json.dumps(_plain(catalog), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _plain(value: Any) -> Any:
    """Canonical plain data: sets sorted (their order changes with the hash seed)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [[f.name, _plain(getattr(value, f.name))] for f in dataclasses.fields(value)]
    if isinstance(value, Mapping):
        return [[_plain(k), _plain(v)] for k, v in value.items()]
    if isinstance(value, set | frozenset):
        return sorted((_plain(v) for v in value), key=repr)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


class _Catalogs:
    """The parent's catalogs, loaded once per spec, with what a task carries to name them."""

    def __init__(self, registry: Registry) -> None:
        from routinegen.catalog import builtin_catalogs

        self.registry = registry
        self.extra = registry.catalog_sources()
        self.named = set(builtin_catalogs()) | set(self.extra)
        self.loaded: dict[str, tuple[Catalog, dict[str, Any], str] | InputError] = {}

    def get(self, spec: str, setting: Setting | None) -> tuple[Catalog, dict[str, Any], str]:
        from routinegen.catalog import load_catalog

        if spec not in self.loaded:
            try:
                self.registry.check_catalog(spec)
                catalog = load_catalog(spec, extra=self.extra)
                # A built-in or plugin catalog travels by name, a file as the catalog itself,
                # so that workers on other hosts need not see the file.
                ref = {"name": spec} if spec in self.named else {"pickle": pickle.dumps(catalog)}
                self.loaded[spec] = (catalog, ref, catalog_digest(catalog))
            except InputError as exc:
                self.loaded[spec] = InputError(f"{setting.origin}: {exc}" if setting else str(exc))
        entry = self.loaded[spec]
        if isinstance(entry, InputError):
            raise entry
        return entry


def prepare(
    people: PeopleFile, formats: Sequence[Format], registry: Registry
) -> tuple[list[Job], list[Outcome]]:
    """Check every row against its catalog (no solver): the jobs to run and the invalid rows."""
    catalogs = _Catalogs(registry)
    jobs: list[Job] = []
    invalid: list[Outcome] = []
    for index, row in enumerate(people.rows):
        if row.error is None:
            assert row.id is not None
            try:
                jobs.append(dataclasses.replace(_job(row, formats, catalogs), index=index))
                continue
            except InputError as exc:
                message, kind = str(exc), row.kind
        else:
            message, kind = row.error, None
        invalid.append(Outcome(row.id, row.line, kind, "invalid", message=message, index=index))
    return jobs, invalid


def _given(setting: Setting | None) -> bool:
    return setting is not None and setting.value not in (None, "")


def _job(row: Row, formats: Sequence[Format], catalogs: _Catalogs) -> Job:
    from routinegen.request.plan import resolve_plan_request
    from routinegen.request.routine import resolve_request

    assert row.id is not None
    spec_setting = row.settings.get("catalog")
    spec = str(spec_setting.value) if spec_setting and _given(spec_setting) else "full-body"
    catalog, ref, digest = catalogs.get(spec, spec_setting)
    settings = dict(row.settings)
    if row.kind == "routine":
        request = resolve_request(catalog, settings)
        if not _given(settings.get("start")):
            assert request.start is not None
            settings["start"] = Setting(request.start.isoformat(), "the batch's 'tomorrow'")
    else:
        plan = resolve_plan_request(catalog, settings)
        if not _given(settings.get("start")):
            first = plan.slots[0].date  # in the week that starts next Monday
            monday = first - timedelta(days=first.weekday())
            settings["start"] = Setting(monday.isoformat(), "the batch's 'next Monday'")
    split = settings.get("split")
    split_digest = None
    if split is not None and _given(split) and Path(str(split.value)).is_file():
        split_digest = hashlib.sha256(Path(str(split.value)).read_bytes()).hexdigest()
    version = generator_version()
    sde = os.environ.get(SDE) or None
    plain_formats = [
        {"name": f.name, "extension": f.extension, "options": dict(f.options), "plugin": f.plugin}
        for f in sorted(formats, key=lambda f: f.name)
    ]
    identity = {
        "routinegen": version,
        "kind": row.kind,
        "settings": {k: settings[k].value for k in sorted(settings)},
        "catalog": digest,
        "split": split_digest,
        "formats": plain_formats,
        "source_date_epoch": sde,
    }
    fingerprint = hashlib.sha256(
        json.dumps(identity, sort_keys=True, default=str, ensure_ascii=False).encode("utf-8")
    ).hexdigest()
    task = {
        "id": row.id,
        "kind": row.kind,
        "settings": {k: [s.value, s.origin] for k, s in settings.items()},
        "catalog": ref,
        "catalog_digest": digest,
        "formats": plain_formats,
        "routinegen": version,
        "source_date_epoch": sde,
    }
    return Job(row.id, row.line, row.kind, task, fingerprint)


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


_env_lock = threading.Lock()


@contextlib.contextmanager
def _source_date_epoch(value: str | None) -> Iterator[None]:
    """The parent's SOURCE_DATE_EPOCH for this task (it decides the calendar's DTSTAMP)."""
    if os.environ.get(SDE) == value:
        yield
        return
    with _env_lock:
        old = os.environ.get(SDE)
        if value is None:
            os.environ.pop(SDE, None)
        else:
            os.environ[SDE] = value
        try:
            yield
        finally:
            if old is None:
                os.environ.pop(SDE, None)
            else:
                os.environ[SDE] = old


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
    except Exception as exc:
        from routinegen.registry import one_line

        result = {"status": "error", "message": f"internal error: {one_line(exc)}"}
    else:
        result = {"status": "ok", "outputs": outputs, "solver": solver}
    result["seconds"] = round(time.perf_counter() - started, 4)
    return result


def _solve_and_render(task: Mapping[str, Any]) -> tuple[dict[str, bytes], dict[str, Any]]:
    from routinegen.registry import one_line

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
        exporters.append((exporter, where, fmt["options"]))
    catalog = _catalog(task["catalog"], task["catalog_digest"])
    settings = {k: Setting(value, origin) for k, (value, origin) in task["settings"].items()}
    result: Any
    if task["kind"] == "plan":
        from routinegen.request.plan import resolve_plan_request
        from routinegen.solver.plan_solve import solve_plan

        result = solve_plan(catalog, resolve_plan_request(catalog, settings))
    else:
        from routinegen.request.routine import resolve_request
        from routinegen.solver.solve import solve_routine

        result = solve_routine(catalog, resolve_request(catalog, settings))
    outputs: dict[str, bytes] = {}
    with _source_date_epoch(task["source_date_epoch"]):
        for exporter, where, options in exporters:
            try:
                rendered = exporter.render(result, options)
            except Exception as exc:
                raise RoutinegenError(
                    f"the {exporter.name} exporter ({where}) failed: {one_line(exc)}"
                ) from None
            if isinstance(rendered, str):
                rendered = rendered.encode("utf-8")
            if not isinstance(rendered, bytes):
                raise RoutinegenError(
                    f"the {exporter.name} exporter ({where}) returned "
                    f"{type(rendered).__name__}, not str or bytes"
                )
            outputs[exporter.name] = rendered
    info = result.solver
    solver = {"status": info.status, "seconds": round(info.wall_seconds, 4)}
    solver["objective"] = info.objective
    return outputs, solver


# ---------------------------------------------------------------------------- executors


class InlineExecutor(Executor):
    """Runs each task at once in this process: ``--workers 0``, debugging, the baseline."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:
            future.set_exception(exc)
        return future


def default_workers() -> int:
    """The cores this process may use (affinity and container limits included)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def process_pool(workers: int) -> ProcessPoolExecutor:
    """A local pool of ``workers`` processes, each solving on one CP-SAT worker.

    forkserver (spawn where there is none): a worker never inherits the parent's threads or
    open files, and it ignores Ctrl-C and exits when the parent dies, so a ``kill -9`` of
    the batch leaves no orphan behind.
    """
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_init_worker,
        initargs=(os.getpid(),),
    )


def _init_worker(parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C for everyone
    if os.name != "posix":  # pragma: no cover
        return
    ppid = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(0.5)
            try:
                os.kill(parent, 0)
            except ProcessLookupError:
                os._exit(1)
            except PermissionError:  # pragma: no cover - the pid went to another user
                os._exit(1)
            if os.getppid() != ppid:  # the forkserver (or the parent) is gone
                os._exit(1)

    threading.Thread(target=watch, name="routinegen-parent-watch", daemon=True).start()


@contextlib.contextmanager
def dask_client(address: str, timeout: float = 20) -> Iterator[Client]:
    """A Dask client for ``address``, its workers checked to run our routinegen version."""
    try:
        from distributed import Client
    except ImportError:
        raise InputError(
            "--scheduler needs Dask's distributed: pip install 'routinegen[dask]'"
        ) from None
    from routinegen.registry import one_line

    try:
        client = Client(address, timeout=timeout)
    except (OSError, TimeoutError, ValueError) as exc:
        raise InputError(f"cannot reach the Dask scheduler at {address}: {one_line(exc)}") from None
    try:
        try:
            versions = client.run(worker_version)
        except Exception as exc:
            raise InputError(
                f"the Dask workers at {address} cannot run routinegen ({one_line(exc)}); "
                f"install routinegen {generator_version()} on every worker"
            ) from None
        wrong = sorted(w for w, v in versions.items() if v != generator_version())
        if wrong:
            raise InputError(
                f"Dask workers {', '.join(wrong)} run another routinegen version than "
                f"{generator_version()}; install the same everywhere"
            )
        yield client
    finally:
        client.close()


def dask_window(client: Client) -> int:
    """How many tasks to keep submitted: enough to keep every worker thread busy."""
    return max(64, 4 * int(sum(client.nthreads().values())))


def _stop(executor: Executor) -> None:
    """Stop at once: cancel what waits, end local worker processes mid-solve."""
    if isinstance(executor, ProcessPoolExecutor):
        for process in list((getattr(executor, "_processes", None) or {}).values()):
            with contextlib.suppress(Exception):
                process.terminate()
    with contextlib.suppress(Exception):
        executor.shutdown(wait=False, cancel_futures=True)


# ---------------------------------------------------------------------------- a run


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class BatchRun:
    """One batch into one output folder: lock, clean, skip what is done, run, summarise.

    Use as a context manager; ``outcomes`` yields each person's ``Outcome`` as soon as its
    files are written, ``finish`` writes ``summary.json``. Nothing is printed.
    """

    def __init__(
        self,
        out: str | Path,
        jobs: Sequence[Job],
        invalid: Sequence[Outcome],
        formats: Sequence[Format],
        *,
        people_file: str = "",
        executor: str = "",
    ) -> None:
        self.out = Path(out)
        self.state = self.out / STATE_DIR
        self.jobs = list(jobs)
        self.invalid = list(invalid)
        self.formats = list(formats)
        self.people_file = people_file
        self.executor_label = executor
        self.done: dict[int, Outcome] = {}  # by row index
        self.started = time.time()
        self._clock = time.perf_counter()
        self._lock: Any = None

    @property
    def total(self) -> int:
        return len(self.jobs) + len(self.invalid)

    # -- setting up

    def __enter__(self) -> BatchRun:
        try:
            self.state.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(
                f"{self.out}: cannot create the output folder ({exc.strerror})"
            ) from None
        self._take_lock()
        for folder in (self.out, self.state):
            for entry in folder.iterdir():
                if _TEMP.match(entry.name) and entry.is_file():
                    entry.unlink(missing_ok=True)  # a killed run's half-written file
        self._write_summary("running")
        return self

    def __exit__(self, *exc: object) -> None:
        if self._lock is not None:
            self._lock.close()  # closing the file releases the lock
            self._lock = None

    def _take_lock(self) -> None:
        """One batch per folder at a time: two would clean each other's temp files."""
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not POSIX
            return
        handle = (self.state / "lock").open("a+")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            raise InputError(
                f"{self.out}: another routinegen batch is writing to this folder"
            ) from None
        self._lock = handle

    # -- files

    def _paths(self, job_id: str) -> list[Path]:
        return [
            self.out / f"{job_id}.{f.extension}" for f in sorted(self.formats, key=lambda f: f.name)
        ]

    def _sidecar(self, job_id: str) -> Path:
        return self.state / f"{job_id}.json"

    def up_to_date(self, job: Job) -> dict[str, Any] | None:
        """The sidecar when every output exists with the recorded hash and the fingerprint
        matches; otherwise None (and the person is generated again)."""
        try:
            record = json.loads(self._sidecar(job.id).read_text(encoding="utf-8"))
            if record.get("fingerprint") != job.fingerprint:
                return None
            hashes = record.get("files", {})
            for path in self._paths(job.id):
                if hashes.get(path.name) != _sha256(path):
                    return None
        except (OSError, ValueError, AttributeError):
            return None
        return dict(record)

    def _store(self, job: Job, result: Mapping[str, Any]) -> Outcome:
        """Write one person's files (outputs first, sidecar last) or clear stale ones."""
        outcome = Outcome(
            job.id,
            job.line,
            job.kind,
            result["status"],
            solver=result.get("solver"),
            seconds=result.get("seconds"),
            message=result.get("message"),
            conflicts=result.get("conflicts"),
            index=job.index,
        )
        sidecar = self._sidecar(job.id)
        try:
            sidecar.unlink(missing_ok=True)  # from here on the old outputs count for nothing
            if outcome.status != "ok":
                # no output may outlive a person who now fails: it would contradict the summary
                for path in self._paths(job.id):
                    path.unlink(missing_ok=True)
                return outcome
            by_name = {f.name: f for f in self.formats}
            hashes = {}
            for name, data in sorted(result["outputs"].items()):
                path = self.out / f"{job.id}.{by_name[name].extension}"
                write_atomic(path, data)
                hashes[path.name] = hashlib.sha256(data).hexdigest()
            record = {
                "id": job.id,
                "kind": job.kind,
                "fingerprint": job.fingerprint,
                "files": hashes,
                "solver": outcome.solver,
                "seconds": outcome.seconds,
            }
            write_atomic(sidecar, json.dumps(record, indent=1).encode("utf-8"))
            outcome.files = sorted(hashes)
        except (InputError, OSError) as exc:
            outcome.status = "error"
            outcome.message = f"cannot write the outputs: {exc}"
            outcome.files = []
        return outcome

    # -- running

    def outcomes(
        self,
        executor_factory: Callable[[], Executor],
        *,
        window: int = 8,
        force: bool = False,
    ) -> Generator[Outcome, None, None]:
        """Every person's outcome: invalid rows, up-to-date ones (skipped), then the rest as
        they finish. A local pool whose worker process died is replaced and the people it
        was solving are tried again (up to ``MAX_ATTEMPTS`` times)."""
        for outcome in self.invalid:
            yield self._record(outcome)
        todo: deque[Job] = deque()
        for job in self.jobs:
            record = None if force else self.up_to_date(job)
            if record is None:
                todo.append(job)
                continue
            yield self._record(
                Outcome(
                    job.id,
                    job.line,
                    job.kind,
                    "ok",
                    skipped=True,
                    files=sorted(record.get("files", {})),
                    solver=record.get("solver"),
                    seconds=record.get("seconds"),
                    index=job.index,
                )
            )
        if not todo:
            return
        attempts: dict[str, int] = {}
        running: dict[Future[Any], Job] = {}
        executor = executor_factory()
        finished = False
        try:
            while todo or running:
                while todo and len(running) < max(1, window):
                    job = todo.popleft()
                    attempts[job.id] = attempts.get(job.id, 0) + 1
                    running[executor.submit(run_task, job.task)] = job
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                crashed: list[Job] = []
                for future in done:
                    job = running.pop(future)
                    try:
                        result = future.result()
                    except BrokenProcessPool:
                        crashed.append(job)
                        continue
                    except Exception as exc:  # e.g. Dask's KilledWorker
                        from routinegen.registry import one_line

                        result = {
                            "status": "error",
                            "message": f"the worker failed: {one_line(exc)}",
                        }
                    yield self._record(self._store(job, result))
                if crashed:
                    # The pool is broken: whatever else it was running will never finish.
                    crashed.extend(running.values())
                    running.clear()
                    _stop(executor)
                    executor = executor_factory()
                    for job in reversed(crashed):
                        if attempts[job.id] < MAX_ATTEMPTS:
                            todo.appendleft(job)
                        else:
                            yield self._record(
                                self._store(
                                    job,
                                    {
                                        "status": "error",
                                        "message": "a worker process died while solving "
                                        f"(tried {attempts[job.id]} times)",
                                    },
                                )
                            )
            finished = True
        finally:
            if finished:
                executor.shutdown(wait=True)
            else:  # interrupted, or the consumer stopped early
                for future in running:
                    future.cancel()
                _stop(executor)

    def _record(self, outcome: Outcome) -> Outcome:
        self.done[outcome.index] = outcome
        return outcome

    # -- the summary

    def summary(self, state: str) -> dict[str, Any]:
        """The run as data: counts, every person's status in file order, the wall time."""
        people = list(self.done.values())
        people += [o for o in self.invalid if o.index not in self.done]
        people += [
            Outcome(j.id, j.line, j.kind, "not-run", index=j.index)
            for j in self.jobs
            if j.index not in self.done
        ]
        people.sort(key=lambda o: o.index)
        counts = {
            "total": self.total,
            "ok": sum(o.status == "ok" for o in people),
            "generated": sum(o.status == "ok" and not o.skipped for o in people),
            "skipped": sum(o.skipped for o in people),
            "failed": sum(o.failed and o.status != "not-run" for o in people),
            "infeasible": sum(o.status == "infeasible" for o in people),
            "error": sum(o.status == "error" for o in people),
            "invalid": sum(o.status == "invalid" for o in people),
            "not_run": sum(o.status == "not-run" for o in people),
        }
        return {
            "routinegen": generator_version(),
            "state": state,
            "people_file": self.people_file,
            "out": str(self.out),
            "formats": sorted(f.name for f in self.formats),
            "executor": self.executor_label,
            "started": datetime.fromtimestamp(self.started, UTC).isoformat(timespec="seconds"),
            "wall_seconds": round(time.perf_counter() - self._clock, 3),
            "counts": counts,
            "failed": [
                o.id if o.id is not None else f"line {o.line}"
                for o in people
                if o.failed and o.status != "not-run"
            ],
            "people": [o.as_dict() for o in people],
        }

    def _write_summary(self, state: str) -> dict[str, Any]:
        summary = self.summary(state)
        if state == "running":
            summary["pid"] = os.getpid()
        text = json.dumps(summary, indent=2, ensure_ascii=False) + "\n"
        write_atomic(self.out / SUMMARY_NAME, text.encode("utf-8"))
        return summary

    def finish(self, state: str = "done") -> dict[str, Any]:
        """Write ``summary.json`` (``done`` or ``interrupted``) and return it."""
        return self._write_summary(state)


def exit_code(summary: Mapping[str, Any]) -> int:
    """0 when every person has an up-to-date output, 1 when any failed or did not run."""
    counts = summary["counts"]
    return 0 if counts["ok"] == counts["total"] else 1


def progress_line(done: int, total: int, failed: int, skipped: int, elapsed: float) -> str:
    """One line of progress for a terminal, with the rate and what is left."""
    solved = done - skipped  # the up-to-date ones take no time and would flatter the rate
    rate = solved / elapsed if elapsed > 0 else 0.0
    left = (total - done) / rate if rate > 0 else None
    eta = f"{int(left) // 60}m{int(left) % 60:02d}s" if left is not None else "?"
    return f"{done}/{total} people  {failed} failed  {skipped} up to date  {rate:.1f}/s  eta {eta}"
