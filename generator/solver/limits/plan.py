"""The limits of a plan across its sessions, and how a conflict among them is said.

Each class adds its constraint to the plan's model (``add``) and says its sentences of an
explanation (``sentences``, given every limit of its class in the conflict)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import TYPE_CHECKING, ClassVar, Self

from ortools.sat.python import cp_model

from routinegen.catalog import Catalog
from routinegen.errors import Conflict
from routinegen.request.plan import WEEKDAYS, PlanRequest
from routinegen.solver.limits import Explanation, Guards, Limit, joined
from routinegen.solver.limits.session import FocusMuscle, SessionLimit

if TYPE_CHECKING:
    from routinegen.solver.plan_model import PlanParts
    from routinegen.solver.session import Session


@dataclass(frozen=True)
class PlanWords:
    """What the sentences of a plan's explanation are said from."""

    catalog: Catalog
    plan: PlanRequest


class PlanLimit(Limit):
    """A limit across the sessions of a plan. ``place`` orders its sentences."""

    place: ClassVar[int]

    def add(self, parts: PlanParts, guards: Guards) -> None:
        raise NotImplementedError

    @classmethod
    def sentences(cls, members: Sequence[Self], words: PlanWords) -> list[str]:
        raise NotImplementedError


class Recovery(PlanLimit):
    """A muscle worked as primary in one session is not worked as primary in another that
    starts less than ``recovery_hours`` later (48 h: not on the next calendar day)."""

    __slots__ = ("muscle",)
    kind = "recovery"
    place = 0

    def __init__(self, muscle: str) -> None:
        self.muscle = muscle

    @property
    def subject(self) -> str:
        return self.muscle

    def add(self, parts: PlanParts, guards: Guards) -> None:
        for a, b in sorted(parts.layout.close):
            uses_a, uses_b = parts.uses(a, self.muscle), parts.uses(b, self.muscle)
            if uses_a is None or uses_b is None:
                continue
            if a == b:  # a session too close to itself a week later
                parts.model.add(uses_a == 0).only_enforce_if(guards(self))
            else:
                parts.model.add(uses_a + uses_b <= 1).only_enforce_if(guards(self))

    @classmethod
    def sentences(cls, members: Sequence[Self], words: PlanWords) -> list[str]:
        plan = words.plan
        tired = {m.muscle for m in members}
        ordered = [m for m in plan.focus if m in tired] + sorted(tired - set(plan.focus))
        days = ",".join(d.split("=")[0] for d in plan.rules.days)
        return [
            f"{words.catalog.muscles.get(m, m)} would need two days in a row with {days} "
            f"only (a muscle rests {plan.rules.recovery_hours} h)"
            for m in ordered
        ]


class WeeklyFocus(PlanLimit):
    """A plan that splits its focus itself (no named split) trains each focus muscle as a
    primary muscle on some day of every week."""

    __slots__ = ("muscle",)
    kind = "weekly_focus"
    place = 1

    def __init__(self, muscle: str) -> None:
        self.muscle = muscle

    @property
    def subject(self) -> str:
        return self.muscle

    def add(self, parts: PlanParts, guards: Guards) -> None:
        for week in parts.layout.weeks:
            uses = [u for t in week if (u := parts.uses(t, self.muscle)) is not None]
            parts.model.add(sum(uses) >= 1).only_enforce_if(guards(self))

    @classmethod
    def sentences(cls, members: Sequence[Self], words: PlanWords) -> list[str]:
        names = joined([words.catalog.muscles.get(m.muscle, m.muscle) for m in members])
        return [f"{names} must be trained on some day of each week"]


class Repeats(PlanLimit):
    """An exercise comes at most ``max_repeats`` times a week."""

    kind = "repeats"
    place = 2

    def add(self, parts: PlanParts, guards: Guards) -> None:
        most = parts.plan.rules.max_repeats
        for week in parts.layout.weeks:
            ids = sorted({c.exercise.id for t in week for c in parts.sessions[t].candidates})
            for exercise_id in ids:
                picks = [
                    parts.sessions[t].picked[i]
                    for t in week
                    if (i := parts.sessions[t].index_of(exercise_id)) is not None
                ]
                if len(picks) > most:
                    parts.model.add(sum(picks) <= most).only_enforce_if(guards(self))

    @classmethod
    def sentences(cls, members: Sequence[Self], words: PlanWords) -> list[str]:
        most = words.plan.rules.max_repeats
        times = "once" if most == 1 else f"{most} times"
        return [f"no exercise may come more than {times} a week"]


