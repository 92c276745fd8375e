"""What ``routinegen serve`` decided before the app starts: where the database is, how many
solver processes, the limits, and who may write (bearer tokens)."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from dataclasses import dataclass, field
from pathlib import Path

from routinegen.errors import InputError

LOOPBACK_NAMES = {"localhost", "ip6-localhost"}


@dataclass(frozen=True)
class ServiceConfig:
    """The service's settings; every limit has a default a laptop can live with."""

    db: Path
    workers: int = 1
    queue: int = 16  # solves waiting beyond the busy workers; past it: 503 + Retry-After
    tokens: frozenset[str] = field(default_factory=frozenset)
    time_limit: float = 10.0  # seconds a solve may take (a request's own limit is capped)
    max_body: int = 64 * 1024  # bytes of request body
    retry_after: int = 5  # seconds a client is told to wait when the queue is full
    deadline: float = 60.0  # seconds a synchronous solve may take, explanation included
    scheduler: str | None = None  # a Dask scheduler's address: solve there, not locally
    warm_up: bool = True  # each worker solves a small routine at start (no cold first request)

    @property
    def capacity(self) -> int:
        """Solves admitted at once: running plus waiting."""
        return self.workers + self.queue

    def owner_of(self, token: str | None) -> str | None:
        """The owner key a token's results are stored under (its digest, never the token)."""
        if not self.tokens:
            return ""
        given = (token or "").encode("utf-8")
        # Compared in constant time, each of them: how fast a guess fails says nothing.
        if not any([hmac.compare_digest(given, t.encode("utf-8")) for t in self.tokens]):
            return None
        return hashlib.sha256(given).hexdigest()[:32]


def default_db() -> Path:
    """The embedded default: SQLite in the user's data folder."""
    from platformdirs import user_data_path

    return user_data_path("routinegen", appauthor=False) / "service.sqlite3"


def read_tokens(given: list[str] | None, path: str | None) -> frozenset[str]:
    """Tokens from ``--token`` and a tokens file (one a line; blank lines and ``#`` skipped)."""
    tokens = {t.strip() for t in given or [] if t.strip()}
    if path:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise InputError(f"--tokens-file: cannot read {path}: {exc.strerror}") from None
        for line in text.splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                tokens.add(line)
        if not tokens:
            raise InputError(f"--tokens-file: {path} holds no token")
    short = sorted(t for t in tokens if len(t) < 16)
    if short:
        raise InputError("a token must be at least 16 characters long (use a random one)")
    return frozenset(tokens)


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable only from this machine."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_bind(host: str, tokens: frozenset[str], insecure: bool) -> None:
    """Without tokens anyone who can reach the port can write: loopback only, unless told."""
    if not tokens and not is_loopback(host) and not insecure:
        raise InputError(
            f"--host {host} is reachable from other machines and no --token is set; "
            "give --token (or --tokens-file), or --insecure to serve without one"
        )
