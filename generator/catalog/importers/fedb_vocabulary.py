"""free-exercise-db's vocabulary and how it maps onto ours: muscles, equipment rules,
levels and the default timings. Data only; ``free_exercise_db`` applies it."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

SOURCE = "free-exercise-db"

# ---------------------------------------------------------------------------- vocabulary

SOURCE_MUSCLES = (
    "abdominals",
    "abductors",
    "adductors",
    "biceps",
    "calves",
    "chest",
    "forearms",
    "glutes",
    "hamstrings",
    "lats",
    "lower back",
    "middle back",
    "neck",
    "quadriceps",
    "shoulders",
    "traps",
    "triceps",
)
SOURCE_LEVELS = ("beginner", "intermediate", "expert")
SOURCE_CATEGORIES = (
    "powerlifting",
    "strength",
    "stretching",
    "cardio",
    "olympic weightlifting",
    "strongman",
    "plyometrics",
)
SOURCE_EQUIPMENT = (
    None,
    "medicine ball",
    "dumbbell",
    "body only",
    "bands",
    "kettlebells",
    "foam roll",
    "cable",
    "machine",
    "barbell",
    "exercise ball",
    "e-z curl bar",
    "other",
)
SOURCE_MECHANICS = (None, "isolation", "compound")
SOURCE_FORCES = (None, "static", "pull", "push")
SOURCE_ID = re.compile(r"^[0-9a-zA-Z_-]+$")

# Source muscle -> our muscle; "middle back" also credits traps as a secondary muscle.
MUSCLE_MAP = {
    "abdominals": "abs",
    "abductors": "glutes",
    "adductors": "adductors",
    "biceps": "biceps",
    "calves": "calves",
    "chest": "chest",
    "forearms": "forearms",
    "glutes": "glutes",
    "hamstrings": "hamstrings",
    "lats": "lats",
    "lower back": "erector_spinae",
    "middle back": "rhomboids",
    "neck": "neck",
    "quadriceps": "quads",
    "shoulders": "shoulders",
    "traps": "traps",
    "triceps": "triceps",
}
EXTRA_SECONDARY = {"middle back": ("traps",)}
MUSCLE_NOTES = (
    "abdominals -> abs, quadriceps -> quads, lower back -> erector_spinae",
    "middle back -> rhomboids (+ traps as secondary), abductors -> glutes (medius/minimus)",
    "neck -> neck (own id, in no group)",
)

MUSCLES = {  # display names as in the built-in catalogs
    "lats": "Lats (latissimus dorsi)",
    "rhomboids": "Rhomboids (between the shoulder blades)",
    "traps": "Traps (trapezius)",
    "erector_spinae": "Erector spinae (lower back)",
    "chest": "Chest (pectorals)",
    "shoulders": "Shoulders (deltoids)",
    "biceps": "Biceps",
    "triceps": "Triceps",
    "forearms": "Forearms (grip)",
    "abs": "Abs (rectus abdominis)",
    "glutes": "Glutes",
    "quads": "Quads (quadriceps)",
    "hamstrings": "Hamstrings",
    "calves": "Calves",
    "adductors": "Adductors (inner thigh)",
    "neck": "Neck",
}
GROUPS = {
    "back": ["lats", "rhomboids", "traps", "erector_spinae"],
    "full-body": [
        "chest",
        "shoulders",
        "biceps",
        "triceps",
        "abs",
        "glutes",
        "quads",
        "hamstrings",
        "calves",
        "lats",
        "rhomboids",
        "traps",
        "erector_spinae",
    ],
    "upper": ["chest", "shoulders", "biceps", "triceps", "lats", "rhomboids", "traps"],
    "lower": ["glutes", "quads", "hamstrings", "calves", "adductors"],
    "legs": ["quads", "hamstrings", "glutes", "calves"],
    "push": ["chest", "shoulders", "triceps"],
    "pull": ["lats", "rhomboids", "traps", "biceps"],
    "core": ["abs", "erector_spinae"],
    "arms": ["biceps", "triceps"],
}
EQUIPMENT = {  # declared in this order, only those some exercise uses
    "kettlebell": "Kettlebell",
    "dumbbell": "Dumbbell",
    "barbell": "Barbell",
    "ez_bar": "E-Z curl bar",
    "trap_bar": "Trap (hex) bar",
    "weight_plate": "Weight plate",
    "resistance_band": "Resistance band",
    "medicine_ball": "Medicine ball",
    "exercise_ball": "Exercise (stability) ball",
    "jump_rope": "Jump rope",
    "ab_wheel": "Ab wheel",
    "pullup_bar": "Pull-up bar",
    "dip_bars": "Dip bars (parallel bars)",
    "suspension_trainer": "Suspension trainer or rings",
    "bench": "Bench (flat or adjustable)",
    "box": "Plyo box or sturdy step",
    "back_extension_bench": "Back extension bench (hyperextension)",
    "squat_rack": "Squat rack",
    "cable": "Cable machine",
    "machine": "Gym weight machines (leverage, leg press, curl...)",
    "smith_machine": "Smith machine",
    "sled": "Sled or prowler",
    "battle_ropes": "Battle ropes",
}
BASE_EQUIPMENT: dict[str | None, str | None] = {  # source item -> ours (None: bodyweight)
    "body only": None,
    None: None,
    "kettlebells": "kettlebell",
    "dumbbell": "dumbbell",
    "barbell": "barbell",
    "cable": "cable",
    "bands": "resistance_band",
    "medicine ball": "medicine_ball",
    "exercise ball": "exercise_ball",
    "e-z curl bar": "ez_bar",
    "machine": "machine",
}
BODYWEIGHT_SOURCES = ("body only", "other", None)

Way = frozenset[str]


@dataclass(frozen=True)
class _Rule:
    """Equipment a name calls for: ``ways`` are alternatives, each a set needed together."""

    label: str
    pattern: re.Pattern[str]
    ways: tuple[Way, ...]
    scope: str  # "bodyweight": only for body only / other / null / cardio; "free": weights


def _rule(label: str, pattern: str, ways: Sequence[Iterable[str]], scope: str) -> _Rule:
    return _Rule(label, re.compile(pattern), tuple(frozenset(w) for w in ways), scope)


BW = "bodyweight"
# Matched against the lower-case name with '-', '/' and '_' read as spaces.
RULES = (
    _rule(
        "pull-up bar",
        r"\bpull ?ups?\b|\bchin ?ups?\b|\bchins?\b|\bmuscle ?ups?\b|\bhanging\b",
        [["pullup_bar"]],
        BW,
    ),
    _rule(
        "dip bars",
        r"(?<!bench )(?<!ring )\bdips?\b|\bparallel bars?\b",
        [["dip_bars"]],
        BW,
    ),
    _rule(
        "bench",
        r"\bbench\b|\bdecline\b|\bpreacher\b|\bincline\b(?! push ?ups?\b)",
        [["bench"]],
        "all",
    ),
    _rule(
        "bench or box",
        r"\bincline push ?ups?\b|\bfeet elevated\b|\bstep ?ups?\b",
        [["bench"], ["box"]],
        BW,
    ),
    _rule("box", r"\bbox\b|\bdepth jump", [["box"]], "all"),
    _rule("exercise ball", r"\bexercise ball\b|\bstability ball\b", [["exercise_ball"]], BW),
    _rule("medicine ball", r"\bmedicine ball\b", [["medicine_ball"]], BW),
    _rule("back extension bench", r"\bhyperextensions?\b", [["back_extension_bench"]], BW),
    _rule(
        "suspension trainer or rings",
        r"\bsuspended\b|\bstraps\b|\brings?\b",
        [["suspension_trainer"]],
        BW,
    ),
    _rule(
        "bar in a rack or suspension trainer",
        r"\binverted rows?\b",
        [["barbell", "squat_rack"], ["suspension_trainer"]],
        BW,
    ),
    _rule("ab wheel", r"\bab roller\b|\bab wheel\b", [["ab_wheel"]], BW),
    _rule("resistance band", r"\bbands?\b", [["resistance_band"]], "all"),
    _rule("weight plate", r"\bplates?\b", [["weight_plate"]], BW),
    _rule("sled", r"\bsleds?\b|\bprowler\b", [["sled"]], BW),
    _rule("battle ropes", r"\bbattl(?:e|ing) ropes?\b", [["battle_ropes"]], BW),
    _rule("trap bar", r"\btrap bar\b", [["trap_bar"]], BW),
    _rule("dumbbells or kettlebells", r"\bfarmer", [["dumbbell"], ["kettlebell"]], BW),
    _rule("jump rope", r"\brope jumping\b|\bjump(?:ing)? rope\b", [["jump_rope"]], BW),
    _rule(
        "squat rack", r"^(?!.*\b(?:jump|hack)\b).*\b(?:squats?|rack)\b", [["squat_rack"]], "barbell"
    ),
)
NEGATION = re.compile(r"\b(?:with no|without|no)\b(.*)$")
SKIPS = (
    (
        "strongman or specialty implement",
        re.compile(
            r"\batlas stones?\b|\bkeg\b|\blog lift\b|\byoke\b|\btire\b|\bconan|\brickshaw\b"
            r"|\bcircus bell\b|\bsandbag\b|\baxle\b|\bcar deadlift\b|\bsledgehammer\b"
            r"|\bheavy bag\b|\bchains?\b|\bwrist roller\b|\bharness\b|\brope climb\b"
        ),
    ),
    ("needs a partner", re.compile(r"\bpartner\b|\bmanual\b")),
)
LOADS = {"resistance_band", "weight_plate", "medicine_ball", "dumbbell", "kettlebell"}
UNILATERAL = re.compile(
    r"\bone ?arm(?:ed)?\b|\bone ?leg(?:ged)?\b|\bsingle ?(?:arm|leg)\b|\balternat(?:e|ing)\b"
    r"|\bunilateral\b|\blunges?\b|\bsplit squats?\b|\bstep ?ups?\b|\bpistol\b|\bbulgarian\b"
)

# ---------------------------------------------------------------------------- timings

LEVEL_MAP = {"beginner": "beginner", "intermediate": "intermediate", "expert": "advanced"}
HEAVY = ("powerlifting", "olympic weightlifting", "strongman")
# (kind, source level) -> the reps the exercise can be done for: wide, since the goal
# picks within it (strength 3-6, hypertrophy 6-12, endurance 12-25); a harder source level
# reaches lower, and only light moves reach 25.
REPS = {
    "compound": {"beginner": (8, 20), "intermediate": (5, 20), "expert": (3, 20)},
    "isolation": {"beginner": (10, 25), "intermediate": (8, 25), "expert": (6, 20)},
    "plyometrics": {"beginner": (6, 15), "intermediate": (5, 15), "expert": (3, 12)},
    "heavy": {"beginner": (5, 15), "intermediate": (3, 15), "expert": (2, 12)},
}
SECONDS_PER_REP = {"compound": 3.0, "isolation": 2.5, "plyometrics": 1.5, "heavy": 4.0}
HOLD_STATIC = (20, 60)  # planks, isometrics
HOLD_TIMED = (30, 60)  # carries, ropes, cardio
SETUP_BY_ITEM = {
    "resistance_band": 5,
    "dumbbell": 5,
    "kettlebell": 5,
    "medicine_ball": 5,
    "exercise_ball": 5,
    "weight_plate": 5,
    "ab_wheel": 5,
    "jump_rope": 5,
    "pullup_bar": 5,
    "dip_bars": 5,
    "battle_ropes": 5,
    "bench": 8,
    "box": 8,
    "back_extension_bench": 8,
    "suspension_trainer": 10,
    "ez_bar": 10,
    "barbell": 10,
    "trap_bar": 10,
    "cable": 10,
    "machine": 15,
    "smith_machine": 15,
    "squat_rack": 15,
    "sled": 15,
}
SETUP_BODYWEIGHT = 3
SETUP_HEAVY_EXTRA = 10  # loading a bar for a heavy lift
