"""free-exercise-db (github.com/yuhonas/free-exercise-db) records -> a routinegen catalog.

The source is a JSON list of records (``dist/exercises.json``, public domain). Only facts are
taken: the name, the muscles, the equipment, the level and the category/mechanic/force that
set the default timings. Instruction sentences and images are never copied.

How the source maps onto our vocabulary (also printed by ``routinegen catalog import``):

* Muscles: ``abdominals`` -> ``abs``, ``quadriceps`` -> ``quads``, ``lower back`` ->
  ``erector_spinae``, ``middle back`` -> ``rhomboids`` with ``traps`` as an extra secondary
  muscle (the source's "middle back" is the rhomboids and the middle trapezius),
  ``abductors`` -> ``glutes`` (the hip abductors are gluteus medius and minimus; we have no
  separate id), ``neck`` -> its own ``neck`` id, in no group (a back routine should not be
  filled with neck-harness work); the rest keep their name.
* Equipment: ``body only`` is bodyweight, *but* the source also files moves that need a
  pull-up bar, a bench, dip bars or a box under it (Pullups, Bench Dips, Step-ups), so names
  are read for the items they need; a phrase such as "with no hyperextension bench" rules
  an item out. A record without equipment (null) is treated the same way. ``other`` is kept
  only when the name names the equipment (Muscle Up -> pull-up bar, Sled Push -> sled);
  otherwise it is skipped and reported. Free weights keep their item, plus a bench or a
  squat rack when the name calls for one (Dumbbell Bench Press, Barbell Squat). ``machine``
  becomes ``machine`` (a gym's weight machines; Smith machine moves get ``smith_machine``).
* Skipped, always with a reason in the report: foam rolling (self-massage), cardio machines
  and steady-state cardio away from the mat, strongman and specialty implements (atlas
  stones, chains, harnesses...), partner moves, ``other`` equipment the name does not
  identify, and "weighted" moves whose load is not named.
* Stretches (category ``stretching``) are kept: a static one (force ``static``) becomes a
  cool-down hold (pattern ``mobility``), a moving one (circles, leg swings, inchworms) a
  warm-up drill aimed at the pattern its name prepares; they need nothing to bring.
* Format 2 fields (``fedb_mapping``): the pattern from the name, category and force; the
  mechanic from the source (else two muscles or more = compound); loaded when a way needs a
  weight; power for plyometrics, olympic lifts, swings, cleans, jumps and throws; skill;
  safety tags from the name and pattern. The pattern's prime movers are promoted from the
  source's secondary muscles to primary (rows: lats and rhomboids; deadlifts and good
  mornings: erectors, glutes and hamstrings), so back requests find real back work.
* Timings (``fedb_vocabulary``) by category and mechanic; static moves are isometric holds,
  carries, walks, ropes and cardio timed work; ``expert`` becomes ``advanced``; one-arm,
  single-leg, alternating, lunge and step-up moves are done per side.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from routinegen.catalog.importers.fedb_mapping import (
    coach_fields,
    dose_kind,
    primaries,
    stretch_fields,
)
from routinegen.catalog.importers.fedb_vocabulary import (
    BASE_EQUIPMENT,
    BODYWEIGHT_SOURCES,
    EQUIPMENT,
    EXTRA_SECONDARY,
    GROUPS,
    HEAVY,
    HOLD_STATIC,
    HOLD_TIMED,
    LEVEL_MAP,
    LOADS,
    MUSCLE_MAP,
    MUSCLE_NOTES,
    MUSCLES,
    NEGATION,
    REPS,
    RULES,
    SECONDS_PER_REP,
    SETUP_BODYWEIGHT,
    SETUP_BY_ITEM,
    SETUP_HEAVY_EXTRA,
    SKIPS,
    SOURCE,
    SOURCE_CATEGORIES,
    SOURCE_EQUIPMENT,
    SOURCE_FORCES,
    SOURCE_ID,
    SOURCE_LEVELS,
    SOURCE_MECHANICS,
    SOURCE_MUSCLES,
    UNILATERAL,
    Way,
)
from routinegen.errors import InputError
from routinegen.sources.characters import unsafe_character

# ---------------------------------------------------------------------------- the report


@dataclass
class ImportReport:
    """What came in, what was left out and why, and which equipment names implied."""

    source: str
    total: int = 0
    imported: int = 0
    skipped: dict[str, list[str]] = field(default_factory=dict)  # reason -> record names
    inferred: dict[str, list[str]] = field(default_factory=dict)  # equipment label -> names

    @property
    def skipped_count(self) -> int:
        return sum(len(names) for names in self.skipped.values())

    def skip(self, reason: str, name: str) -> None:
        self.skipped.setdefault(reason, []).append(name)

    def lines(self, examples: int = 3) -> list[str]:
        """The report as printed by the CLI: counts by reason with a few examples each."""

        def some(names: list[str]) -> str:
            more = ", ..." if len(names) > examples else ""
            return ", ".join(names[:examples]) + more

        out = [f"imported {self.imported} of {self.total} {self.source} records"]
        if self.skipped:
            out.append(f"skipped {self.skipped_count}:")
            for reason, names in sorted(self.skipped.items(), key=lambda kv: -len(kv[1])):
                out.append(f"  {len(names):>4}  {reason}: e.g. {some(names)}")
        if self.inferred:
            out.append("equipment read from the name:")
            for label, names in sorted(self.inferred.items(), key=lambda kv: -len(kv[1])):
                out.append(f"  {len(names):>4}  {label}: e.g. {some(names)}")
        out.append("muscles: " + "; ".join(MUSCLE_NOTES))
        return out


# ---------------------------------------------------------------------------- import


def import_free_exercise_db(
    records: Any, name: str = "free-exercise-db", title: str | None = None
) -> tuple[dict[str, Any], ImportReport]:
    """Convert parsed free-exercise-db JSON into a catalog mapping and a report.

    Raises InputError naming the first record that lacks an essential field, so nothing is
    written from bad input. The catalog mapping is what :func:`catalog_yaml` writes and what
    :func:`routinegen.catalog.load_catalog` reads back.
    """
    if not isinstance(records, list):
        raise InputError(
            f"expected a JSON list of {SOURCE} exercise records, got a {_json_type(records)}"
        )
    report = ImportReport(SOURCE, total=len(records))
    exercises: list[dict[str, Any]] = []
    used_ids: set[str] = set()
    for index, record in enumerate(records):
        _check(index, record)
        converted = _convert(record, report)
        if converted is None:
            continue
        exercises.append({"id": _unique(_sanitize(record["id"]), used_ids), **converted})
    if not exercises:
        raise InputError(f"no importable exercise among the {len(records)} records")
    report.imported = len(exercises)

    used_items = {
        item
        for exercise in exercises
        for way in exercise["equipment"]
        for item in ([way] if isinstance(way, str) else way)
    }
    catalog = {
        "format": 2,
        "name": name,
        "title": title or f"{SOURCE} (imported)",
        "description": (
            f"Imported from {SOURCE} (github.com/yuhonas/free-exercise-db, public domain) by "
            f"routinegen catalog import: {len(exercises)} of {len(records)} records. "
            "Names, muscles, equipment and levels only; timings are defaults by category."
        ),
        "muscles": dict(MUSCLES),
        "groups": {group: list(members) for group, members in GROUPS.items()},
        "equipment": {k: v for k, v in EQUIPMENT.items() if k in used_items},
        "exercises": exercises,
    }
    return catalog, report


def _json_type(value: Any) -> str:
    return {dict: "object", list: "list", str: "string", bool: "boolean"}.get(
        type(value), "number" if isinstance(value, int | float) else "null"
    )


def _check(index: int, record: Any) -> None:
    """The fields the import relies on, as the source's JSON Schema defines them."""

    def bad(message: str) -> InputError:
        label = record.get("name") or record.get("id") if isinstance(record, dict) else None
        named = f" ({label!r})" if isinstance(label, str) else ""
        return InputError(f"record {index}{named}: {message}")

    if not isinstance(record, dict):
        raise bad(f"expected an exercise object, got a {_json_type(record)}")
    required: tuple[str, ...] = ("id", "name", "level", "category", "equipment", "mechanic")
    required += ("primaryMuscles", "secondaryMuscles")
    for key in required:
        if key not in record:
            raise bad(f"missing required field {key!r}")
    if not isinstance(record["id"], str) or not SOURCE_ID.match(record["id"]):
        raise bad(f"'id' must be letters, digits, '_' or '-'; got {record['id']!r}")
    if not isinstance(record["name"], str) or not record["name"].strip():
        raise bad(f"'name' must be a non-empty string; got {record['name']!r}")
    bad_char = unsafe_character(record["name"])
    if bad_char is not None:
        raise bad(f"'name' holds the control character U+{ord(bad_char):04X}; refused")
    for key, allowed in (
        ("level", SOURCE_LEVELS),
        ("category", SOURCE_CATEGORIES),
        ("equipment", SOURCE_EQUIPMENT),
        ("mechanic", SOURCE_MECHANICS),
        ("force", SOURCE_FORCES),
    ):
        value = record.get(key)
        if value not in allowed:
            shown = ", ".join("null" if a is None else a for a in allowed)
            raise bad(f"{key!r} must be one of {shown}; got {value!r}")
    for key in ("primaryMuscles", "secondaryMuscles"):
        value = record[key]
        if not isinstance(value, list) or not all(m in SOURCE_MUSCLES for m in value):
            raise bad(f"{key!r} must be a list of the source's muscle names; got {value!r}")
    if not record["primaryMuscles"]:
        raise bad("'primaryMuscles' is empty")


