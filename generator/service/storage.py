"""Jobs and results in SQLite (stdlib ``sqlite3``): every state change is committed before the
client hears of it, so a ``kill -9`` loses no finished result, and unfinished jobs are found
again at the next start.

A stored result is the pickled ``Routine`` or ``Plan`` (plain frozen dataclasses) that this
service itself produced; the database is the service's own file, never a client's upload.
"""

from __future__ import annotations

import json
import pickle
import secrets
import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from routinegen.results import Plan, Routine

STATUSES = ("queued", "solving", "done", "infeasible", "failed", "cancelled")
UNFINISHED = ("queued", "solving")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    request TEXT NOT NULL,
    result BLOB,
    problem TEXT,
    revision INTEGER NOT NULL DEFAULT -1,
    secret TEXT NOT NULL,
    created TEXT NOT NULL,
    produced TEXT,
    changed TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS results_status ON results (status);
"""


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class Stored:
    """One routine or plan: its job's state and, once solved, its latest revision."""

    id: str
    owner: str
    kind: str  # "routine" or "plan"
    status: str  # one of STATUSES: the state of the latest job for it
    request: dict[str, Any]
    result_blob: bytes | None
    problem: dict[str, Any] | None
    revision: int  # -1 before the first result; SEQUENCE of the calendar feed
    secret: str  # the feed URL's key
    created: str
    produced: str | None  # when the current revision was solved
    changed: str  # when the status last changed

    @property
    def result(self) -> Routine | Plan | None:
        if self.result_blob is None:
            return None
        loaded = pickle.loads(self.result_blob)
        if not isinstance(loaded, Routine | Plan):
            raise TypeError(f"stored result {self.id} is a {type(loaded).__name__}")
        return loaded

    @property
    def produced_at(self) -> datetime | None:
        return datetime.fromisoformat(self.produced) if self.produced else None


class Store:
    """The database; one connection guarded by a lock (writes are small and short)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")  # a commit is on disk before we answer
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _one(self, sql: str, args: tuple[Any, ...]) -> Stored | None:
        with self._lock:
            row = self._db.execute(sql, args).fetchone()
        return None if row is None else _stored(row)

    def create(
        self,
        kind: str,
        owner: str,
        request: dict[str, Any],
        result: Routine | Plan | None = None,
    ) -> Stored:
        """A new job (queued) or, with ``result``, an already solved one (revision 0)."""
        ident, now = secrets.token_urlsafe(12), _now()
        blob = None if result is None else pickle.dumps(result)
        with self._lock:
            self._db.execute(
                "INSERT INTO results (id, owner, kind, status, request, result, revision, "
                "secret, created, produced, changed) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (
                    ident,
                    owner,
                    kind,
                    "queued" if result is None else "done",
                    json.dumps(request, sort_keys=True),
                    blob,
                    -1 if result is None else 0,
                    secrets.token_urlsafe(24),
                    now,
                    None if result is None else now,
                    now,
                ),
            )
        stored = self.get(ident)
        assert stored is not None
        return stored

    def get(self, ident: str) -> Stored | None:
        return self._one("SELECT * FROM results WHERE id = ?", (ident,))

    def set_status(self, ident: str, status: str, problem: dict[str, Any] | None = None) -> None:
        with self._lock:
            self._db.execute(
                "UPDATE results SET status = ?, problem = ?, changed = ? WHERE id = ?",
                (status, None if problem is None else json.dumps(problem), _now(), ident),
            )

    def start(self, ident: str) -> bool:
        """Mark a queued job solving; False when it was cancelled meanwhile."""
        with self._lock:
            cursor = self._db.execute(
                "UPDATE results SET status = 'solving', changed = ? "
                "WHERE id = ? AND status = 'queued'",
                (_now(), ident),
            )
        return cursor.rowcount == 1

    def finish(
        self, ident: str, result: Routine | Plan, request: dict[str, Any] | None = None
    ) -> bool:
        """The job's result becomes the next revision, unless the job was cancelled;
        ``request`` replaces the stored one (its defaults pinned, e.g. the start)."""
        now = _now()
        with self._lock:
            cursor = self._db.execute(
                "UPDATE results SET status = 'done', problem = NULL, result = ?, "
                "revision = revision + 1, produced = ?, changed = ?, "
                "request = coalesce(?, request) "
                "WHERE id = ? AND status IN ('queued', 'solving')",
                (
                    pickle.dumps(result),
                    now,
                    now,
                    None if request is None else json.dumps(request, sort_keys=True),
                    ident,
                ),
            )
        return cursor.rowcount == 1

    def revise(self, ident: str, result: Routine | Plan, request: dict[str, Any]) -> None:
        """A new revision of a finished result (a swap): same id, the next revision."""
        now = _now()
        with self._lock:
            self._db.execute(
                "UPDATE results SET result = ?, request = ?, revision = revision + 1, "
                "produced = ?, changed = ? WHERE id = ?",
                (pickle.dumps(result), json.dumps(request, sort_keys=True), now, now, ident),
            )

    def end(self, ident: str, status: str, problem: dict[str, Any]) -> None:
        """The job ended without a result (infeasible, failed), unless it was cancelled."""
        with self._lock:
            self._db.execute(
                "UPDATE results SET status = ?, problem = ?, changed = ? "
                "WHERE id = ? AND status IN ('queued', 'solving')",
                (status, json.dumps(problem), _now(), ident),
            )

    def requeue(self, ident: str, request: dict[str, Any]) -> None:
        """A regeneration: the same id (and feed URL), a new job; the old result stays."""
        with self._lock:
            self._db.execute(
                "UPDATE results SET status = 'queued', problem = NULL, request = ?, changed = ? "
                "WHERE id = ?",
                (json.dumps(request, sort_keys=True), _now(), ident),
            )

    def cancel(self, ident: str) -> bool:
        """Cancel a job that has not finished; False when there was none to cancel."""
        with self._lock:
            cursor = self._db.execute(
                "UPDATE results SET status = 'cancelled', changed = ? "
                "WHERE id = ? AND status IN ('queued', 'solving')",
                (_now(), ident),
            )
        return cursor.rowcount == 1

    def unfinished(self) -> list[Stored]:
        """Jobs a previous run left queued or solving, oldest first: to be queued again."""
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM results WHERE status IN ('queued', 'solving') ORDER BY created, id"
            ).fetchall()
        return [_stored(row) for row in rows]

    def count(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT count(*) FROM results").fetchone()[0])


def _stored(row: sqlite3.Row) -> Stored:
    return Stored(
        id=row["id"],
        owner=row["owner"],
        kind=row["kind"],
        status=row["status"],
        request=json.loads(row["request"]),
        result_blob=row["result"],
        problem=None if row["problem"] is None else json.loads(row["problem"]),
        revision=row["revision"],
        secret=row["secret"],
        created=row["created"],
        produced=row["produced"],
        changed=row["changed"],
    )
