"""A coach's judge of routines that reads only the JSON document (schema 2.0).

It restates the coaching rules from docs/coaching.md and COACHING.md: the goal's rep ranges
and rests, the order of a session, what counts as back work. It never imports routinegen,
so a bug in the model cannot hide behind the same bug in the check.
"""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Any

# docs/coaching.md: the goal's reps on the main lifts (loaded multi-joint), and rests.
MAIN_REPS = {"endurance": (12, 25), "hypertrophy": (6, 12), "strength": (3, 6)}
STRENGTH_MAIN_REST = 120  # seconds, at least, between sets of a strength main lift
# Tier of a move in a session: power and skill first, conditioning last (order rule).
CORE = {"core_anti_extension", "core_rotation", "core_flexion", "carry"}
REGIONS = {
    "squat": "lower",
    "lunge": "lower",
    "hinge": "lower",
    "horizontal_push": "upper",
    "vertical_push": "upper",
    "horizontal_pull": "upper",
    "vertical_pull": "upper",
    "core_anti_extension": "core",
    "core_rotation": "core",
    "core_flexion": "core",
}
CONDITIONING_NAMES = re.compile(r"burpee|jumping jack", re.IGNORECASE)
RAISES = re.compile(r"front raise|lateral raise", re.IGNORECASE)
DYNAMIC = re.compile(r"jumping jack|mountain climber|bear crawl|high knee|burpee", re.IGNORECASE)


def main(doc: dict[str, Any]) -> list[dict[str, Any]]:
    exercises: list[dict[str, Any]] = doc["routine"]["blocks"]["main"]["exercises"]
    return exercises


def block(doc: dict[str, Any], name: str) -> list[dict[str, Any]]:
    exercises: list[dict[str, Any]] = doc["routine"]["blocks"][name]["exercises"]
    return exercises


def is_main_lift(item: dict[str, Any]) -> bool:
    return bool(item["loaded"]) and item["mechanic"] == "compound"


def floor_work(item: dict[str, Any]) -> bool:
    """Bodyweight work on the floor or a hold: what comes after the loaded lifts."""
    return item["equipment"] == "none" or item["dose"] == "hold"


def reps_problems(doc: dict[str, Any]) -> list[str]:
    """Loaded reps inside the goal's range, and not pinned to its ends when the range has
    round numbers inside (a prescription, not time filler)."""
    goal = doc["request"]["goal"]
    low, high = MAIN_REPS[goal]
    problems = []
    for item in main(doc):
        if item["dose"] != "reps" or not is_main_lift(item):
            continue
        reps = item["reps"]
        if not low <= reps <= high:
            problems.append(f"{item['id']}: {reps} reps outside {low}-{high}")
        elif high - low > 4 and reps in (low, high):
            problems.append(f"{item['id']}: {reps} reps pinned to the end of {low}-{high}")
        if not item["load_cue"] or "times" not in item["load_cue"]:
            problems.append(f"{item['id']}: a loaded lift without a load cue")
    return problems


def kettlebell_back_problems(doc: dict[str, Any]) -> list[str]:
    """make -m 15 -e kettlebell: a hinge and a row, no raise as back work, the lifts
    before the floor work, a warm-up."""
    items = main(doc)
    problems = reps_problems(doc)
    patterns = [item["pattern"] for item in items]
    if "hinge" not in patterns:
        problems.append(f"no hinge in {patterns}")
    if "horizontal_pull" not in patterns:
        problems.append(f"no row in {patterns}")
    problems += [f"{i['name']} as back work" for i in items if RAISES.search(i["name"])]
    lifts = [n for n, i in enumerate(items) if i["pattern"] in ("hinge", "horizontal_pull")]
    floor = [n for n, i in enumerate(items) if floor_work(i) and n not in lifts]
    if lifts and floor and max(lifts) > min(floor) and any(is_main_lift(items[n]) for n in lifts):
        loaded = [n for n in lifts if is_main_lift(items[n])]
        if loaded and max(loaded) > min(floor):
            problems.append("a loaded hinge or row comes after floor work")
    if not block(doc, "warmup"):
        problems.append("no warm-up")
    if doc["routine"]["format"] != "circuit":
        problems.append(f"format {doc['routine']['format']}, not the endurance circuit")
    return problems


def strength_gym_problems(doc: dict[str, Any]) -> list[str]:
    """-m 45 with a barbell, rack, bench and bar, full body, strength: a squat, a hinge, a
    horizontal press and a loaded pull; main lifts 3-6 reps with 2+ minutes of rest;
    compounds first; no burpees or jumping jacks."""
    items = main(doc)
    problems = reps_problems(doc)
    lifts = [i for i in items if is_main_lift(i)]
    wanted = {
        "a squat": lambda i: i["pattern"] in ("squat", "lunge"),
        "a hinge": lambda i: i["pattern"] == "hinge",
        "a horizontal press": lambda i: i["pattern"] == "horizontal_push",
        "a loaded pull": lambda i: i["pattern"] in ("horizontal_pull", "vertical_pull"),
    }
    for what, test in wanted.items():
        if not any(test(i) for i in lifts):
            problems.append(f"no {what} among the main lifts {[i['id'] for i in lifts]}")
    for item in lifts:
        if item["rest_seconds"] < STRENGTH_MAIN_REST:
            problems.append(f"{item['id']}: {item['rest_seconds']} s rest on a main lift")
    problems += order_problems(items)
    problems += [
        f"{i['name']} in a strength session" for i in items if CONDITIONING_NAMES.search(i["name"])
    ]
    problems += [f"{i['id']} is conditioning" for i in items if i["pattern"] == "conditioning"]
    if doc["routine"]["format"] != "straight_sets":
        problems.append(f"format {doc['routine']['format']}, not straight sets")
    return problems


def conditioning_problems(doc: dict[str, Any]) -> list[str]:
    """-m 10 -e none --goal conditioning: intervals that alternate upper, lower and core,
    dynamic moves timed and only isometric ones held."""
    items = main(doc)
    problems = []
    if doc["routine"]["format"] != "intervals" or not doc["routine"]["interval"]:
        problems.append(f"format {doc['routine']['format']}, not intervals")
    regions = [REGIONS.get(i["pattern"] or "") for i in items]
    for wanted in ("upper", "lower", "core"):
        if wanted not in regions:
            problems.append(f"no {wanted} move in {regions}")
    for a, b in pairwise(regions):
        if a is not None and a == b:
            problems.append(f"two {a} moves in a row: {regions}")
    for item in items:
        if item["dose"] == "hold" and DYNAMIC.search(item["name"]):
            problems.append(f"{item['id']}: a dynamic move shown as a hold")
        if item["dose"] == "reps":
            problems.append(f"{item['id']}: reps in an interval block")
        if item["dose"] == "timed" and "work_seconds" not in item:
            problems.append(f"{item['id']}: timed work without its seconds")
    return problems


def order_problems(items: list[dict[str, Any]]) -> list[str]:
    """Multi-joint lifts before single-joint and core work (docs/coaching.md, order)."""
    problems, later = [], False
    for item in items:
        if item["mechanic"] == "isolation" or item["pattern"] in CORE or item["dose"] == "hold":
            later = True
        elif later and is_main_lift(item):
            problems.append(f"{item['id']}: a main lift after isolation or core work")
    return problems