def _words(name: str) -> str:
    return " ".join(re.sub(r"[-/_]", " ", name.lower()).split())


def _convert(record: Mapping[str, Any], report: ImportReport) -> dict[str, Any] | None:
    """One record -> one exercise mapping (without its id), or None with a reported reason."""
    name: str = record["name"].strip()
    words = _words(name)
    source_item = record["equipment"]
    category = record["category"]

    stretching = category == "stretching"
    if source_item == "foam roll" or re.search(r"\bsmr\b", words):
        report.skip("foam rolling (self-massage, not timed training work)", name)
        return None
    if category == "cardio" and source_item == "machine":
        report.skip("cardio machine", name)
        return None
    for reason, pattern in SKIPS:
        if pattern.search(words):
            report.skip(reason, name)
            return None

    ways, labels = _equipment(words, source_item, category)
    loose = source_item in BODYWEIGHT_SOURCES or category == "cardio"
    if stretching:  # against a wall or a chair: nothing to bring but the source's item
        base = BASE_EQUIPMENT.get(source_item)
        ways, labels = [frozenset([base]) if base else frozenset()], []
    if ways is None:
        if category == "cardio":
            report.skip("cardio away from the mat (bike, skates, running)", name)
        elif source_item is None:
            report.skip("equipment unnamed and not identifiable from the name", name)
        else:
            report.skip("equipment 'other', not identifiable from the name", name)
        return None
    if (
        re.search(r"\bweighted\b", words)
        and source_item in ("other", None)
        and not any(way & LOADS for way in ways)
    ):
        report.skip("'weighted' with the load not named", name)
        return None
    if loose:
        for label in labels:
            report.inferred.setdefault(label, []).append(name)

    primary = list(dict.fromkeys(MUSCLE_MAP[m] for m in record["primaryMuscles"]))
    secondary_src = [MUSCLE_MAP[m] for m in record["secondaryMuscles"]]
    for muscle in [*record["primaryMuscles"], *record["secondaryMuscles"]]:
        secondary_src.extend(EXTRA_SECONDARY.get(muscle, ()))
    secondary = [m for m in dict.fromkeys(secondary_src) if m not in primary]
    coach = coach_fields(record, words, ways, primary, secondary)
    if not stretching:
        primary, secondary = primaries(coach["pattern"], words, primary, secondary)

    exercise: dict[str, Any] = {
        "name": name,
        "pattern": coach["pattern"],
        "mechanic": coach["mechanic"],
        "primary": primary,
        "secondary": secondary,
        # one way with nothing in it is bodyweight ([]), which the model always allows
        "equipment": [sorted(w)[0] if len(w) == 1 else sorted(w) for w in ways if w],
        "loaded": coach["loaded"],
        "level": LEVEL_MAP[record["level"]],
        "skill": coach["skill"],
        "power": coach["power"],
        "tags": coach["tags"],
    }
    if stretching:
        drill = stretch_fields(record, words)
        exercise["pattern"] = drill.pop("pattern")
        role = drill.pop("role")
        exercise.update(drill)
        exercise["setup_seconds"] = SETUP_BODYWEIGHT
    else:
        role = "main"
        exercise.update(_dose(record, words, ways))
    if UNILATERAL.search(words):
        exercise["unilateral"] = True
    exercise["role"] = role
    if exercise["pattern"] is None:
        del exercise["pattern"]
    return exercise


