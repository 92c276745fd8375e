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
  shows progress (``routinegen.cli.progress``); ``BatchRun.finish`` writes ``summary.json``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import time
from collections import deque
from collections.abc import Callable, Generator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from concurrent.futures.process import BrokenProcessPool
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from routinegen.batch.executors import stop_executor
from routinegen.batch.jobs import Format, Job, Outcome
from routinegen.batch.worker import run_task
from routinegen.errors import InputError
from routinegen.output.document import generator_version
from routinegen.output.files import write_atomic
from routinegen.output.schemas import head
from routinegen.sources.files import read_bytes, read_text_file

if TYPE_CHECKING:
    from filelock import FileLock

STATE_DIR = ".routinegen-batch"  # per-person sidecars and the lock; ids cannot start with "."
SUMMARY_NAME = "summary.json"
MAX_ATTEMPTS = 3  # a person in flight when a worker process died is tried this often
# write_atomic's temp files: ".<name>.<8 random chars>.tmp", left over only by a kill -9
_TEMP = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")


# ---------------------------------------------------------------------------- a run


def _sha256(path: Path) -> str:
    """The hash of an output file; InputError when it is no regular file (a FIFO left in the
    folder must not hang the run) or larger than any output."""
    return hashlib.sha256(read_bytes(path, "an output file")).hexdigest()


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
        self._lock: FileLock | None = None
        self._finished = False

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
        self._clean()
        self._write_summary("running")
        return self

    def _clean(self) -> None:
        """Remove temp files: a killed run's half-written ones (on entry), or one an
        interrupt caught between creating and removing it (on the way out)."""
        for folder in (self.out, self.state):
            with contextlib.suppress(OSError):
                for entry in folder.iterdir():
                    if _TEMP.match(entry.name) and entry.is_file():
                        entry.unlink(missing_ok=True)

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if exc_type is not None and not self._finished:
            # Stopped before the end (a signal while the people were prepared or the pool
            # started): the summary must not go on saying "running".
            with contextlib.suppress(Exception):
                self._write_summary("interrupted")
            self._clean()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def _take_lock(self) -> None:
        """One batch per folder at a time: two would clean each other's temp files.

        ``filelock`` locks the file with flock on POSIX and msvcrt on Windows; the lock goes
        with the process, so a killed run leaves no stale lock behind."""
        from filelock import FileLock, Timeout

        lock = FileLock(self.state / "lock", timeout=0)
        try:
            lock.acquire()
        except Timeout:
            raise InputError(
                f"{self.out}: another routinegen batch is writing to this folder"
            ) from None
        self._lock = lock

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
            record = json.loads(read_text_file(self._sidecar(job.id), "a batch record"))
            if record.get("fingerprint") != job.fingerprint:
                return None
            hashes = record.get("files", {})
            for path in self._paths(job.id):
                if hashes.get(path.name) != _sha256(path):
                    return None
        except (InputError, OSError, ValueError, AttributeError, RecursionError):
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
            # The outputs written before the failure would contradict the summary: go.
            for path in self._paths(job.id):
                with contextlib.suppress(OSError):
                    path.unlink(missing_ok=True)
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
                        from routinegen.exporter import one_line

                        result = {
                            "status": "error",
                            "message": f"the worker failed: {one_line(exc)}",
                        }
                    yield self._record(self._store(job, result))
                if crashed:
                    # The pool is broken: whatever else it was running will never finish.
                    crashed.extend(running.values())
                    running.clear()
                    stop_executor(executor)
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
                stop_executor(executor)

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
            **head("summary"),  # the contract: output/schemas/summary.schema.json
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
        summary = self._write_summary(state)
        self._finished = True
        if state != "done":
            self._clean()
        return summary


def exit_code(summary: Mapping[str, Any]) -> int:
    """0 when every person has an up-to-date output, 1 when any failed or did not run."""
    counts = summary["counts"]
    return 0 if counts["ok"] == counts["total"] else 1
