"""``/v1/routines``: one session, solved while the client waits (within a bounded time).

A solved routine is stored, so its URL (``Location``) can be fetched again in any format;
an infeasible one is not: the 422 carries the explanation and nothing was made.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from routinegen.results import Plan, Routine
from routinegen.service import problems
from routinegen.service.bodies import RoutineBody, SwapBody
from routinegen.service.jobs import admit, outcome_problem, pinned, task_of
from routinegen.service.negotiation import Choice, choose
from routinegen.service.pool import SwapTask, Task
from routinegen.service.problems import ProblemError
from routinegen.service.state import Service, context_for, service_of
from routinegen.service.storage import Stored

Format = Annotated[
    str | None,
    Query(
        alias="format",
        max_length=64,
        description="Exporter name (text, json, ical or a plugin's); overrides Accept.",
    ),
]
Secret = Annotated[
    str | None,
    Query(max_length=128, description="The result's secret, instead of a bearer token."),
]


def rendered(
    stored: Stored, choice: Choice, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    """A stored result in the chosen format, named for download by its id."""
    result = stored.result
    assert result is not None
    body = choice.render(result, context_for(stored))
    return Response(
        body,
        status_code=status,
        media_type=choice.content_type,
        headers={
            "Vary": "Accept",
            "Content-Disposition": f'inline; filename="{choice.filename(stored.id)}"',
            **(headers or {}),
        },
    )


async def solve_now(service: Service, task: Task | SwapTask) -> Routine | Plan:
    """Solve in the pool and wait, at most the server's deadline; 503 when it is full."""
    config = service.config
    admit(service)
    try:
        outcome = await asyncio.wait_for(service.pool.run(task), timeout=config.deadline)
    except TimeoutError:
        raise ProblemError(
            504, f"the solve took longer than {config.deadline:g} s", kind="timeout"
        ) from None
    if outcome is None or outcome.result is None:
        problem = outcome_problem(outcome) if outcome else {"status": 500}
        raise ProblemError(
            int(problem["status"]),
            str(problem.get("detail", "the solve failed")),
            kind=str(problem.get("type", "")).rsplit("/", 1)[-1] or None,
            conflicts=problem.get("conflicts"),
            suggestion=problem.get("suggestion"),
        )
    return outcome.result


def router(media_types: list[str]) -> APIRouter:
    """The routes; ``media_types`` (of the installed exporters) are documented as bodies."""
    api = APIRouter(prefix="/v1/routines", tags=["routines"])
    content: dict[str, Any] = {media: {} for media in media_types}

    @api.post(
        "",
        status_code=201,
        response_class=Response,
        summary="Solve a routine now",
        responses={
            201: {"description": "The routine, in the negotiated format", "content": content},
            **problems.responses(401, 406, 413, 422, 503, 504),
        },
    )
    async def create_routine(request: Request, body: RoutineBody, fmt: Format = None) -> Response:
        """The best routine for ``body`` (the ``make`` flags), stored under a new id."""
        service = service_of(request)
        owner = service.owner(request)
        assert owner is not None
        choice = choose(service.registry, "routine", fmt, request.headers.get("accept"))
        result = await solve_now(service, task_of("routine", body, service.config))
        request_doc = pinned(body.model_dump(exclude_none=True), result)
        stored = service.store.create("routine", owner, request_doc, result)
        return rendered(stored, choice, 201, {"Location": f"/v1/routines/{stored.id}"})

    @api.get(
        "/{ident}",
        response_class=Response,
        summary="A stored routine",
        responses={
            200: {"description": "The routine, in the negotiated format", "content": content},
            **problems.responses(401, 404, 406),
        },
    )
    async def get_routine(
        request: Request, ident: str, fmt: Format = None, secret: Secret = None
    ) -> Response:
        """The routine as stored (its latest revision), in any installed format."""
        service = service_of(request)
        stored = service.stored(request, ident, "routine")
        choice = choose(service.registry, "routine", fmt, request.headers.get("accept"))
        return rendered(stored, choice)

    @api.post(
        "/{ident}/swap",
        response_class=Response,
        summary="Replace one exercise of a stored routine",
        responses={
            200: {"description": "The new revision, in the negotiated format", "content": content},
            **problems.responses(401, 404, 406, 413, 422, 503, 504),
        },
    )
    async def swap_routine(
        request: Request, ident: str, body: SwapBody, fmt: Format = None
    ) -> Response:
        """The best other exercise in place of ``exercise``; the rest stay, with their rounds
        and rests. The routine keeps its id (and its calendar UID); this is its next
        revision, and the exercise swapped out stays out of later swaps."""
        service = service_of(request)
        stored = service.mine(request, ident, "routine")
        choice = choose(service.registry, "routine", fmt, request.headers.get("accept"))
        return rendered(await swap_stored(service, stored, body.exercise, body.seed), choice)

    return api


async def swap_stored(service: Service, stored: Stored, exercise: str, seed: int | None) -> Stored:
    """The stored routine's next revision, ``exercise`` replaced by the best other one (the
    API's swap and the web page's): the exercise swapped out stays out of later swaps."""
    routine = stored.result
    assert isinstance(routine, Routine)
    asked = stored.request
    exclude = tuple(str(x) for x in asked.get("exclude", []))
    task = SwapTask(
        routine,
        exercise,
        seed,
        str(asked.get("catalog") or routine.request.catalog),
        exclude,
        asked.get("min_fill"),
        service.config.time_limit,
    )
    result = await solve_now(service, task)
    request_doc = {**asked, "exclude": [*exclude, exercise]}
    if seed is not None:
        request_doc["seed"] = seed
    service.store.revise(stored.id, result, request_doc)
    revised = service.store.get(stored.id)
    assert revised is not None
    return revised
