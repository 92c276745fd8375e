"""The web page at ``/``: a form, rendered on the server (Jinja2), that works without
JavaScript. A submitted form is answered with a redirect to the result's own page
(post/redirect/get), whose URL carries the result's secret: the page is the capability, so
it works with tokens configured too (the form then asks for one).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, PackageLoader, select_autoescape
from pydantic import ValidationError

from routinegen import wording
from routinegen.results import Plan, Routine
from routinegen.service.bodies import PlanBody, RoutineBody, SessionBody
from routinegen.service.jobs import admit, launch, pinned, task_of
from routinegen.service.meta import _catalog_doc
from routinegen.service.negotiation import choose
from routinegen.service.problems import ProblemError, problem_body
from routinegen.service.routines import solve_now, swap_stored
from routinegen.service.state import Service, context_for, feed_path, service_of
from routinegen.service.storage import UNFINISHED, Stored

LEVELS = ("beginner", "intermediate", "advanced")
_env = Environment(
    loader=PackageLoader("routinegen.service", "templates"),
    autoescape=select_autoescape(["html", "j2"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def _page(template: str, code: int = 200, **values: Any) -> HTMLResponse:
    return HTMLResponse(_env.get_template(template).render(**values), status_code=code)


def _form_page(
    service: Service, form: dict[str, Any], problem: dict[str, Any] | None = None
) -> HTMLResponse:
    catalog = _catalog_doc(service.registry, "full-body", "built-in")
    status = int(problem["status"]) if problem else 200
    return _page(
        "form.html.j2",
        status,
        catalog=catalog,
        levels=LEVELS,
        form=form,
        problem=problem,
        tokens=bool(service.config.tokens),
    )


def _fields(raw: bytes) -> dict[str, Any]:
    """The submitted form: every field once, equipment as the list of ticked boxes."""
    values = parse_qs(raw.decode("utf-8", "replace"), keep_blank_values=False)
    form: dict[str, Any] = {key: items[0].strip() for key, items in values.items()}
    form["equipment"] = values.get("equipment", [])
    return form


def _body(form: dict[str, Any]) -> SessionBody:
    """The API body the form stands for (the same vocabulary as the JSON API)."""
    fields: dict[str, Any] = {
        "minutes": form.get("minutes") or None,
        "focus": [form["focus"]] if form.get("focus") else None,
        "level": form.get("level") or None,
        "equipment": form["equipment"] or None,
    }
    if form.get("goal") == "plan":
        fields.update(days=form.get("days") or None, weeks=form.get("weeks") or None)
        return PlanBody.model_validate({k: v for k, v in fields.items() if v is not None})
    return RoutineBody.model_validate({k: v for k, v in fields.items() if v is not None})


def _muscles(result: Routine | Plan) -> list[tuple[str, str]]:
    """Work per muscle, most worked first (a plan: over all its weeks)."""
    if isinstance(result, Plan):
        totals: dict[str, int] = {}
        for week in result.weekly_coverage:
            for muscle, seconds in week.items():
                totals[muscle] = totals.get(muscle, 0) + seconds
    else:
        totals = dict(result.coverage)
    ranked = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
    return [(result.muscle_name(m), wording.clock(s)) for m, s in ranked]


def _result_page(service: Service, request: Request, stored: Stored) -> HTMLResponse:
    kind = "routines" if stored.kind == "routine" else "plans"
    base = str(request.base_url).rstrip("/")
    own = f"/v1/{kind}/{stored.id}?secret={stored.secret}"
    values: dict[str, Any] = {
        "heading": "Your plan" if stored.kind == "plan" else "Your routine",
        "status": stored.status,
        "pending": stored.revision < 0 and stored.status in UNFINISHED,
        "problem": stored.problem if stored.revision < 0 else None,
    }
    result = stored.result
    if result is not None:
        choice = choose(service.registry, stored.kind, "text", None)
        values["card"] = choice.render(result, context_for(stored)).decode("utf-8")
        values["muscles"] = _muscles(result)
        values["links"] = {f: f"{own}&format={f}" for f in ("ical", "json", "text")}
        values["links"]["ics"] = values["links"].pop("ical")
        if isinstance(result, Routine):  # one swap button per main exercise, no JavaScript
            values["swap"] = f"/routines/{stored.id}/swap?secret={stored.secret}"
            values["exercises"] = [(item.id, item.name) for item in result.items]
            values["ask_token"] = bool(service.config.tokens)
        if stored.kind == "plan":
            https = base + feed_path(stored)
            values["feed"] = {"https": https, "webcal": "webcal" + https[https.index(":") :]}
    return _page("result.html.j2", **values)


def router() -> APIRouter:
    page = APIRouter(include_in_schema=False)

    @page.get("/")
    async def form(request: Request) -> HTMLResponse:
        return _form_page(service_of(request), {"equipment": []})

    @page.post("/make")
    async def make(request: Request) -> Response:
        service = service_of(request)
        form = _fields(await request.body())
        if service.config.tokens:
            request.scope["headers"] = [
                *request.scope["headers"],
                (b"authorization", f"Bearer {form.get('token', '')}".encode()),
            ]
        try:
            body = _body(form)
            owner = service.owner(request)
            assert owner is not None
            kind = "plan" if isinstance(body, PlanBody) else "routine"
            if kind == "routine":
                result = await solve_now(service, task_of(kind, body, service.config))
                request_doc = pinned(body.model_dump(exclude_none=True), result)
                stored = service.store.create(kind, owner, request_doc, result)
            else:
                admit(service)
                stored = service.store.create(kind, owner, body.model_dump(exclude_none=True))
                launch(service, stored.id, task_of(kind, body, service.config))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            return _form_page(
                service, form, problem_body(422, f"{where}: {first['msg']}", "invalid-request")
            )
        except ProblemError as exc:
            return _form_page(
                service, form, problem_body(exc.status, exc.detail, exc.kind, **exc.extra)
            )
        return RedirectResponse(f"/{kind}s/{stored.id}?secret={stored.secret}", status_code=303)

    @page.get("/routines/{ident}")
    async def routine_page(request: Request, ident: str) -> HTMLResponse:
        service = service_of(request)
        return _result_page(service, request, service.stored(request, ident, "routine"))

    @page.post("/routines/{ident}/swap")
    async def swap_page(request: Request, ident: str) -> Response:
        """The page's swap: the same as ``POST /v1/routines/{id}/swap``, admitted by the
        routine's secret (and, with tokens, its owner's token); then back to the routine's
        page (post/redirect/get)."""
        service = service_of(request)
        form = _fields(await request.body())
        stored = service.stored(request, ident, "routine")
        if service.config.tokens:  # a write: the owner's token, as the API asks
            request.scope["headers"] = [
                *request.scope["headers"],
                (b"authorization", f"Bearer {form.get('token', '')}".encode()),
            ]
            stored = service.mine(request, ident, "routine")
        exercise = str(form.get("exercise") or "")
        if stored.result is None or not exercise:
            raise ProblemError(422, "say which exercise to swap", kind="invalid-request")
        revised = await swap_stored(service, stored, exercise, None)
        return RedirectResponse(f"/routines/{revised.id}?secret={revised.secret}", status_code=303)

    @page.get("/plans/{ident}")
    async def plan_page(request: Request, ident: str) -> HTMLResponse:
        service = service_of(request)
        return _result_page(service, request, service.stored(request, ident, "plan"))

    return page
