"""An independent judge of weekly plans: each session by the routine judge, and the week's
own rules (recovery, variety, coverage, progression, dates) recomputed from the Plan. It
never asks the solver: every rule is restated from the README and the plan model's docs."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from itertools import combinations
from typing import Any

from judges.routine import check_routine, work_per_side
from routinegen.catalog import load_catalog
from routinegen.request.plan import WEEKDAYS

CATALOG = load_catalog("full-body")
DELOAD_FILL = 0.5  # documented in plan_model: a deload week fills at least half its time
DELOAD_SHARE = 0.6


def item_work(item: Any) -> int:
    exercise = CATALOG.get(item.id)
    amount = item.work_seconds if item.work_seconds is not None else item.reps
    return work_per_side(exercise, amount) * (2 if exercise.unilateral else 1)


def check_plan(plan: Any, request: Any) -> list[str]:
    """Every week rule the plan breaks, in words."""
    problems: list[str] = []
    rules = request.rules
    if len(plan.sessions) != len(request.slots):
        return [f"{len(plan.sessions)} sessions for {len(request.slots)} slots"]
    days = {d.split("=")[0] for d in rules.days}
    deload_week = rules.weeks if rules.deload and rules.weeks > 1 else None
    for session, slot in zip(plan.sessions, request.slots, strict=True):
        if WEEKDAYS[session.date.weekday()] not in days:
            problems.append(f"{session.date} is not one of {sorted(days)}")
        if session.start != slot.start or session.start.date() != session.date:
            problems.append(f"{session.date}: starts at {session.start}, asked {slot.start}")
        session_request = slot.request
        if session.week == deload_week:
            session_request = replace(session_request, min_fill=DELOAD_FILL)
        problems += [
            f"{session.date}: {p}" for p in check_routine(session.routine, CATALOG, session_request)
        ]

    # Recovery: sessions closer than the recovery time share no primary muscle.
    for a, b in combinations(plan.sessions, 2):
        if abs(b.start - a.start) < timedelta(hours=rules.recovery_hours):
            shared = {m for i in a.routine.items for m in i.primary} & {
                m for i in b.routine.items for m in i.primary
            }
            if shared:
                problems.append(f"{a.date} and {b.date} both work {sorted(shared)} as primary")

    weekly_work = []
    for week in range(1, rules.weeks + 1):
        in_week = [s for s in plan.sessions if s.week == week]
        counts: dict[str, int] = {}
        for s in in_week:
            for item in s.routine.items:
                counts[item.id] = counts.get(item.id, 0) + 1
        for exercise_id, count in counts.items():
            if count > rules.max_repeats:
                problems.append(f"week {week}: {exercise_id} comes {count} times")
        for a, b in combinations(in_week, 2):
            if {i.id for i in a.routine.items} == {i.id for i in b.routine.items}:
                problems.append(f"week {week}: {a.date} and {b.date} are the same session")
        worked = {m for s in in_week for i in s.routine.items for m in i.primary}
        missing = set(request.focus) - worked
        if missing:
            problems.append(f"week {week}: {sorted(missing)} never worked as primary")
        weekly_work.append(
            sum(s.routine.rounds * item_work(i) for s in in_week for i in s.routine.items)
        )
    if tuple(weekly_work) != plan.weekly_work_seconds:
        problems.append(f"weekly work {plan.weekly_work_seconds}, recomputed {weekly_work}")
    lo, hi = rules.progression
    for week in range(1, rules.weeks):
        before, after = weekly_work[week - 1], weekly_work[week]
        if week + 1 == deload_week:
            if after > before * DELOAD_SHARE + 1e-9:
                problems.append(f"deload week {week + 1}: {after} s after {before} s")
        elif not before * (1 + lo) - 1e-6 <= after <= before * (1 + hi) + 1e-6:
            problems.append(
                f"week {week + 1}: {after} s of work after {before} s, outside +{lo:.0%}..+{hi:.0%}"
            )
    return problems
