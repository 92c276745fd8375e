"""Ctrl-C during a CP-SAT search: stop it at once and let the interrupt reach the caller.

Left to itself, CP-SAT swallows Ctrl-C: its own SIGINT handler (``catch_sigint_signal``, on
by default) ends the search as if the time limit had been reached, so the caller goes on to
write a half-searched answer or to report that the request "cannot be met", and the handler
it leaves behind (the default action) kills the process at the next Ctrl-C, past every
``finally``. Switching that handler off is not enough either: a Python signal handler runs
only once the search returns to Python, up to ``--time-limit`` seconds later.

``solve`` therefore switches CP-SAT's handler off and runs the search on a helper thread
while the main thread waits where signals are delivered: Ctrl-C raises there at once, the
search is stopped and waited for, and the exception goes on to the caller. One worker and a
fixed seed still give the same answer: only the thread differs.
"""

from __future__ import annotations

import threading
from typing import Any

from ortools.sat.python import cp_model


def solve(solver: cp_model.CpSolver, model: cp_model.CpModel) -> Any:
    """``solver.solve(model)``, interruptible by Ctrl-C (KeyboardInterrupt or any other
    exception the SIGINT handler raises) when called from the main thread."""
    solver.parameters.catch_sigint_signal = False
    if threading.current_thread() is not threading.main_thread():
        return solver.solve(model)  # signals are only ever delivered to the main thread
    done = threading.Event()
    outcome: dict[str, Any] = {}

    def search() -> None:
        try:
            outcome["status"] = solver.solve(model)
        except BaseException as exc:  # handed to the main thread below
            outcome["error"] = exc
        finally:
            done.set()

    thread = threading.Thread(target=search, name="cp-sat", daemon=True)
    thread.start()
    try:
        done.wait()
    except BaseException:
        solver.stop_search()
        while True:  # the search stops within milliseconds; a second Ctrl-C must not
            try:  # leave it running while the interpreter shuts down
                done.wait()
                break
            except BaseException:
                solver.stop_search()
        raise
    if "error" in outcome:
        raise outcome["error"]
    return outcome["status"]
