"""``create_app(config)``: the FastAPI app, its start-up and shut-down, and the limits that
hold for every request (the body's size)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

import routinegen
from routinegen.registry import load_registry
from routinegen.service import jobs, meta, page, plans, problems, routines
from routinegen.service.cluster import dask_pool
from routinegen.service.config import ServiceConfig
from routinegen.service.pool import SolvePool
from routinegen.service.state import Service
from routinegen.service.storage import Store

DESCRIPTION = """Provably best exercise routines and weekly plans, solved with OR-Tools CP-SAT.

Request bodies take the names and defaults of the command-line flags (`routinegen make`,
`routinegen week`). Results are rendered by the installed exporter plugins, chosen by
`Accept` or `?format=`. Every error is an RFC 9457 problem (`application/problem+json`).
"""


class BodyLimit:
    """Refuse a request body larger than ``limit`` bytes (413), whether it declares its
    length or streams it in chunks. The body is read here, at most ``limit`` bytes of it,
    before the app sees it, so no route can be made to hold more in memory."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await self._refuse(scope, receive, send)
            return
        body = b""
        while True:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, _replay([message]), send)
                return
            body += message.get("body", b"")
            if len(body) > self.limit:
                await self._refuse(scope, receive, send)
                return
            if not message.get("more_body", False):
                break
        await self.app(scope, _replay([{"type": "http.request", "body": body}], receive), send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = problems.problem_response(
            413,
            f"the request body is larger than {self.limit} bytes",
            "too-large",
            instance=scope.get("path"),
        )
        await response(scope, receive, send)


def _replay(messages: list[Message], then: Receive | None = None) -> Receive:
    """A ``receive`` that gives ``messages`` first, then waits on ``then`` (disconnects)."""
    pending = list(messages)

    async def receive() -> Message:
        if pending:
            return pending.pop(0)
        if then is not None:
            return await then()
        return {"type": "http.disconnect"}

    return receive


def create_app(config: ServiceConfig) -> FastAPI:
    """The service for ``config``; the database and the solver pool open at start-up."""
    registry = load_registry()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = Store(config.db)
        close_cluster: Callable[[], None] | None = None
        if config.scheduler:
            pool, close_cluster = dask_pool(config.scheduler, config.queue)
        else:
            pool = SolvePool(config.workers, config.queue, warm_up=config.warm_up)
        pool.prime()
        service = Service(config, store, pool, registry)
        app.state.service = service
        jobs.resume(service)
        try:
            yield
        finally:
            for job in list(service.jobs.values()):
                job.cancel()
            pool.close()
            if close_cluster is not None:
                close_cluster()
            store.close()

    app = FastAPI(
        title="routinegen",
        version=routinegen.__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    problems.install(app)
    media_types = sorted(
        {claims[0][0].media_type for claims in registry.exporters.values() if len(claims) == 1}
    )
    app.include_router(routines.router(media_types))
    app.include_router(plans.router(media_types))
    app.include_router(meta.router())
    app.include_router(page.router())
    app.add_middleware(BodyLimit, limit=config.max_body)
    _problem_only_openapi(app)
    return app


def _problem_only_openapi(app: FastAPI) -> None:
    """In the OpenAPI document, a problem is answered only as application/problem+json
    (FastAPI adds application/json beside any response that names a model)."""
    default = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = default()
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                for response in operation.get("responses", {}).values():
                    content = response.get("content", {})
                    if problems.MEDIA_TYPE in content:
                        content.pop("application/json", None)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
