"""free-exercise-db records -> the coaching fields of catalog format 2: movement pattern,
mechanic, load, power, skill, safety tags, several primary muscles where the movement
justifies it, and stretches as cool-down (static) or warm-up (dynamic) moves.

Rules read the source's ``category``, ``force`` and ``mechanic`` and the exercise's name
(lower-case, '-', '/' and '_' read as spaces). Data and small pure functions only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from routinegen.catalog.exercise import default_loaded, default_mechanic

Way = frozenset[str]

# Dynamic whole-body work, dosed in seconds (COACHING.md: not hard sets, except for the
# conditioning goal).
CONDITIONING = (
    r"\bbattl(?:e|ing) ropes?|\bmountain climbers?|\bjumping jacks?|\bburpees?|\bhigh knees"
    r"|\bbear crawl|\bsprints?\b|\brope jumping|\bjump(?:ing)? rope|\bskaters?\b"
)
# Name -> pattern, first match wins. Core rules come first so that an isolation crunch is
# core work; then the big patterns. Matched against the cleaned name.
PATTERN_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (pattern, re.compile(rx))
    for pattern, rx in (
        (
            "core_anti_extension",
            r"\bplank|\brollouts?\b|\bab (?:roller|wheel)|\bdead bug|\bhollow"
            r"|\bbird dog|\bbody saw",
        ),
        (
            "core_rotation",
            r"\btwists?\b|\bwood ?chops?|\brussian|\bpallof|\bwindmill|\brotation"
            r"|\boblique|\bside bend|\bfigure 8|\bget ?up\b|\bpass between",
        ),
        (
            "core_flexion",
            r"\bcrunch|\bsit ?ups?\b|\b(?:leg|knee) (?:raise|tuck|lift)s?\b|\bv ups?\b"
            r"|\bjackknife|\btoes to bar|\bab curl|\bflutter|\bscissor|\bpull ins?\b|\bhip raise"
            r"|\bbutt ups|\belbow to knee|\bair bike|\bcocoons|\bbottoms up\b",
        ),
        ("carry", r"\bcarry\b|\bfarmer|\bwalk\b|\byoke"),
        ("conditioning", CONDITIONING),
        ("lunge", r"\blunges?\b|\bsplit (?:squats?|jerk|snatch)|\bstep ?ups?\b|\bbulgarian"),
        (
            "hinge",
            r"\bdeadlifts?\b|\bgood ?mornings?\b|\bswings?\b|\bcleans?\b|\bsnatch|\brdl\b"
            r"|\bromanian|\bhyperextensions?|\bback extensions?|\bhip (?:thrust|extension|lift)"
            r"|\b(?:glute|butt) (?:bridge|lift)|\bbridge|\bpull ?through|\bhigh pull|\brack pull"
            r"|\bstiff leg",
        ),
        ("squat", r"\bsquats?\b|\bleg press|\bwall sit|\bthruster|\bhack\b|\bpistol|\bsissy"),
        ("vertical_pull", r"\bpull ?ups?\b|\bchin ?ups?\b|\bpull ?downs?\b|\bmuscle ?ups?\b"),
        ("horizontal_pull", r"\brows?\b|\bface pulls?\b|\bpull ?aparts?\b"),
        (
            "vertical_push",
            r"\b(?:overhead|shoulder|military|push|seesaw|para|bent|arnold|seated)"
            r" press\b|\bjerk\b|\bhandstand|\bpike|\bdips?\b|\bkettlebell press",
        ),
        (
            "horizontal_push",
            r"\bbench press|\bpush ?ups?\b|\bfloor press|\bchest press"
            r"|\bchest pass|\bpress ?ups?\b|\bdumbbell press\b|\b(?:de|in)cline press",
        ),
        ("isolation", r"\bcurls?\b|\braises?\b|\bfly\b|\bflyes?\b|\bkickbacks?\b|\bpullover"),
    )
)
# By the source's first primary muscle, for compound moves no name rule places.
FORCE_FALLBACK: dict[tuple[str | None, str], str] = {
    ("push", "chest"): "horizontal_push",
    ("push", "shoulders"): "vertical_push",
    ("push", "triceps"): "horizontal_push",
    ("push", "quadriceps"): "squat",
    ("pull", "lats"): "vertical_pull",
    ("pull", "middle back"): "horizontal_pull",
    ("pull", "hamstrings"): "hinge",
    ("pull", "glutes"): "hinge",
    ("pull", "lower back"): "hinge",
    ("push", "glutes"): "hinge",
}
MUSCLE_FALLBACK = {"abdominals": "core_flexion", "chest": "horizontal_push"}
CORE = ("core_anti_extension", "core_rotation", "core_flexion")
# A name that says row, deadlift, squat or lunge is a multi-joint move whatever the source's
# mechanic says (it files some kettlebell rows as isolation).
NAME_WINS = ("horizontal_pull", "hinge", "squat", "lunge")
# Muscles a pattern works hard, promoted from the record's secondaries to primary.
PROMOTE = {
    "horizontal_pull": ("lats", "rhomboids"),
    "vertical_pull": ("lats",),
    "hinge": ("glutes", "hamstrings"),
    "squat": ("quads", "glutes"),
    "lunge": ("quads", "glutes"),
    "horizontal_push": ("chest", "triceps"),
    "vertical_push": ("shoulders", "triceps"),
    "carry": ("traps", "forearms"),
}
LOADED_HINGE = re.compile(r"\bdeadlifts?\b|\bgood ?mornings?\b|\brack pull|\bstiff leg|\brdl\b")
MAX_PRIMARY = 3

HOLDS = re.compile(r"\bplank|\bhold\b|\bisometric|\bstatic\b|\bwall sit|\bl sit")
TIMED = re.compile(r"\bwalk\b|\bcarry\b|" + CONDITIONING.replace("|\\bburpees?", ""))
POWER = re.compile(
    r"\bswings?\b|\bcleans?\b|\bsnatch|\bjerk\b|\bjumps?\b|\bthrows?\b|\bslams?\b"
    r"|\bpush press|\bhigh pull|\bmuscle ?ups?\b|\bplyo|\bhops?\b|\bbounds?\b"
)
HIGH_SKILL = re.compile(
    r"\bsnatch|\bclean and jerk\b|\bmuscle ?ups?\b|\bpistol|\bhandstand"
    r"|\bget ?up\b|\bplanche|\bfront lever|\bdragon flag"
)
TAG_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "spinal_flexion",
        re.compile(
            r"\bcrunch|\bsit ?ups?\b|\bv ups?\b|\bjackknife|\brussian twist"
            r"|\bslam|\btoes to bar|\bab curl"
        ),
    ),
    (
        "overhead",
        re.compile(
            r"\boverhead|\bmilitary|\bshoulder press|\bpush press|\bjerk\b"
            r"|\bsnatch|\bhandstand|\bget ?up\b|\bwindmill|\bthruster|\barnold"
        ),
    ),
    (
        "impact",
        re.compile(
            r"\bjumps?\b|\bjumping\b|\bhops?\b|\bbounds?\b|\bburpees?\b|\bjacks?\b"
            r"|\bskips?\b|\bplyo|\bdepth\b|\bclap"
        ),
    ),
    (
        "wrist_loading",
        re.compile(
            r"\bpush ?ups?\b|\bburpees?\b|\bhandstand|\bmountain climbers?"
            r"|\bbear crawl|\bcrawl\b|\bplanche|\bfront squats?\b"
        ),
    ),
    (
        "grip",
        re.compile(
            r"\bdeadlifts?\b|\bfarmer|\bhang|\bpull ?ups?\b|\bchin ?ups?\b|\bshrugs?\b"
            r"|\bcarry\b|\bmuscle ?ups?\b|\bwrist|\brack pull"
        ),
    ),
    ("deep_knee_flexion", re.compile(r"\bpistol|\bsissy|\bcossack|\bdeep squat")),
)
FREE_WEIGHTS = {"barbell", "dumbbell", "kettlebell", "trap_bar", "ez_bar", "smith_machine"}


def pattern_of(record: Mapping[str, Any], words: str) -> str | None:
    """The movement pattern from the category, the name and (for compounds) the force."""
    category, mechanic = record["category"], record.get("mechanic")
    if category == "stretching":
        return "mobility"
    named = next((p for p, rx in PATTERN_RULES if rx.search(words)), None)
    if named in CORE or named in ("carry", "conditioning"):
        return named
    if category == "cardio":
        return "conditioning"
    if mechanic == "isolation" and named not in NAME_WINS:
        return "isolation"
    if named is not None:
        return named
    first = record["primaryMuscles"][0]
    fallback = FORCE_FALLBACK.get((record.get("force"), first)) or MUSCLE_FALLBACK.get(first)
    if fallback is not None:
        return fallback
    return "conditioning" if category == "plyometrics" else None


def primaries(
    pattern: str | None, words: str, primary: Sequence[str], secondary: Sequence[str]
) -> tuple[list[str], list[str]]:
    """Primary and secondary muscles, with the pattern's prime movers promoted from the
    secondaries (rows: lats and rhomboids; deadlifts: erectors, glutes, hamstrings)."""
    wanted = list(PROMOTE.get(pattern or "", ()))
    if pattern == "hinge" and LOADED_HINGE.search(words):
        wanted.append("erector_spinae")
    out = list(primary)
    for muscle in wanted:
        if muscle in secondary and muscle not in out and len(out) < MAX_PRIMARY:
            out.append(muscle)
    return out, [m for m in secondary if m not in out]


def dose_kind(record: Mapping[str, Any], words: str) -> str:
    """hold (isometric), timed (dynamic work for a time) or reps."""
    if record.get("force") == "static" or HOLDS.search(words):
        return "hold"
    if record["category"] == "cardio" or TIMED.search(words):
        return "timed"
    return "reps"


def coach_fields(
    record: Mapping[str, Any],
    words: str,
    ways: Sequence[Way],
    primary: Sequence[str],
    secondary: Sequence[str],
) -> dict[str, Any]:
    """pattern, mechanic, loaded, skill, power and tags, in catalog key order."""
    category = record["category"]
    pattern = pattern_of(record, words)
    mechanic = record.get("mechanic") or default_mechanic(primary, secondary)
    if pattern in NAME_WINS:
        mechanic = "compound"
    # An inverted row hangs under a bar set in the rack: the barbell holds the body.
    loaded = default_loaded(ways) and not re.search(r"\binverted rows?\b", words)
    power = category in ("plyometrics", "olympic weightlifting") or bool(POWER.search(words))
    if category == "stretching" or dose_kind(record, words) != "reps":
        power = False  # timed work, holds and stretches are not done for power
    if HIGH_SKILL.search(words) or (category == "olympic weightlifting" and "snatch" in words):
        skill = "high"
    elif category in ("olympic weightlifting", "strongman") or record["level"] == "expert":
        skill = "moderate"
    else:
        skill = "low"
    tags = [tag for tag, rx in TAG_RULES if rx.search(words)]
    heavy = category in ("powerlifting", "olympic weightlifting", "strongman")
    free = any(way & FREE_WEIGHTS for way in ways)
    resting = re.search(r"\bhip thrusts?\b|\bbridge", words)  # the load rests on the hips
    if pattern in ("squat", "hinge", "carry") and loaded and (free or heavy) and not resting:
        tags.insert(0, "spinal_loading")
    if pattern in ("squat", "lunge") and loaded and "deep_knee_flexion" not in tags:
        tags.append("deep_knee_flexion")
    if category == "plyometrics" and "impact" not in tags and pattern != "horizontal_push":
        tags.append("impact")
    if category == "stretching":
        tags = [t for t in tags if t in ("wrist_loading",)]
    return {
        "pattern": pattern,
        "mechanic": mechanic,
        "loaded": loaded,
        "skill": skill,
        "power": power,
        "tags": sorted(set(tags), key=tags.index),
    }


# ---------------------------------------------------------------------------- stretches

STRETCH_HOLD = (20, 60)
DRILL_REPS = (8, 15)
DRILL_SECONDS_PER_REP = 2.5
DRILL_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("lunge", re.compile(r"\blunges?\b|\bsplit squats?\b|\bworld'?s greatest|\bgroiners?\b")),
    ("squat", re.compile(r"\bsquats?\b|\bknee circles")),
    ("hinge", re.compile(r"\binchworm|\bleg raises?\b|\btoe touch|\bhamstring|\bwindmills?\b")),
    ("vertical_push", re.compile(r"\b(?:arm|shoulder|elbow) circles|\bshoulder raise|\bupward")),
    ("horizontal_push", re.compile(r"\bdynamic chest|\bchest\b")),
    ("vertical_pull", re.compile(r"\bdynamic back|\blat\b")),
    ("core_rotation", re.compile(r"\btorso rotation|\brotation")),
)


def stretch_fields(record: Mapping[str, Any], words: str) -> dict[str, Any]:
    """A static stretch is a cool-down hold; a moving one (the source's force push or pull)
    a warm-up drill, aimed at the pattern its name prepares (else mobility)."""
    if record.get("force") == "static":
        return {"role": "cooldown", "pattern": "mobility", "hold": list(STRETCH_HOLD)}
    pattern = next((p for p, rx in DRILL_PATTERNS if rx.search(words)), "mobility")
    return {
        "role": "warmup",
        "pattern": pattern,
        "reps": list(DRILL_REPS),
        "seconds_per_rep": DRILL_SECONDS_PER_REP,
    }
