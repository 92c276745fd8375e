"""Plan jobs: queued in the database first, solved in the pool, their end recorded.

The database is the truth: a job is written (queued) before the client hears 202, and its
result before anything else learns of it. A restart finds the jobs a ``kill -9`` left
queued or solving and runs them again; solves are deterministic, so the rerun gives what
the lost one would have.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from routinegen.results import Plan, Routine
from routinegen.service.bodies import SessionBody, request_of
from routinegen.service.config import ServiceConfig
from routinegen.service.pool import Outcome, QueueFull, Task
from routinegen.service.problems import ProblemError, problem_body
from routinegen.service.state import Service

log = logging.getLogger("routinegen.service")


def task_of(kind: str, body: SessionBody, config: ServiceConfig) -> Task:
    """What a worker solves for ``body``: its flag values under the server's time limit."""
    return Task(kind, body.preset, body.options(), config.time_limit)


def pinned(request: dict[str, Any], result: Routine | Plan) -> dict[str, Any]:
    """The request with its start fixed to the one the solve chose, so a regeneration next
    week lays out the same dated slots (and keeps every event's UID) instead of moving to
    the next default Monday."""
    if request.get("start"):
        return request
    if isinstance(result, Plan):
        if not result.sessions:
            return request
        return {**request, "start": result.sessions[0].date.isoformat()}
    if result.request.start is None:
        return request
    return {**request, "start": result.request.start.isoformat()}


def outcome_problem(outcome: Outcome) -> dict[str, Any]:
    """A job's end as a problem object (stored, shown by ``GET /v1/jobs/{id}``)."""
    if outcome.status == "infeasible":
        return problem_body(422, outcome.message, "infeasible", **outcome.problem)
    if outcome.status == "invalid":
        return problem_body(422, outcome.message, "invalid-request")
    return problem_body(500, outcome.message or "the solve failed", "solve-failed")


async def run_job(service: Service, ident: str, task: Task) -> None:
    """Solve one admitted job and record how it ended."""
    store = service.store
    try:
        outcome = await service.pool.run(task, on_start=lambda: store.start(ident))
    except asyncio.CancelledError:
        raise
    except Exception as exc:  # never leave a job solving forever
        log.exception("job %s failed", ident)
        store.end(ident, "failed", problem_body(500, f"internal error: {exc}", "solve-failed"))
        return
    if outcome is None:  # cancelled while it waited
        return
    if outcome.status == "done" and outcome.result is not None:
        stored = store.get(ident)
        request = pinned(stored.request, outcome.result) if stored else None
        store.finish(ident, outcome.result, request)
    else:
        status = "infeasible" if outcome.status == "infeasible" else "failed"
        store.end(ident, status, outcome_problem(outcome))


def admit(service: Service) -> None:
    """Count a new solve in, or answer 503 with Retry-After when the queue is full."""
    try:
        service.pool.admit()
    except QueueFull:
        raise ProblemError(
            503,
            f"all {service.pool.workers} solvers are busy and the queue is full; retry later",
            kind="busy",
            headers={"Retry-After": str(service.config.retry_after)},
        ) from None


def launch(service: Service, ident: str, task: Task) -> None:
    """Run an admitted job in the event loop, in the background."""
    job = asyncio.get_running_loop().create_task(run_job(service, ident, task))
    service.jobs[ident] = job
    job.add_done_callback(lambda _: service.jobs.pop(ident, None))


def resume(service: Service) -> int:
    """Queue again every job a previous run left unfinished; how many there were."""
    unfinished = service.store.unfinished()
    for stored in unfinished:
        if stored.status == "solving":
            service.store.set_status(stored.id, "queued")
        body = request_of(stored.kind, stored.request)
        service.pool.admit(force=True)
        launch(service, stored.id, task_of(stored.kind, body, service.config))
    return len(unfinished)
