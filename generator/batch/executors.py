"""Where the tasks run: in this process, a local process pool, or a Dask cluster, all behind
the one ``concurrent.futures.Executor`` interface. No scheduler, queue or RPC of our own."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import re
import signal
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from typing import TYPE_CHECKING, Any

from routinegen.batch.worker import worker_version
from routinegen.errors import InputError
from routinegen.output.document import generator_version

if TYPE_CHECKING:
    from distributed import Client


# ---------------------------------------------------------------------------- executors


class InlineExecutor(Executor):
    """Runs each task at once in this process: ``--workers 0``, debugging, the baseline."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:
            future.set_exception(exc)
        return future


def default_workers() -> int:
    """The cores this process may use (affinity and container limits included)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


class _Pool(ProcessPoolExecutor):
    """A process pool whose workers hold the read end of a pipe only this process writes to
    (the lifeline): when this process dies, however it dies, the kernel closes the write end
    and every worker sees end of file and exits at once.

    Asking whether the parent's pid still exists (``os.kill(pid, 0)``) is not enough: it
    succeeds on a zombie, so after a ``kill -9`` the workers lived on, holding the batch's
    stdout open, until someone reaped the dead parent.
    """

    def __init__(self, workers: int, context: Any) -> None:
        reader, self._lifeline = context.Pipe(duplex=False)
        super().__init__(
            max_workers=workers,
            mp_context=context,
            initializer=_init_worker,
            initargs=(reader,),
        )
        self._reader = reader  # kept open: workers started later get it too

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        super().shutdown(wait=wait, cancel_futures=cancel_futures)
        for end in (self._lifeline, self._reader):
            with contextlib.suppress(OSError):
                end.close()


def process_pool(workers: int) -> ProcessPoolExecutor:
    """A local pool of ``workers`` processes, each solving on one CP-SAT worker.

    forkserver (spawn where there is none): a worker never inherits the parent's threads or
    open files, and it ignores Ctrl-C (the parent handles it, and SIGTERM, for everyone and
    stops the workers itself) and exits when the parent dies, so a ``kill -9`` of the batch
    leaves no orphan behind (``_Pool``).
    """
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    return _Pool(workers, context)


def _init_worker(lifeline: Any) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C for everyone

    def watch() -> None:
        try:
            while True:
                lifeline.recv()  # nothing is ever sent: this returns only by raising
        except BaseException:  # EOFError: the parent is gone (or the pipe broke)
            os._exit(1)

    threading.Thread(target=watch, name="routinegen-lifeline", daemon=True).start()


_ADDRESS = re.compile(
    r"^(?:(?P<scheme>[a-z]+)://)?(?P<host>\[[0-9a-fA-F:.]+\]|[^\s/:@]+):(?P<port>[0-9]+)$"
)
_SCHEMES = ("tcp", "ws", "ucx")  # tls and wss need certificates, which batch cannot pass


def scheduler_problem(address: str) -> str | None:
    """What is wrong with a Dask scheduler address, checked before connecting (a port that
    cannot exist would otherwise cost the whole connection timeout); None if it may work."""
    match = _ADDRESS.match(address.strip())
    if match is None:
        return f"expected an address like tcp://10.0.0.5:8786, got {address!r}"
    scheme = match["scheme"] or "tcp"
    if scheme in ("tls", "wss"):
        return (
            f"{scheme}:// needs TLS certificates, which routinegen batch cannot pass; use "
            "tcp:// (through an SSH tunnel or a private network)"
        )
    if scheme not in _SCHEMES:
        return f"unknown scheme {scheme!r} in {address!r}; use tcp://HOST:PORT"
    if not 1 <= int(match["port"]) <= 65535:
        return f"port {match['port']} in {address!r} does not exist; ports are 1 to 65535"
    return None


@contextlib.contextmanager
def dask_client(address: str, timeout: float = 20) -> Iterator[Client]:
    """A Dask client for ``address``, its workers checked to run our routinegen version."""
    problem = scheduler_problem(address)
    if problem is not None:
        raise InputError(f"--scheduler: {problem}")
    try:
        from distributed import Client
    except ImportError:
        raise InputError(
            "--scheduler needs Dask's distributed: pip install 'routinegen[dask]'"
        ) from None
    from routinegen.exporter import one_line

    _probe(address.strip(), min(timeout, 5.0))
    try:
        client = Client(address.strip(), timeout=timeout)
    except Exception as exc:  # OSError, TimeoutError, and Dask's TypeError for bad TLS setups
        raise InputError(f"cannot reach the Dask scheduler at {address}: {one_line(exc)}") from None
    try:
        try:
            versions = client.run(worker_version)
        except Exception as exc:
            raise InputError(
                f"the Dask workers at {address} cannot run routinegen ({one_line(exc)}); "
                f"install routinegen {generator_version()} on every worker"
            ) from None
        wrong = sorted(w for w, v in versions.items() if v != generator_version())
        if wrong:
            raise InputError(
                f"Dask workers {', '.join(wrong)} run another routinegen version than "
                f"{generator_version()}; install the same everywhere"
            )
        yield client
    finally:
        client.close()


def dask_window(client: Client) -> int:
    """How many tasks to keep submitted: enough to keep every worker thread busy."""
    return max(64, 4 * int(sum(client.nthreads().values())))


def _probe(address: str, timeout: float) -> None:
    """Fail at once when nothing listens at a tcp:// address: Dask would retry for its whole
    timeout before saying so."""
    import socket

    match = _ADDRESS.match(address)
    if match is None or (match["scheme"] or "tcp") != "tcp":
        return
    host = match["host"].strip("[]")
    try:
        socket.create_connection((host, int(match["port"])), timeout=timeout).close()
    except (ConnectionRefusedError, socket.gaierror) as exc:
        reason = "nothing listens there" if isinstance(exc, ConnectionRefusedError) else exc
        raise InputError(f"cannot reach the Dask scheduler at {address}: {reason}") from None
    except OSError:  # a timeout or a firewall: let Dask try, with its own timeout
        return


def stop_executor(executor: Executor) -> None:
    """Stop at once: cancel what waits, end local worker processes mid-solve.

    The pool's manager thread then notices its killed workers; on Python 3.11 it may fail
    to mark a future it finds already cancelled (InvalidStateError), and if the process
    exits while it still runs, its wake-up pipe is written after being closed (EBADF). Both
    are the standard library's races, harmless here, but printed as tracebacks after an
    interrupt: the thread's own errors are kept off stderr, and it is given a moment to end.
    """
    manager = None
    if isinstance(executor, ProcessPoolExecutor):
        manager = getattr(executor, "_executor_manager_thread", None)
        _quiet_thread(manager)
        for process in list((getattr(executor, "_processes", None) or {}).values()):
            with contextlib.suppress(Exception):
                process.terminate()
    with contextlib.suppress(Exception):
        executor.shutdown(wait=False, cancel_futures=True)
    if isinstance(manager, threading.Thread) and manager is not threading.current_thread():
        manager.join(timeout=5)


def _quiet_thread(thread: object) -> None:
    """Drop the uncaught exceptions of ``thread`` (only), whatever else the hook does."""
    if not isinstance(thread, threading.Thread):
        return
    previous = threading.excepthook

    def hook(args: Any) -> None:
        if args.thread is not thread:
            previous(args)

    threading.excepthook = hook
