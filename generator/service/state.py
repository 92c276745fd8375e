"""What every route shares: the settings, the database, the pool, the plugins; and who is
asking (the bearer token's owner).

With tokens configured, every write and every stored result needs one, and a token sees
only what it created: someone else's id answers 404, the same as an id that does not
exist, so ids cannot be probed. Without tokens the service is bound to loopback (checked by
``config.check_bind``) and everything belongs to the one owner ``""``.
"""

from __future__ import annotations

import asyncio
import hmac
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from fastapi import Request

from routinegen.exporter import RenderContext
from routinegen.registry import Registry
from routinegen.service.config import ServiceConfig
from routinegen.service.pool import SolvePool
from routinegen.service.problems import ProblemError
from routinegen.service.storage import Store, Stored

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass
class Service:
    """The running service; one per app, made at start-up (the app's lifespan)."""

    config: ServiceConfig
    store: Store
    pool: SolvePool
    registry: Registry
    jobs: dict[str, asyncio.Task[None]] = field(default_factory=dict)

    def owner(self, request: Request, *, required: bool = True) -> str | None:
        """The owner key of the request's bearer token; 401 if one is needed and missing."""
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        given = token.strip() if scheme.lower() == "bearer" else None
        owner = self.config.owner_of(given or None)
        if owner is None and required:
            raise ProblemError(
                401,
                "a valid bearer token is required (Authorization: Bearer <token>)",
                kind="unauthorized",
                headers={"WWW-Authenticate": 'Bearer realm="routinegen"'},
            )
        return owner

    def stored(self, request: Request, ident: str, kind: str) -> Stored:
        """The stored result ``ident`` of ``kind`` if the caller may see it, else 404.

        The result's own secret (``?secret=``, the capability a feed URL or the web page
        carries) admits as well as its owner's token.
        """
        found = self.store.get(ident)
        if found is None or found.kind != kind:
            raise ProblemError(404, f"no {kind} {ident!r}", kind="not-found")
        secret = request.query_params.get("secret")
        if secret is not None and hmac.compare_digest(secret.encode(), found.secret.encode()):
            return found
        owner = self.owner(request)
        if owner is None or not hmac.compare_digest(owner.encode(), found.owner.encode()):
            raise ProblemError(404, f"no {kind} {ident!r}", kind="not-found")
        return found

    def mine(self, request: Request, ident: str, kind: str) -> Stored:
        """The stored result ``ident`` of ``kind`` for a write: its owner's token only (a
        secret lets one read, not change); 404 for anyone else."""
        owner = self.owner(request)
        found = self.store.get(ident)
        if found is None or found.kind != kind or owner != found.owner:
            raise ProblemError(404, f"no {kind} {ident!r}", kind="not-found")
        return found


def service_of(request: Request) -> Service:
    service = request.app.state.service
    assert isinstance(service, Service)
    return service


def context_for(stored: Stored) -> RenderContext:
    """How a stored result is rendered: named by its id (stable calendar UIDs), its revision
    as the SEQUENCE, and stamped with when that revision was solved, never with the time of
    the request, so the same revision always renders to the same bytes."""
    stamp = stored.produced_at or EPOCH
    return RenderContext(stamp, True, identity=stored.id, sequence=max(stored.revision, 0))


def job_document(stored: Stored, base: str = "") -> dict[str, Any]:
    """A job's state as the API reports it, with links to its result and feed."""
    kind = "routines" if stored.kind == "routine" else "plans"
    links: dict[str, str] = {"self": f"{base}/v1/jobs/{stored.id}"}
    if stored.revision >= 0:
        links["result"] = f"{base}/v1/{kind}/{stored.id}"
        if stored.kind == "plan":
            links["calendar"] = feed_path(stored, base)
    return {
        "id": stored.id,
        "kind": stored.kind,
        "status": stored.status,
        "revision": stored.revision,
        "created": stored.created,
        "changed": stored.changed,
        "problem": stored.problem,
        "links": links,
    }


def feed_path(stored: Stored, base: str = "") -> str:
    return f"{base}/v1/plans/{stored.id}/calendar.ics?secret={stored.secret}"
