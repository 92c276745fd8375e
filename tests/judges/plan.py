"""An independent judge of plans: each session by the routine judge, and the plan's own
rules (recovery, variety, weekly focus, double progression, deloads, weekly volume, dates)
recomputed from the Plan. It never asks the solver: every rule is restated from the README
and docs/coaching.md.

The rules of a plan over weeks, as documented:
- a recurring session (the same weekday and focus) keeps its exercises and sets every
  progressive week; its reps (or seconds) never fall within a climb, and start again
  from a lower dose only after the top, with a load raise (or a harder variation) said;
- each session fits its minutes every week, and its longest week fills ``min_fill``;
- a deload week keeps the exercises with about half the sets (40-67 % fewer: 3 sets
  become 2, 2 become 1, 4 become 2);
- a muscle's weekly hard sets do not fall from one progressive week to the next at the
  same point of the split's rotation;
- the volume table is each focus muscle's hard sets, fractional, against its target.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from itertools import combinations, pairwise
from typing import Any

from judges.routine import check_routine, min_fill_seconds, work_per_side
from routinegen.catalog import load_catalog
from routinegen.request.plan import WEEKDAYS

CATALOG = load_catalog("full-body")


def item_work(item: Any) -> int:
    exercise = CATALOG.get(item.id)
    amount = item.work_seconds if item.work_seconds is not None else item.reps
    return work_per_side(exercise, amount) * (2 if exercise.unilateral else 1)


def _sets(routine: Any, item: Any) -> int:
    return item.sets if routine.format == "straight_sets" else routine.rounds


def _amount(item: Any) -> int:
    return item.reps if item.reps is not None else item.work_seconds


def check_plan(plan: Any, request: Any) -> list[str]:
    """Every rule the plan breaks, in words."""
    problems: list[str] = []
    rules = request.rules
    if len(plan.sessions) != len(request.slots):
        return [f"{len(plan.sessions)} sessions for {len(request.slots)} slots"]
    days = {d.split("=")[0] for d in rules.days}
    deloads = set(rules.deload_weeks)
    splits_itself = rules.split is None and not request.base.patterns
    for session, slot in zip(plan.sessions, request.slots, strict=True):
        if WEEKDAYS[session.date.weekday()] not in days:
            problems.append(f"{session.date} is not one of {sorted(days)}")
        if session.start != slot.start or session.start.date() != session.date:
            problems.append(f"{session.date}: starts at {session.start}, asked {slot.start}")
        said = check_routine(session.routine, CATALOG, replace(slot.request, min_fill=0.0))
        if splits_itself or request.base.patterns:  # the week or the patterns do it
            said = [p for p in said if not p.startswith("focus muscle")]
        if session.week in deloads:  # fewer rounds than the range: the deload's cut
            said = [p for p in said if "rounds, outside" not in p]
        problems += [f"{session.date}: {p}" for p in said]

    problems += _recovery(plan, rules)
    problems += _weeks(plan, request, rules)
    problems += _templates(plan, request, deloads)
    problems += _volume(plan, request, deloads)
    return problems


def _recovery(plan: Any, rules: Any) -> list[str]:
    """Sessions closer than the recovery time share no primary muscle."""
    out = []
    for a, b in combinations(plan.sessions, 2):
        if abs(b.start - a.start) < timedelta(hours=rules.recovery_hours):
            shared = {m for i in a.routine.items for m in i.primary} & {
                m for i in b.routine.items for m in i.primary
            }
            if shared:
                out.append(f"{a.date} and {b.date} both work {sorted(shared)} as primary")
    return out


def _weeks(plan: Any, request: Any, rules: Any) -> list[str]:
    """Repeats, distinct sessions, every focus muscle each week, and the weekly work."""
    out = []
    weekly_work = []
    for week in range(1, rules.weeks + 1):
        in_week = [s for s in plan.sessions if s.week == week]
        counts: dict[str, int] = {}
        for s in in_week:
            for item in s.routine.items:
                counts[item.id] = counts.get(item.id, 0) + 1
        for exercise_id, count in counts.items():
            if count > rules.max_repeats:
                out.append(f"week {week}: {exercise_id} comes {count} times")
        for a, b in combinations(in_week, 2):
            if {i.id for i in a.routine.items} == {i.id for i in b.routine.items}:
                out.append(f"week {week}: {a.date} and {b.date} are the same session")
        worked = {m for s in in_week for i in s.routine.items for m in i.primary}
        missing = set(request.focus) - worked
        if missing and not request.base.patterns:
            out.append(f"week {week}: {sorted(missing)} never worked as primary")
        weekly_work.append(
            sum(_sets(s.routine, i) * item_work(i) for s in in_week for i in s.routine.items)
        )
    if tuple(weekly_work) != plan.weekly_work_seconds:
        out.append(f"weekly work {plan.weekly_work_seconds}, recomputed {weekly_work}")
    return out


def _templates(plan: Any, request: Any, deloads: set[int]) -> list[str]:
    """Double progression and deloads, session by recurring session."""
    out = []
    groups: dict[tuple[str, str], list[Any]] = {}
    for session, slot in zip(plan.sessions, request.slots, strict=True):
        groups.setdefault((slot.weekday, slot.focus_label), []).append((session, slot))
    for (weekday, focus), members in groups.items():
        first = members[0][0].routine
        ids = [i.id for i in first.items]
        sets = {i.id: _sets(first, i) for i in first.items}
        progressive = [(s, slot) for s, slot in members if s.week not in deloads]
        for s, _ in members:
            label = f"{s.date} ({weekday} {focus})"
            if sorted(i.id for i in s.routine.items) != sorted(ids):
                out.append(f"{label}: exercises changed within the plan")
                continue
            if s.week in deloads:
                for item in s.routine.items:
                    before, now = sets[item.id], _sets(s.routine, item)
                    cut = 1 - now / before
                    if before > 1 and not 0.33 <= cut <= 0.6:
                        out.append(f"{label}: deload {item.id} {before} -> {now} sets")
                continue
            for item in s.routine.items:
                if _sets(s.routine, item) != sets[item.id]:
                    out.append(f"{label}: {item.id} sets changed during progressive weeks")
        for (a, _), (b, _) in pairwise(progressive):
            for item in b.routine.items:
                before = next(i for i in a.routine.items if i.id == item.id)
                restarts = (item.progression or "").startswith(("raise", "make"))
                if _amount(item) < _amount(before) and not restarts:
                    out.append(f"{b.date}: {item.id} fell from {_amount(before)} without a raise")
                if restarts and _amount(item) > _amount(before):
                    out.append(f"{b.date}: {item.id} raised the load but not back down")
        main_budget = members[0][1].request.main_seconds
        fill = min_fill_seconds(main_budget, request.base.min_fill)
        longest_main = max(_main(s.routine) for s, _ in progressive) if progressive else fill
        if longest_main < fill:
            out.append(f"{weekday} {focus}: its longest week {longest_main} s under {fill} s")
    return out


def _main(routine: Any) -> int:
    warm = sum(i.seconds for i in routine.warmup)
    cool = sum(i.seconds for i in routine.cooldown)
    return int(routine.total_seconds - warm - cool)


def _volume(plan: Any, request: Any, deloads: set[int]) -> list[str]:
    """The volume table against the items' own shares; sets never fall between
    progressive weeks at the same point of the split's rotation."""
    out = []
    weeks = request.rules.weeks
    recomputed = []
    for week in range(1, weeks + 1):
        sets = dict.fromkeys(request.focus, 0.0)
        for s in plan.sessions:
            if s.week == week:
                for item in s.routine.items:
                    for muscle, share in item.shares:
                        if muscle in sets:
                            sets[muscle] += share * _sets(s.routine, item)
        recomputed.append(sets)
        table = plan.weekly_volume[week - 1]
        for muscle, value in sets.items():
            if abs(table.get(muscle, 0.0) - value) > 0.011:
                out.append(f"week {week}: {muscle} {table.get(muscle)} sets, recomputed {value}")
        for row in plan.volume_rows(week):
            low, high = row.target
            expect = "below" if row.sets < low else "above" if row.sets > high else "in"
            if row.status != expect:
                out.append(f"week {week}: {row.muscle} is {row.status}, should be {expect}")
    period = _rotation(request)
    for week in range(1, weeks + 1 - period):
        later = week + period
        if week in deloads or later in deloads:
            continue
        for muscle in request.focus:
            if recomputed[later - 1][muscle] < recomputed[week - 1][muscle] - 1e-9:
                out.append(f"{muscle}: sets fell from week {week} to week {later}")
    return out


def _rotation(request: Any) -> int:
    """The weeks after which the sessions' focuses repeat (a split rotating across weeks)."""
    weeks = request.rules.weeks
    labels = {
        w: tuple(s.focus_label for s in request.slots if s.week == w) for w in range(1, weeks + 1)
    }
    for period in range(1, weeks):
        if all(labels[w] == labels[w + period] for w in range(1, weeks - period + 1)):
            return period
    return weeks
