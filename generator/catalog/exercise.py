"""One catalog exercise: its fields checked and turned into an :class:`Exercise`.

Format 2 adds the fields a coach reads an exercise by (dose kind, pattern, mechanic, load,
skill, power, safety tags, muscle weights, role, cues). A format 1 file cannot give them; it
gets the defaults documented in docs/catalogs.md ("Format 1 defaults"), which a format 2 file
also gets for any of them it leaves out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from routinegen.catalog import fields
from routinegen.catalog.records import (
    LEVELS,
    MECHANICS,
    PATTERNS,
    ROLES,
    SKILLS,
    Exercise,
)
from routinegen.sources.document import Document, Path_

# Equipment that holds or supports the body but is no weight to pick: an exercise done only
# with these (or with nothing) is not "loaded" unless the file says so. Any other item, a
# catalog's own ones included, counts as a load (docs/catalogs.md, "Format 1 defaults").
NOT_A_LOAD = frozenset(
    {
        "pullup_bar",
        "bench",
        "resistance_band",
        "squat_rack",
        "box",
        "dip_bars",
        "suspension_trainer",
        "ab_wheel",
        "jump_rope",
        "back_extension_bench",
        "exercise_ball",
        "battle_ropes",
    }
)
DOSE_KEYS = ("reps", "hold", "timed")  # exactly one; it sets the dose kind
HOLD_SECONDS = (5, 600)
MAX_REPS = 500
MAX_CUES, CUE_LENGTH = 6, 140

COMMON_KEYS = (
    "id",
    "name",
    "primary",
    "secondary",
    "equipment",
    "level",
    "reps",
    "hold",
    "seconds_per_rep",
    "setup_seconds",
    "unilateral",
    "notes",
)
FORMAT2_KEYS = (
    "timed",
    "pattern",
    "mechanic",
    "loaded",
    "skill",
    "power",
    "tags",
    "weights",
    "role",
    "cues",
)


def default_mechanic(primary: Sequence[str], secondary: Sequence[str]) -> str:
    """Format 1 default: an exercise that works two muscles or more is a compound one."""
    return "compound" if len(primary) + len(secondary) >= 2 else "isolation"


def default_loaded(ways: Sequence[frozenset[str]]) -> bool:
    """Format 1 default: loaded when some way to do it needs an item outside NOT_A_LOAD."""
    return any(item not in NOT_A_LOAD for way in ways for item in way)


def parse_exercise(
    doc: Document,
    path: Path_,
    raw: Any,
    vocabulary: Mapping[str, Mapping[str, str]],
    version: int,
) -> Exercise:
    """``raw`` (the mapping at ``path``) as an Exercise; ``vocabulary`` holds the declared
    ``muscles``, ``equipment`` and ``tags`` (the known safety tags included)."""
    if not isinstance(raw, dict):
        raise doc.error(path, "an exercise must be a mapping")
    allowed = COMMON_KEYS + FORMAT2_KEYS if version >= 2 else COMMON_KEYS
    for key in raw:
        if key in FORMAT2_KEYS and version < 2:
            raise doc.error(
                (*path, key),
                f"'{key}' is a format 2 field, but this file says 'format: {version}'; "
                "write 'format: 2' at the top to use it",
            )
        if key not in allowed:
            raise doc.error(
                (*path, key), f"unknown field; expected one of {', '.join(sorted(allowed))}"
            )
    muscles, equipment = vocabulary["muscles"], vocabulary["equipment"]
    ex_id = fields.identifier(doc, (*path, "id"), raw.get("id"))
    primary = fields.members(
        doc, (*path, "primary"), raw.get("primary"), muscles, "muscle", "muscles"
    )
    if not primary:
        raise doc.error((*path, "primary"), "needs at least one primary muscle")
    secondary = fields.members(
        doc, (*path, "secondary"), raw.get("secondary", []), muscles, "muscle", "muscles"
    )
    both = set(primary) & set(secondary)
    if both:
        raise doc.error((*path, "secondary"), f"{sorted(both)[0]} is already primary")

    ways = _ways(doc, path, raw, equipment)
    level = fields.choice(doc, (*path, "level"), raw.get("level", "beginner"), LEVELS)
    dose, reps, seconds = _dose(doc, path, raw, version)
    spr = fields.number(doc, (*path, "seconds_per_rep"), raw.get("seconds_per_rep", 3), 0.5, 60)
    setup = fields.number(doc, (*path, "setup_seconds"), raw.get("setup_seconds", 5), 0, 300)
    if "notes" in raw:
        fields.text(doc, (*path, "notes"), raw["notes"])

    def flag(key: str, default: bool) -> bool:
        return fields.flag(doc, (*path, key), raw[key]) if key in raw else default

    def pick(key: str, allowed: Sequence[str], default: str) -> str:
        return fields.choice(doc, (*path, key), raw[key], allowed) if key in raw else default

    return Exercise(
        id=ex_id,
        name=fields.text(doc, (*path, "name"), raw.get("name")),
        primary=tuple(primary),
        secondary=tuple(secondary),
        equipment=ways,
        level=level,
        reps=reps,
        hold=seconds,
        seconds_per_rep=float(spr),
        setup_seconds=int(setup),
        unilateral=flag("unilateral", False),
        dose=dose,
        pattern=pick("pattern", PATTERNS, "") or None,
        mechanic=pick("mechanic", MECHANICS, default_mechanic(primary, secondary)),
        loaded=flag("loaded", default_loaded(ways)),
        skill=pick("skill", SKILLS, "low"),
        power=flag("power", False),
        tags=frozenset(_tags(doc, path, raw, vocabulary["tags"])),
        weights=_weights(doc, path, raw, primary, secondary),
        role=pick("role", ROLES, "main"),
        cues=_cues(doc, path, raw),
    )


def _ways(
    doc: Document, path: Path_, raw: Mapping[str, Any], equipment: Mapping[str, str]
) -> tuple[frozenset[str], ...]:
    """The alternatives (each a set of items needed together); [] means bodyweight."""
    raw_ways = raw.get("equipment", [])
    if not isinstance(raw_ways, list):
        raise doc.error((*path, "equipment"), "must be a list of alternatives ([] = bodyweight)")
    ways: list[frozenset[str]] = []
    for j, way in enumerate(raw_ways):
        items = [way] if isinstance(way, str) else way
        where = (*path, "equipment", j)
        ways.append(
            frozenset(fields.members(doc, where, items, equipment, "equipment", "equipment"))
        )
    return tuple(dict.fromkeys(ways))


def _dose(
    doc: Document, path: Path_, raw: Mapping[str, Any], version: int
) -> tuple[str, tuple[int, int] | None, tuple[int, int] | None]:
    """The dose kind, the rep range and the seconds range (of a hold or of timed work)."""
    given = [key for key in DOSE_KEYS if key in raw]
    if len(given) != 1:
        if version >= 2:
            kinds = "'reps' (a range), 'hold' (isometric seconds) or 'timed' (seconds of work)"
        else:
            kinds = "'reps' (a range) or 'hold' (seconds)"
        raise doc.error(path, f"give exactly one of {kinds}")
    kind = given[0]
    if kind == "reps":
        return kind, fields.whole_range(doc, (*path, kind), raw[kind], 1, MAX_REPS), None
    if "seconds_per_rep" in raw:
        what = "a timed hold" if version < 2 else f"an exercise dosed by '{kind}'"
        raise doc.error((*path, "seconds_per_rep"), f"{what} has no reps")
    return kind, None, fields.whole_range(doc, (*path, kind), raw[kind], *HOLD_SECONDS)


def _tags(
    doc: Document, path: Path_, raw: Mapping[str, Any], known: Mapping[str, str]
) -> list[str]:
    if "tags" not in raw:
        return []
    return fields.members(doc, (*path, "tags"), raw["tags"], known, "tag", "tags")


def _weights(
    doc: Document,
    path: Path_,
    raw: Mapping[str, Any],
    primary: Sequence[str],
    secondary: Sequence[str],
) -> tuple[tuple[str, float], ...]:
    """Explicit shares of a set per muscle, each in (0, 1], for muscles the exercise lists."""
    if "weights" not in raw:
        return ()
    value = raw["weights"]
    where = (*path, "weights")
    if not isinstance(value, dict) or not value:
        raise doc.error(where, "must map a muscle of primary or secondary to a share in (0, 1]")
    out: list[tuple[str, float]] = []
    for muscle, share in value.items():
        if muscle not in primary and muscle not in secondary:
            raise doc.error(
                (*where, muscle),
                f"{muscle!r} is not a primary or secondary muscle of this exercise; list it there",
            )
        if isinstance(share, bool) or not isinstance(share, int | float) or not 0 < share <= 1:
            raise doc.error(
                (*where, muscle), f"must be a number above 0 and at most 1; got {share!r}"
            )
        out.append((muscle, float(share)))
    return tuple(out)


def _cues(doc: Document, path: Path_, raw: Mapping[str, Any]) -> tuple[str, ...]:
    if "cues" not in raw:
        return ()
    value = raw["cues"]
    where = (*path, "cues")
    if not isinstance(value, list) or not 1 <= len(value) <= MAX_CUES:
        raise doc.error(where, f"must be a list of 1 to {MAX_CUES} short sentences")
    return tuple(fields.text(doc, (*where, j), cue, CUE_LENGTH) for j, cue in enumerate(value))
