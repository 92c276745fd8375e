"""Running a command body: our errors become one line and an exit code, a closed or full
standard output is a message rather than a traceback, and SIGTERM is handled as Ctrl-C."""

import errno
import gc
import sys
from collections.abc import Callable
from typing import NoReturn

import typer

from routinegen.cli.apps import EXIT_INFEASIBLE, fail
from routinegen.errors import RoutinegenError


def _run(action: Callable[[], None]) -> None:
    """Run a command body, turning our errors into one line and an exit code."""
    from routinegen.errors import Infeasible

    _terminate_like_interrupt()
    try:
        action()
    except Infeasible as exc:  # the limits that conflict, and what would work when known
        hint = f"; what would work: {exc.suggestion}" if exc.suggestion else ""
        fail(f"{exc}{hint}", EXIT_INFEASIBLE)
    except RoutinegenError as exc:
        fail(str(exc), exc.exit_code)
    except OSError as exc:  # the machine's doing (a full disk, a closed pipe), not a bug
        _os_failure(exc)


def echo(text: str) -> None:
    """A line to standard output, for commands that print listings: a full or broken stdout
    is exit 1 with a message, not an internal error; a closed one too (click would print
    nothing and exit 0)."""
    if sys.stdout is None:
        fail("cannot write to standard output: it is closed")
    try:
        typer.echo(text)
    except OSError as exc:
        _os_failure(exc)


def _os_failure(exc: OSError) -> NoReturn:
    if exc.filename:
        fail(f"{exc.filename}: {exc.strerror or exc}")
    if exc.errno in _STDOUT_ERRORS:
        _silence_stdout()
        fail(f"cannot write to standard output ({exc.strerror or exc})")
    fail(str(exc.strerror or exc))


_STDOUT_ERRORS = frozenset({errno.EPIPE, errno.ENOSPC, errno.EBADF, errno.EIO})


def write_stdout(payload: bytes) -> None:
    """``payload`` to standard output; a closed, full or broken one is an error saying so.

    After a failed write stdout is pointed at the null device, so that the interpreter's
    own flush at exit cannot add a second complaint (or a traceback) about the same pipe.
    """
    stream = getattr(sys.stdout, "buffer", None)
    if stream is None:
        raise RoutinegenError("cannot write the output: standard output is closed")
    try:
        stream.write(payload)
        stream.flush()
    except (OSError, ValueError) as exc:
        _silence_stdout()
        reason = getattr(exc, "strerror", None) or "it is closed"
        raise RoutinegenError(f"cannot write the output to standard output ({reason})") from None


def _silence_stdout() -> None:
    import os

    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError):
        pass


def _terminate_like_interrupt() -> None:
    """SIGTERM (what ``timeout``, systemd and ``docker stop`` send) is handled as Ctrl-C is:
    a batch writes its summary as ``interrupted``, a ``make`` leaves no temp file behind, and
    the exit code is 130. Only the main thread may set a handler; elsewhere it stays as is."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _raise_interrupted)


def _raise_interrupted(signum: int, frame: object) -> None:
    raise Interrupted


class Interrupted(BaseException):
    """Ctrl-C or SIGTERM, raised past click (which would turn KeyboardInterrupt into exit 1).

    Marked as a real interruption (``routinegen.exporter.is_interrupt``): the plugin guards
    let it through, while a ``KeyboardInterrupt`` a plugin raises is that plugin's failure.
    """

    routinegen_interrupt = True


def _collect_from_here() -> None:
    """Switch the cycle collector back on for a long command, leaving out what is already
    imported, if ``main`` switched it off."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()