def _equipment(
    words: str, source_item: str | None, category: str
) -> tuple[list[Way] | None, list[str]]:
    """The ways to do it (each a set of items needed together; [] = bodyweight) and the
    labels of the name rules that added items. None when 'other' stays unidentified."""
    loose = source_item in BODYWEIGHT_SOURCES or category == "cardio"
    kept, negated = words, ""
    if match := NEGATION.search(words):
        kept, negated = words[: match.start()], match.group(1)
    ruled_out: set[str] = set()
    for rule in RULES:
        if negated and rule.pattern.search(negated):
            ruled_out.update(item for way in rule.ways for item in way)

    base: str | None
    if source_item in ("machine", "barbell") and re.search(r"\bsmith\b", words):
        base = "smith_machine"
    else:
        base = BASE_EQUIPMENT.get(source_item)
    ways: list[Way] = [frozenset([base]) if base else frozenset()]
    labels: list[str] = []
    for rule in RULES:
        in_scope = (
            rule.scope == "all"
            or (rule.scope == "bodyweight" and loose)
            or (rule.scope == "barbell" and base == "barbell")
        )
        if not in_scope or not rule.pattern.search(kept):
            continue
        if any(item in ruled_out for way in rule.ways for item in way):
            continue
        labels.append(rule.label)
        ways = [way | extra for way in ways for extra in rule.ways]
    if not labels and (source_item == "other" or category == "cardio"):
        return None, []
    return _minimal(ways), labels


