"""How a routine is prescribed, in words: blocks, doses, rests, effort, load and the proof.

Every human-facing exporter says a routine the same way, so the wording lives here once
(``routinegen.wording`` re-exports it for plugins). A coach reads "3 x 5 reps, rest 3 min
between sets, RIR 2-3, a weight you could lift about 8 times"; a hold says "hold" and timed
work does not, since a jumping jack is no hold. Nothing here imports ``wording``, so either
module can be imported first.
"""

from __future__ import annotations

from routinegen.results import EffectiveRequest, Proof, Routine, RoutineItem

# The blocks in session order, with the names a card shows.
BLOCK_TITLES = {"warmup": "Warm-up", "main": "Main block", "cooldown": "Cool-down"}
FORMAT_NAMES = {"circuit": "circuit", "straight_sets": "straight sets", "intervals": "intervals"}


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def number_words(value: float) -> str:
    """``4.5``, ``6``, ``0.33``: a fractional count (hard sets) as a person writes it."""
    rounded = round(float(value), 2)
    return str(int(rounded)) if rounded.is_integer() else f"{rounded:g}"


def seconds_words(seconds: int) -> str:
    """``45 s``, ``90 s``, ``2 min``, ``2 min 30 s``: a rest or a length as a coach says it."""
    total = max(0, int(seconds))
    if total < 120:
        return f"{total} s"
    minutes, rest = divmod(total, 60)
    return f"{minutes} min" if not rest else f"{minutes} min {rest} s"


def gear_words(item: RoutineItem) -> str:
    """``kettlebell``, ``barbell + bench``; empty for bodyweight."""
    return "" if item.equipment == "none" else item.equipment.replace("+", " + ")


def amount_words(item: RoutineItem) -> str:
    """One set on one side: ``8 reps``, ``30 s hold`` (isometric only) or ``40 s`` (timed)."""
    if item.reps is not None:
        return _plural(item.reps, "rep")
    seconds = item.work_seconds or 0
    return f"{seconds} s hold" if item.dose == "hold" else f"{seconds} s"


def in_rounds(routine: Routine, item: RoutineItem) -> bool:
    """Whether ``item`` is done once a round (a circuit's or intervals' main block), so its
    sets are the routine's rounds, rather than in sets of its own (straight sets, warm-up)."""
    return item.block == "main" and routine.format != "straight_sets"


def dose_words(item: RoutineItem, *, per_round: bool = False) -> str:
    """The dose: ``3 x 8 reps a side``, ``3 x 30 s hold``, ``40 s``. ``per_round`` leaves the
    sets out, because the rounds already say how often it is done."""
    amount = amount_words(item)
    if item.per_side:
        amount += " a side"
    if per_round or item.sets <= 1:
        return amount
    return f"{item.sets} x {amount}"


def rest_words(item: RoutineItem, *, per_round: bool = False) -> str:
    """``rest 2 min between sets`` (straight sets) or ``rest 30 s after``; empty for none."""
    if item.rest_seconds <= 0:
        return ""
    where = "between sets" if item.sets > 1 and not per_round else "after"
    return f"rest {seconds_words(item.rest_seconds)} {where}"


def effort_words(item: RoutineItem) -> str:
    """``RIR 2-3``: stop with that many reps in reserve; empty when no effort is prescribed."""
    if item.reps_in_reserve is None:
        return ""
    low, high = item.reps_in_reserve
    return f"RIR {low}" if low == high else f"RIR {low}-{high}"


def load_words(item: RoutineItem) -> str:
    """How heavy, as effort (routinegen knows no maxima): the item's load cue, or empty."""
    return item.load_cue or ""


def switch_words(item: RoutineItem) -> str:
    """``5 s to switch sides`` for a unilateral move with a pause; empty otherwise."""
    if not item.per_side or item.switch_seconds <= 0:
        return ""
    return f"{item.switch_seconds} s to switch sides"


def cue_words(item: RoutineItem) -> str:
    """The form cues in one phrase, ``brace; hips back``; empty when there are none. A cue
    written as a sentence loses its full stop, so the phrase reads as one."""
    cues = (cue.strip().rstrip(".").strip() for cue in item.cues)
    return "; ".join(cue for cue in cues if cue)


def detail_words(item: RoutineItem, routine: Routine) -> list[str]:
    """The prescription after the dose, as short phrases: the switch pause, the rest (in a
    circuit only when it is not the routine's own), the effort, the load cue and, in a
    plan, the week's progression."""
    per_round = in_rounds(routine, item)
    parts = [switch_words(item)]
    if not per_round or item.rest_seconds != routine.rest_seconds:
        parts.append(rest_words(item, per_round=per_round))
    parts += [effort_words(item), load_words(item), item.progression or ""]
    return [part for part in parts if part]


