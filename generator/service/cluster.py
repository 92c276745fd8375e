"""``--scheduler``: solves on a Dask cluster instead of local processes, through the
``concurrent.futures`` executor Dask's client offers (as batch does): no scheduler, queue
or RPC of our own. The cluster's workers must run the same routinegen."""

from __future__ import annotations

from collections.abc import Callable

import routinegen
from routinegen.errors import InputError
from routinegen.registry import one_line
from routinegen.service.pool import SolvePool


def worker_version() -> str:
    """The routinegen a Dask worker runs (asked of every worker before serving)."""
    return str(routinegen.__version__)


def dask_pool(
    address: str, queue: int, timeout: float = 20
) -> tuple[SolvePool, Callable[[], None]]:
    """A pool over the cluster at ``address`` (one slot per worker thread), and its closer."""
    try:
        from distributed import Client
    except ImportError:
        raise InputError(
            "--scheduler needs Dask's distributed: pip install 'routinegen[dask]'"
        ) from None
    try:
        client = Client(address, timeout=timeout)
    except (OSError, TimeoutError, ValueError) as exc:
        raise InputError(f"cannot reach the Dask scheduler at {address}: {one_line(exc)}") from None
    try:
        versions = client.run(worker_version)
        wrong = sorted(w for w, v in versions.items() if v != worker_version())
        if wrong:
            raise InputError(
                f"Dask workers {', '.join(wrong)} run another routinegen than "
                f"{worker_version()}; install the same everywhere"
            )
        threads = int(sum(client.nthreads().values()))
        if threads < 1:
            raise InputError(f"the Dask cluster at {address} has no workers")
    except Exception:
        client.close()
        raise
    return SolvePool(threads, queue, executor=client.get_executor()), client.close