def _minimal(ways: Iterable[Way]) -> list[Way]:
    """Drop alternatives that need everything another one needs and more; a stable order."""
    unique = sorted(set(ways), key=lambda w: (len(w), sorted(w)))
    return [w for w in unique if not any(o < w for o in unique)]


def _dose(record: Mapping[str, Any], words: str, ways: Sequence[Way]) -> dict[str, Any]:
    category, level = record["category"], record["level"]
    kind = dose_kind(record, words)
    if kind != "reps":  # isometric holds, and dynamic work for a time
        seconds = HOLD_STATIC if kind == "hold" else HOLD_TIMED
        return {kind: list(seconds), "setup_seconds": _setup(category, ways)}
    if category in HEAVY:
        speed = "heavy"
    elif category == "plyometrics":
        speed = "plyometrics"
    else:
        speed = "isolation" if record["mechanic"] == "isolation" else "compound"
    return {
        "reps": list(REPS[speed][level]),
        "seconds_per_rep": SECONDS_PER_REP[speed],
        "setup_seconds": _setup(category, ways),
    }


def _setup(category: str, ways: Sequence[Way]) -> int:
    per_way = [max((SETUP_BY_ITEM[i] for i in way), default=SETUP_BODYWEIGHT) for way in ways]
    seconds = min(per_way, default=SETUP_BODYWEIGHT)
    if category in ("powerlifting", "olympic weightlifting"):
        seconds += SETUP_HEAVY_EXTRA
    elif category == "strongman":
        seconds = max(seconds, 15)
    return seconds


def _sanitize(source_id: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", source_id.lower()).strip("_") or "exercise"


def _unique(candidate: str, used: set[str]) -> str:
    out, n = candidate, 2
    while out in used:
        out, n = f"{candidate}_{n}", n + 1
    used.add(out)
    return out


def catalog_name(stem: str) -> str:
    """A catalog name from a file stem: lower-case letters, digits, '_' and '-'."""
    cleaned = re.sub(r"[^a-z0-9_-]+", "-", stem.lower()).strip("-_")
    return cleaned or "imported"
