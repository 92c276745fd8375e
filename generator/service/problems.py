"""RFC 9457 problem details for every error the service answers, FastAPI's own included.

A client reads one shape (``application/problem+json``) whether the body failed validation,
the route does not exist, the queue is full or the request cannot be met. An infeasible
request carries its explanation as data: ``conflicts`` (each a code and a sentence) and
``suggestion``, so an app can show them without parsing the message.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from routinegen.errors import Infeasible, RoutinegenError

MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "https://routinegen.dev/problems/"
log = logging.getLogger("routinegen.service")


class Conflict(BaseModel):
    """One limit of an infeasible request: a stable code and the sentence a person reads."""

    code: str = Field(description="The kind of limit, e.g. 'max_time' or 'muscle'.")
    sentence: str
    subjects: list[str] = Field(default_factory=list, description="Muscle ids it is about.")


class Problem(BaseModel):
    """An RFC 9457 problem details object, with the extension members this service uses."""

    model_config = ConfigDict(extra="allow")

    type: str = Field("about:blank", description="A URI naming the kind of problem.")
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[dict[str, Any]] | None = Field(
        None, description="Validation errors: where (loc) and what (msg)."
    )
    conflicts: list[Conflict] | None = Field(
        None, description="Infeasible requests: the limits that cannot hold together."
    )
    suggestion: str | None = Field(None, description="Infeasible requests: what would help.")


class ProblemError(Exception):
    """Raised by routes to answer with a problem; ``headers`` e.g. Retry-After."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        kind: str | None = None,
        headers: Mapping[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.kind = kind
        self.headers = dict(headers or {})
        self.extra = extra


def problem_body(
    status: int, detail: str | None = None, kind: str | None = None, **extra: Any
) -> dict[str, Any]:
    """The problem object: ``kind`` names one of our problem types, else ``about:blank``
    (whose title is the status phrase, as RFC 9457 asks)."""
    phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    body: dict[str, Any] = {
        "type": TYPE_BASE + kind if kind else "about:blank",
        "title": kind.replace("-", " ").capitalize() if kind else phrase,
        "status": status,
    }
    if detail:
        body["detail"] = detail
    body.update({k: v for k, v in extra.items() if v is not None})
    return body


def problem_response(
    status: int,
    detail: str | None = None,
    kind: str | None = None,
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    return JSONResponse(
        problem_body(status, detail, kind, **extra),
        status_code=status,
        media_type=MEDIA_TYPE,
        headers=dict(headers or {}),
    )


def infeasible_problem(exc: Infeasible) -> dict[str, Any]:
    """The explanation of ``exc`` as data: each conflicting limit (code, sentence, the
    muscles it is about) and the suggestion, when the error carries them; otherwise each
    conflict sentence under the code ``conflict``."""
    limits: Sequence[Any] = getattr(exc, "limits", ()) or ()
    if limits:
        conflicts = [
            {
                "code": str(limit.code),
                "sentence": str(limit.sentence),
                "subjects": [str(s) for s in getattr(limit, "subjects", ())],
            }
            for limit in limits
        ]
    else:
        conflicts = [{"code": "conflict", "sentence": s, "subjects": []} for s in exc.conflicts]
    suggestion = getattr(exc, "suggestion", None)
    return {"conflicts": conflicts, "suggestion": None if suggestion is None else str(suggestion)}


def _route_path(request: Request) -> str:
    return request.url.path


async def _problem_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ProblemError)
    return problem_response(
        exc.status,
        exc.detail,
        exc.kind,
        exc.headers,
        instance=_route_path(request),
        **exc.extra,
    )


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    return problem_response(
        exc.status_code,
        None if exc.detail == HTTPStatus(exc.status_code).phrase else str(exc.detail),
        headers=exc.headers,
        instance=_route_path(request),
    )


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"loc": [str(part) for part in e.get("loc", ())], "msg": str(e.get("msg", ""))}
        for e in exc.errors()
    ]
    first = errors[0] if errors else {"loc": [], "msg": "invalid"}
    where = ".".join(p for p in first["loc"] if p != "body") or "request"
    return problem_response(
        422,
        f"{where}: {first['msg']}",
        "invalid-request",
        instance=_route_path(request),
        errors=errors,
    )


async def _infeasible(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Infeasible)
    return problem_response(
        422, str(exc), "infeasible", instance=_route_path(request), **infeasible_problem(exc)
    )


async def _input_error(request: Request, exc: Exception) -> JSONResponse:
    return problem_response(422, str(exc), "invalid-request", instance=_route_path(request))


async def _internal(request: Request, exc: Exception) -> JSONResponse:
    log.exception("internal error on %s", request.url.path, exc_info=exc)
    return problem_response(500, "internal error; see the server log", instance=request.url.path)


def install(app: FastAPI) -> None:
    """Route every error through problem details."""
    app.add_exception_handler(ProblemError, _problem_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Infeasible, _infeasible)
    app.add_exception_handler(RoutinegenError, _input_error)
    app.add_exception_handler(Exception, _internal)


def responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the problems a route may answer, so clients (and schemathesis)
    know every status and its body."""
    return {
        code: {
            "model": Problem,
            "description": HTTPStatus(code).phrase,
            "content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for code in codes
    }
