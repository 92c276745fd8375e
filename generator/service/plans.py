"""``/v1/plans`` and ``/v1/jobs``: a plan is a job (202, then poll), and its calendar feed.

A plan keeps its id through regenerations, and so its feed URL: each regeneration is the
next revision, rendered with the plan's id as the calendar identity (every event's UID is
the id and the session's slot) and the revision as SEQUENCE, so a subscribed calendar
updates its events instead of adding new ones.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Request, Response
from fastapi.responses import JSONResponse

from routinegen.service import problems
from routinegen.service.bodies import PlanBody, request_of
from routinegen.service.jobs import admit, launch, task_of
from routinegen.service.negotiation import choose
from routinegen.service.problems import ProblemError
from routinegen.service.routines import Format, Secret, rendered
from routinegen.service.state import Service, job_document, service_of
from routinegen.service.storage import UNFINISHED, Stored

JOB_EXAMPLE = {
    "id": "Xr3k9b2LqW1sZt0a",
    "kind": "plan",
    "status": "queued",
    "revision": -1,
    "links": {"self": "/v1/jobs/Xr3k9b2LqW1sZt0a"},
}


def _job(stored: Stored, status: int = 200, location: bool = False) -> JSONResponse:
    headers = {"Location": f"/v1/jobs/{stored.id}"} if location else {}
    return JSONResponse(job_document(stored), status_code=status, headers=headers)


def _job_of(service: Service, request: Request, ident: str) -> Stored:
    """A job (of a plan or a routine) the caller owns; 404 otherwise."""
    found = service.store.get(ident)
    owner = service.owner(request)
    if found is None or found.owner != owner:
        raise ProblemError(404, f"no job {ident!r}", kind="not-found")
    return found


def router(media_types: list[str]) -> APIRouter:
    """The routes; ``media_types`` (of the installed exporters) are documented as bodies."""
    api = APIRouter(tags=["plans"])
    content: dict[str, Any] = {media: {} for media in media_types}
    job_response = {"description": "The job", "content": {"application/json": {}}}

    @api.post(
        "/v1/plans",
        status_code=202,
        summary="Start a plan job",
        response_class=JSONResponse,
        responses={202: job_response, **problems.responses(401, 413, 422, 503)},
    )
    async def create_plan(request: Request, body: PlanBody) -> JSONResponse:
        """Queue the best plan for ``body`` (the ``week`` flags); poll the Location."""
        service = service_of(request)
        owner = service.owner(request)
        assert owner is not None
        admit(service)
        stored = service.store.create("plan", owner, body.model_dump(exclude_none=True))
        launch(service, stored.id, task_of("plan", body, service.config))
        return _job(stored, 202, location=True)

    @api.get(
        "/v1/jobs/{ident}",
        summary="A job's state",
        response_class=JSONResponse,
        responses={200: job_response, **problems.responses(401, 404)},
    )
    async def get_job(request: Request, ident: str) -> JSONResponse:
        """queued, solving, done, infeasible (with the explanation), failed or cancelled."""
        service = service_of(request)
        return _job(_job_of(service, request, ident))

    @api.post(
        "/v1/jobs/{ident}/cancel",
        summary="Cancel a job",
        response_class=JSONResponse,
        responses={200: job_response, **problems.responses(401, 404, 409)},
    )
    async def cancel_job(request: Request, ident: str) -> JSONResponse:
        """Stop a queued or solving job; its earlier revision, if any, stays."""
        service = service_of(request)
        stored = _job_of(service, request, ident)
        if not service.store.cancel(stored.id):
            raise ProblemError(409, f"job {ident!r} is {stored.status} already", kind="finished")
        job = service.jobs.get(stored.id)
        if job is not None:
            job.cancel()
        cancelled = service.store.get(stored.id)
        assert cancelled is not None
        return _job(cancelled)

    @api.get(
        "/v1/plans/{ident}",
        response_class=Response,
        summary="A stored plan",
        responses={
            200: {"description": "The plan, in the negotiated format", "content": content},
            **problems.responses(401, 404, 406, 409),
        },
    )
    async def get_plan(
        request: Request, ident: str, fmt: Format = None, secret: Secret = None
    ) -> Response:
        """The plan's latest revision, in any installed format; 409 before the first."""
        service = service_of(request)
        stored = service.stored(request, ident, "plan")
        choice = choose(service.registry, "plan", fmt, request.headers.get("accept"))
        if stored.revision < 0:
            raise ProblemError(
                409,
                f"plan {ident!r} has no result yet: its job is {stored.status}",
                kind="not-ready",
                job=f"/v1/jobs/{ident}",
            )
        return rendered(stored, choice)

    @api.post(
        "/v1/plans/{ident}/regenerate",
        status_code=202,
        summary="Solve a plan again, keeping its id and feed",
        response_class=JSONResponse,
        responses={202: job_response, **problems.responses(401, 404, 409, 413, 422, 503)},
    )
    async def regenerate_plan(
        request: Request,
        ident: str,
        body: Annotated[PlanBody | None, Body()] = None,
    ) -> JSONResponse:
        """A new job for the same plan: the stored request again, or ``body`` instead."""
        service = service_of(request)
        stored = service.mine(request, ident, "plan")
        if stored.status in UNFINISHED:
            raise ProblemError(409, f"plan {ident!r} is {stored.status} already", kind="busy-job")
        new = body or request_of("plan", stored.request)
        assert isinstance(new, PlanBody)
        if new.start is None and stored.request.get("start"):  # keep the dated slots
            new = new.model_copy(update={"start": stored.request["start"]})
        admit(service)
        service.store.requeue(ident, new.model_dump(exclude_none=True))
        launch(service, ident, task_of("plan", new, service.config))
        queued = service.store.get(ident)
        assert queued is not None
        return _job(queued, 202, location=True)

    @api.get(
        "/v1/plans/{ident}/calendar.ics",
        response_class=Response,
        summary="The plan's calendar feed (subscribe with webcal://)",
        responses={
            200: {"description": "iCalendar", "content": {"text/calendar": {}}},
            **problems.responses(401, 404, 409),
        },
    )
    async def plan_feed(request: Request, ident: str, secret: Secret = None) -> Response:
        """What calendar apps poll: UIDs stable per plan and slot, SEQUENCE the revision."""
        service = service_of(request)
        stored = service.stored(request, ident, "plan")
        if stored.revision < 0:
            raise ProblemError(409, f"plan {ident!r} has no result yet", kind="not-ready")
        return rendered(stored, choose(service.registry, "plan", "ical", None))

    return api