def format_words(routine: Routine) -> str:
    """The main block's shape: ``circuit, 3 rounds``, ``straight sets`` or ``intervals 40 s on
    / 20 s off, 8 rounds``."""
    if routine.format == "straight_sets":
        return "straight sets"
    rounds = _plural(routine.rounds, "round")
    if routine.format == "intervals":
        if routine.interval is None:
            return f"intervals, {rounds}"
        work, rest = routine.interval
        return f"intervals {work} s on / {rest} s off, {rounds}"
    return f"{FORMAT_NAMES.get(routine.format, routine.format)}, {rounds}"


def block_title(block: str) -> str:
    """``Warm-up``, ``Main block``, ``Cool-down``."""
    return BLOCK_TITLES.get(block, block.replace("_", " ").capitalize())


def block_times(routine: Routine) -> dict[str, int]:
    """Seconds of each block in session order; the main block is what the others leave."""
    side = routine.block_seconds
    warmup, cooldown = side.get("warmup", 0), side.get("cooldown", 0)
    main = max(0, routine.total_seconds - warmup - cooldown)
    return {"warmup": warmup, "main": main, "cooldown": cooldown}


def block_heading(routine: Routine, block: str) -> str:
    """``Warm-up, 4 min``; the main block says its format: ``Main block: straight sets, 38
    min``."""
    length = _minutes_words(block_times(routine).get(block, 0))
    if block == "main":
        return f"{block_title(block)}: {format_words(routine)}, {length}"
    return f"{block_title(block)}, {length}"


def _minutes_words(seconds: int) -> str:
    minutes, rest = divmod(max(0, int(seconds)), 60)
    if not minutes:
        return f"{rest} s"
    return f"{minutes} min" if not rest else f"{minutes} min {rest} s"


def hard_sets_lines(routine: Routine, names: dict[str, str] | None = None) -> list[str]:
    """``Latissimus Dorsi: 4.5 hard sets``, one a focus muscle, in the focus order; empty when
    the routine counts no hard sets (a result made before they were counted)."""
    if not routine.hard_sets:
        return []
    fallback = names or {}
    lines = []
    for muscle in routine.request.focus or tuple(routine.hard_sets):
        name = routine.muscle_names.get(muscle, fallback.get(muscle, muscle))
        count = routine.hard_sets.get(muscle, 0.0)
        sets = "hard set" if number_words(count) == "1" else "hard sets"
        lines.append(f"{name}: {number_words(count)} {sets}")
    return lines


def avoid_words(request: EffectiveRequest) -> str:
    """``Avoids: spinal loading, impact``: the safety tags left out; empty for none."""
    if not request.avoid:
        return ""
    return "Avoids: " + ", ".join(tag.replace("_", " ") for tag in request.avoid)


def missing_words(proof: Proof | None) -> str:
    """``Patterns not covered: hinge; carry``: what a full-body session could not include."""
    if proof is None or not proof.patterns_missing:
        return ""
    return "Patterns not covered: " + "; ".join(p.replace("_", " ") for p in proof.patterns_missing)


def proof_words(routine: Routine) -> str:
    """What was proven, in one sentence with its numbers; for a seed's routine below the best,
    by how much (it may give up ``tolerance`` for variety). Empty without a proof."""
    proof = routine.proof
    if proof is None:
        return ""
    unit = proof.unit
    best, value = number_words(proof.best), number_words(proof.value)
    if not proof.proven:
        return (
            f"This routine has {value} {unit} ({proof.objective}); none can have more than "
            f"{best}, but whether {best} can be reached is not proven."
        )
    if proof.value >= proof.best:
        return f"Proven best: {proof.objective}, {best} {unit}; this routine reaches it."
    return (
        f"Proven best: {proof.objective}, {best} {unit}; this routine has {value}, within "
        f"the {number_words(proof.tolerance)} a new seed may give up for variety."
    )


def status_words(proven: bool, what: str, proof: Proof | None = None) -> str:
    """Whether the answer is proven optimal, or (a seed's variety) proven within its tolerance
    of the best, or only the best found in time; ``what`` is ``routine`` or ``plan``."""
    if not proven:
        return f"Best {what} found within the time limit; it is not proven optimal."
    if proof is not None and proof.proven and proof.value < proof.best:
        gap = number_words(proof.best - proof.value)
        return (
            f"Proven near-optimal: {gap} {proof.unit} short of the best {what} these limits allow."
        )
    return f"Proven optimal: no {what} fits these limits better."


def proof_scope(routine: Routine) -> str:
    """One honest sentence on what the proof ranges over, and what it leaves to rules."""
    proof = routine.proof
    if proof is None:
        return ""
    ruled = ["the exercise order"]
    if routine.warmup:
        ruled.append("the warm-up")
    if routine.cooldown:
        ruled.append("the cool-down")
    chosen = ", ".join(ruled[:-1]) + f" and {ruled[-1]}" if len(ruled) > 1 else ruled[0]
    verb = "is" if len(ruled) == 1 else "are"
    return (
        f"The proof covers {proof.objective} among the catalog's exercises that work a focus "
        f"muscle as primary and fit the equipment, level and avoided tags, at the doses the "
        f"{routine.request.goal} goal prescribes; {chosen} {verb} chosen by rules, not optimised."
    )
