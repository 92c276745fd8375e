"""The batch's progress display: a rich progress bar on a terminal, nothing elsewhere.

Why: a log file or a pipe gets no escape codes at all, and neither does a terminal that
says it cannot take them (``TERM=dumb``): that one gets a plain line every few seconds.
The ETA is honest: it is measured from the first person solved (so the pool's start-up does
not count as solving time), leaves out the people skipped as up to date (they take no time),
and is not shown at all until a few people are solved.
"""

import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

MIN_SOLVED = 4  # people solved before any ETA is shown: three intervals to measure
PLAIN_EVERY = 5.0  # seconds between plain lines on a dumb terminal


class Rate:
    """People solved per second, measured from the first solved person on."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.done = self.failed = self.skipped = self.solved = 0
        self._first: float | None = None
        self._last = 0.0

    def add(self, *, failed: bool, skipped: bool, now: float) -> None:
        self.done += 1
        self.failed += failed
        if skipped:
            self.skipped += 1
            return
        self.solved += 1
        if self._first is None:
            self._first = now
        self._last = now

    def per_second(self) -> float | None:
        if self._first is None or self.solved < MIN_SOLVED or self._last <= self._first:
            return None
        return (self.solved - 1) / (self._last - self._first)

    def eta_seconds(self) -> float | None:
        """Seconds left, or None while too few people are solved to tell."""
        rate = self.per_second()
        return None if rate is None else (self.total - self.done) / rate


def clock(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    whole = round(seconds)
    return f"{whole // 60}m{whole % 60:02d}s" if whole >= 60 else f"{whole}s"


def summary(rate: Rate) -> str:
    per = rate.per_second()
    return (
        f"{rate.done}/{rate.total} people  {rate.failed} failed  {rate.skipped} up to date"
        + (f"  {per:.1f}/s" if per is not None else "")
        + f"  eta {clock(rate.eta_seconds())}"
    )


class BatchProgress:
    """Use as a context manager; ``advance`` after each person, ``stop`` before printing."""

    def __init__(self, total: int, *, quiet: bool = False) -> None:
        from rich.console import Console

        self.rate = Rate(total)
        self._console = Console(stderr=True, highlight=False)
        self._bar: Progress | None = None
        self._task: TaskID | None = None
        self._plain = False
        self._shown = time.perf_counter()
        if quiet or not self._console.is_terminal:
            return
        if self._console.is_dumb_terminal:
            self._plain = True
            return
        from rich import progress as bar

        self._bar = bar.Progress(
            bar.TextColumn("people"),
            bar.BarColumn(),
            bar.MofNCompleteColumn(),
            bar.TextColumn("{task.fields[note]}"),
            console=self._console,
            transient=True,  # the summary line replaces it
        )

    def __enter__(self) -> "BatchProgress":
        if self._bar is not None:
            self._bar.start()
            self._task = self._bar.add_task("batch", total=self.rate.total, note=self._note())
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _note(self) -> str:
        rate = self.rate
        per = rate.per_second()
        return (
            f"{rate.failed} failed  {rate.skipped} up to date"
            + (f"  {per:.1f}/s" if per is not None else "")
            + f"  eta {clock(rate.eta_seconds())}"
        )

    def advance(self, outcome: Any) -> None:
        now = time.perf_counter()
        self.rate.add(failed=bool(outcome.failed), skipped=bool(outcome.skipped), now=now)
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, completed=self.rate.done, note=self._note())
        elif self._plain and (now - self._shown >= PLAIN_EVERY):
            self._shown = now
            self._console.file.write(f"routinegen: {summary(self.rate)}\n")
            self._console.file.flush()

    def stop(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
