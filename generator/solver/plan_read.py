"""From a solved plan model to the Plan: each week's routines with their doses, the weekly
volume table and each exercise's progression week by week.

Each slot is its template's routine at its week's place in the climb (or, in a deload
week, at the climb's bottom with about half the sets, ``coaching.progression``)."""

from __future__ import annotations

from dataclasses import replace

from ortools.sat.python import cp_model

from routinegen.catalog import Catalog
from routinegen.coaching.progression import (
    climb,
    deload_sets,
    progression_note,
    step_of,
)
from routinegen.results import (
    Plan,
    PlannedSession,
    Progress,
    Routine,
    RoutineItem,
    SolverInfo,
)
from routinegen.solver.candidates import Candidate
from routinegen.solver.plan_model import PlanModel
from routinegen.solver.prescribe import routine_of
from routinegen.solver.session import Session

Pick = tuple[int, int, int]  # candidate, menu dose, sets (or rounds)


def read_plan(catalog: Catalog, pm: PlanModel, solver: cp_model.CpSolver, info: SolverInfo) -> Plan:
    """The solved model as plain result data."""
    plan, layout = pm.request, pm.layout
    picks = [_picks(session, solver) for session in pm.sessions]
    rounds = [_rounds(session, solver) for session in pm.sessions]
    raise_words = _raise_words(plan.rules.progression)
    sessions = []
    work = [0] * plan.weeks
    for slot, t, place in zip(plan.slots, layout.keys, layout.places, strict=True):
        session = pm.sessions[t]
        dose = pm.dose_at(t, 0 if place is None else place)
        chosen = [
            (session.candidates[i], dose(i, k), deload_sets(s) if place is None else s)
            for i, k, s in picks[t]
        ]
        r = deload_sets(rounds[t]) if place is None and session.rounds else rounds[t]
        work[slot.week - 1] += sum(
            p.work_seconds * (s if not session.rounds else r) for _, p, s in chosen
        )
        routine = routine_of(catalog, replace(slot.request, start=slot.start), chosen, r, info)
        if place is not None:
            routine = _with_notes(routine, session, picks[t], layout.cycles[t], place, raise_words)
        sessions.append(PlannedSession(slot.date, slot.start, slot.week, slot.focus_label, routine))
    base = plan.base.effective()
    return Plan(
        request=replace(
            base,
            focus=plan.focus,
            focus_label=plan.rules.split or base.focus_label,
            start=plan.slots[0].start,
        ),
        rules=plan.rules,
        sessions=tuple(sessions),
        weekly_work_seconds=tuple(work),
        weekly_coverage=tuple(_coverage(sessions, plan.weeks)),
        muscle_names=dict(catalog.muscles),
        solver=info,
        weekly_volume=tuple(_volume(sessions, plan.weeks, plan.focus)),
        progression=_progress(pm, picks, sessions),
    )


def _picks(session: Session, solver: cp_model.CpSolver) -> list[Pick]:
    return [key for key, var in session.choice.items() if solver.boolean_value(var)]


def _rounds(session: Session, solver: cp_model.CpSolver) -> int:
    return next((r for r, var in session.rounds.items() if solver.boolean_value(var)), 1)


def _raise_words(progression: tuple[float, float]) -> str:
    low, high = (round(x * 100) for x in progression)
    return f"by about {low}%" if low == high else f"by about {low}-{high}%"


def _with_notes(
    routine: Routine, session: Session, picks: list[Pick], cycle: int, place: int, words: str
) -> Routine:
    """The routine with each main exercise's progression note for this week."""
    notes: dict[str, str] = {}
    for i, k, _ in picks:
        cand = session.candidates[i]
        amounts = _amounts(cand, k, cycle)
        note = progression_note(
            step_of(place, cycle, amounts), cand.exercise.loaded, words, cand.dose
        )
        if note and cand.span is not None and cycle > 1:
            notes[cand.exercise.id] = note
    items = tuple(
        replace(item, progression=notes.get(item.id)) if item.id in notes else item
        for item in routine.items
    )
    return replace(routine, items=items)


def _amounts(cand: Candidate, k: int, cycle: int) -> tuple[int, ...]:
    """The candidate's climb to its menu dose ``k``, the top."""
    top = cand.prescriptions[k].amount
    if cand.span is None:
        return (top,) * cycle
    return climb((cand.span[0], top), cycle, cand.dose)


def _progress(
    pm: PlanModel, picks: list[list[Pick]], sessions: list[PlannedSession]
) -> tuple[Progress, ...]:
    """Each template's exercises, with what each of its weeks prescribes."""
    out = []
    for t, first in enumerate(pm.layout.firsts):
        slot = pm.request.slots[first]
        label = f"{slot.weekday.title()} {slot.focus_label}"
        mine = [s for s, key in zip(sessions, pm.layout.keys, strict=True) if key == t]
        for i, _, _ in picks[t]:
            cand = pm.sessions[t].candidates[i]
            weeks = []
            for planned, place in zip(
                mine,
                [p for p, key in zip(pm.layout.places, pm.layout.keys, strict=True) if key == t],
                strict=True,
            ):
                item = next(x for x in planned.routine.items if x.id == cand.exercise.id)
                weeks.append((planned.week, _written(item, planned.routine, place)))
            out.append(Progress(label, cand.exercise.id, cand.exercise.name, tuple(weeks)))
    return tuple(out)


def _written(item: RoutineItem, routine: Routine, place: int | None) -> str:
    """A week's dose as a coach writes it: ``3 x 8``, ``2 x 30 s``, with ``+load`` after a
    load raise and ``deload`` in a deload week."""
    sets = item.sets if routine.format == "straight_sets" else routine.rounds
    amount = f"{item.reps}" if item.reps is not None else f"{item.work_seconds} s"
    text = f"{sets} x {amount}"
    if place is None:
        return f"{text} deload"
    if item.progression and item.progression.startswith(("raise", "make")):
        return f"{text} +load" if item.loaded else f"{text} harder"
    return text


def _coverage(sessions: list[PlannedSession], weeks: int) -> list[dict[str, int]]:
    out = []
    for week in range(1, weeks + 1):
        totals: dict[str, int] = {}
        for s in sessions:
            if s.week == week:
                for muscle, seconds in s.routine.coverage.items():
                    totals[muscle] = totals.get(muscle, 0) + seconds
        out.append(dict(sorted(totals.items(), key=lambda kv: -kv[1])))
    return out


def _volume(
    sessions: list[PlannedSession], weeks: int, focus: tuple[str, ...]
) -> list[dict[str, float]]:
    """Each week's hard sets on each focus muscle (the routines' own count)."""
    out = []
    for week in range(1, weeks + 1):
        sets = {m: 0.0 for m in focus}
        for s in sessions:
            if s.week == week:
                for muscle, count in s.routine.hard_sets.items():
                    if muscle in sets:
                        sets[muscle] += count
        out.append({m: round(v, 2) for m, v in sets.items()})
    return out