class Distinct(PlanLimit):
    """No two sessions of a week have exactly the same exercises."""

    kind = "distinct"
    place = 3

    def add(self, parts: PlanParts, guards: Guards) -> None:
        pairs = {(a, b) for week in parts.layout.weeks for a, b in combinations(sorted(week), 2)}
        for a, b in sorted(pairs):
            _differ(parts.model, parts.sessions[a], parts.sessions[b], guards(self))

    @classmethod
    def sentences(cls, members: Sequence[Self], words: PlanWords) -> list[str]:
        return ["no two sessions of a week may be the same"]


def plan_limits(muscles: Iterable[str], split_focus: Iterable[str] = ()) -> list[PlanLimit]:
    """Every limit across a plan's sessions: recovery for each of ``muscles``, and each
    muscle of ``split_focus`` trained every week (a plan that splits its focus itself)."""
    return [
        *(Recovery(m) for m in muscles),
        *(WeeklyFocus(m) for m in split_focus),
        Repeats(),
        Distinct(),
    ]


def explain_plan_core(
    core: Iterable[Limit], words: PlanWords, explain_session: Callable[[set[Limit]], Explanation]
) -> Explanation:
    """Why the limits ``core`` of a plan cannot hold together; the session limits among them
    are said by ``explain_session``."""
    core = set(core)
    across = sorted((x for x in core if isinstance(x, PlanLimit)), key=lambda x: (x.place, x))
    sentences: list[str] = []
    conflicts: list[Conflict] = []
    for kind in dict.fromkeys(type(x) for x in across):
        members = [x for x in across if type(x) is kind]
        said = kind.sentences(members, words)
        sentences += said
        subjects = tuple(x.subject for x in members if x.subject)
        conflicts.append(Conflict(kind.kind, "; ".join(said), subjects))
    session_core: set[Limit] = {x for x in core if isinstance(x, SessionLimit)}
    tired = any(isinstance(x, Recovery) for x in core)
    if tired and all(isinstance(x, FocusMuscle) for x in session_core):
        session_core = set()  # "lats must be worked" is part of the recovery sentence
    suggestion = None
    if session_core or not sentences:
        session = explain_session(session_core)
        sentences.append(session.sentence)
        conflicts += session.limits
        suggestion = session.suggestion
    if suggestion is None and tired:
        suggestion = _rest_days(words.plan)
    return Explanation("; ".join(sentences), tuple(conflicts), suggestion)


def _rest_days(plan: PlanRequest) -> str:
    """What lets tired muscles rest: days apart, or more muscles for the plan to split."""
    days = [d.split("=")[0] for d in plan.rules.days]
    apart = ",".join(WEEKDAYS[i] for i in range(0, 7, 2)[: max(1, min(len(days), 4))])
    if plan.rules.split is None:
        return f"train on days with a day between them (--days {apart}), or add muscles to --focus"
    return f"train on days with a day between them (--days {apart}), or choose another --split"


def _differ(
    model: cp_model.CpModel, a: Session, b: Session, enforce: list[cp_model.IntVar]
) -> None:
    """The two sessions do not have exactly the same exercises."""
    only_one = []
    ids = {c.exercise.id for c in a.candidates} | {c.exercise.id for c in b.candidates}
    for exercise_id in sorted(ids):
        ia, ib = a.index_of(exercise_id), b.index_of(exercise_id)
        if ia is None or ib is None:
            if ia is not None:
                only_one.append(a.picked[ia])
            if ib is not None:
                only_one.append(b.picked[ib])
            continue
        diff = model.new_bool_var(f"differ:{exercise_id}")
        model.add(diff <= a.picked[ia] + b.picked[ib])
        model.add(diff <= 2 - a.picked[ia] - b.picked[ib])
        only_one.append(diff)
    model.add(sum(only_one) >= 1).only_enforce_if(enforce)
