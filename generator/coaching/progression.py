"""How a plan progresses over weeks: double progression, deloads and weekly volume.

Double progression (COACHING.md): each exercise keeps its sets and climbs its rep range
(or its seconds) from the bottom to a top in equal steps, one a week; after the top the
load rises (about the plan's ``progression`` percent) and the reps return to the bottom.
Every exercise of a session climbs in step with the others over a cycle of the same
length, so the session is longest at the top of the cycle: the week the model doses,
which must fit the person's minutes and fill them. A deload week halves the sets
(rounded) at the bottom doses and keeps the exercises. Weekly volume targets are hard
sets per muscle by level.
"""

from __future__ import annotations

from dataclasses import dataclass

CYCLE_WEEKS = 4  # a climb from the bottom of the range to its top, then a load raise
MESOCYCLE_WEEKS = 6  # with --deload, a deload week at least every 6 weeks
DELOAD_KEEP = 0.55  # a deload week keeps about half the sets (a 40-50 % cut)
SECONDS_STEP = 5  # timed work and holds climb in steps of 5 s

# Weekly hard sets per muscle, by level (COACHING.md: beginner about 6-10, intermediate
# 10-20, advanced 12-20 and more, with much past 20-25 junk volume).
VOLUME_TARGETS = {"beginner": (6, 10), "intermediate": (10, 20), "advanced": (12, 24)}


@dataclass(frozen=True)
class Step:
    """One week of an exercise's climb: its amount, its place in the cycle, and whether
    the load rose since the week before (the reps went back to the bottom)."""

    amount: int
    place: int  # 0-based position in the cycle
    length: int  # the cycle's length in weeks
    raised: bool  # the first week of a later cycle: heavier than the cycle before


def tops(span: tuple[int, int], values: tuple[int, ...]) -> tuple[int, ...]:
    """Where a climb may end: the round ``values`` in the upper half of ``span``, and its
    top. A session's model doses each exercise at its top, the longest week."""
    low, high = span
    return tuple(sorted({v for v in values if (low + high) / 2 <= v < high} | {high}))


def cycle_length(occurrences: int) -> int:
    """A session's cycle: ``CYCLE_WEEKS``, or all its weeks when it has fewer."""
    return max(1, min(CYCLE_WEEKS, occurrences))


def climb(span: tuple[int, int], length: int, dose: str) -> tuple[int, ...]:
    """The amounts of one cycle: from the bottom of ``span`` to its top in equal steps
    (seconds in steps of 5 s), each at least as large as the one before; the last is
    the top."""
    low, high = span
    if length == 1 or low == high:
        return (low,) * length
    out = []
    for place in range(length):
        value = low + (high - low) * place / (length - 1)
        if dose != "reps":
            value = SECONDS_STEP * round(value / SECONDS_STEP)
        out.append(min(high, max(low, round(value))))
    return tuple(out)


def step_of(occurrence: int, length: int, amounts: tuple[int, ...]) -> Step:
    """The ``occurrence``-th (0-based) progressive week of an exercise whose cycle is
    ``amounts``."""
    place = occurrence % length
    return Step(amounts[place], place, length, raised=place == 0 and occurrence > 0)


def deload_sets(sets: int) -> int:
    """The sets (or rounds) of a deload week: about half, at least one."""
    return max(1, int(sets * DELOAD_KEEP + 0.5))


def deload_weeks(weeks: int, deload: bool) -> frozenset[int]:
    """The deload weeks of a plan: none without ``deload``; else the last week of each
    mesocycle, the weeks cut as evenly as can be into mesocycles of at most
    ``MESOCYCLE_WEEKS`` (the longer ones last): 12 weeks deload in weeks 6 and 12, 8 in
    4 and 8, 4 in week 4. A one-week plan has none."""
    if not deload or weeks < 2:
        return frozenset()
    count = -(-weeks // MESOCYCLE_WEEKS)
    sizes = [weeks // count + (1 if n >= count - weeks % count else 0) for n in range(count)]
    ends, total = [], 0
    for size in sizes:
        total += size
        ends.append(total)
    return frozenset(ends)


def progression_note(step: Step, loaded: bool, raise_words: str, dose: str) -> str | None:
    """What the week asks beyond the last: the climb, or after its top a heavier load (a
    harder variation when the move is not loaded); None for the first week of the plan."""
    if step.length == 1 and not step.raised:
        return None
    if step.raised:
        if loaded:
            return f"raise the load {raise_words} and start the reps again from the bottom"
        return "make it harder (a slower tempo or a harder variation) and start again"
    if step.place == 0:
        return None
    unit = "reps" if dose == "reps" else "seconds"
    return f"week {step.place + 1} of {step.length} of the climb: more {unit} than last time"
