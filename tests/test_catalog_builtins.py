"""The built-in catalogs are honest: the seed's pairings weighted the way the body works,
dynamic work timed, the gym lifts a coach expects, and warm-up and cool-down moves for
every focus muscle. Facts from ../shared/design/COACHING.md."""

from __future__ import annotations

from typing import Any

import pytest

from routinegen.catalog import builtin_catalogs, load_catalog
from routinegen.catalog.exercise import NOT_A_LOAD
from routinegen.catalog.records import SAFETY_TAGS, Catalog, Exercise
from routinegen.sources.files import parse_yaml

# Every pairing of the seed article: muscle -> the exercises that "fire it up".
SEED = {
    "lats": [
        "lat_pulldown",
        "overhead_lat_pullover",
        "pull_up",
        "bent_over_row",
        "deadlift",
        "renegade_row",
    ],
    "rhomboids": [
        "wall_slide",
        "scapular_retraction",
        "rear_delt_fly",
        "superman_pull",
        "prone_snow_angel",
        "face_pull",
        "front_raise_thumbs_up",
    ],
    "traps": [
        "farmer_carry",
        "pull_up_shrug",
        "barbell_shrug",
        "lateral_raise",
        "bent_over_row",
        "overhead_carry",
        "superman",
    ],
    "erector_spinae": [
        "deadlift",
        "bent_over_row",
        "good_morning",
        "back_extension",
        "hip_bridge",
        "superman",
        "kettlebell_swing",
        "frog_lift",
    ],
}


@pytest.fixture(scope="module")
def catalogs() -> dict[str, Catalog]:
    return {name: load_catalog(name) for name in builtin_catalogs()}


@pytest.fixture(scope="module")
def full(catalogs: dict[str, Catalog]) -> dict[str, Exercise]:
    return {e.id: e for e in catalogs["full-body"].exercises}


def raw_exercises() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for name, entry in builtin_catalogs().items():
        data = parse_yaml(entry.read_text(encoding="utf-8"), name).data
        out += [(name, raw) for raw in data["exercises"]]
    return out


def test_builtins_are_format_2_and_fill_every_field() -> None:
    for name, entry in builtin_catalogs().items():
        assert parse_yaml(entry.read_text(encoding="utf-8"), name).data["format"] == 2
    for name, raw in raw_exercises():
        where = f"{name}: {raw['id']}"
        for key in ("pattern", "mechanic", "loaded", "skill", "power", "tags", "role"):
            assert key in raw, f"{where} leaves out {key}"
        if raw["role"] == "main":
            assert 1 <= len(raw.get("cues", [])) <= 2, where
        for cue in raw.get("cues", []):
            assert cue[0].isupper() and cue.endswith("."), f"{where}: {cue!r}"


def test_seed_pairings_are_kept(full: dict[str, Exercise]) -> None:
    for muscle, ids in SEED.items():
        for exercise_id in ids:
            exercise = full[exercise_id]
            assert exercise.share(muscle) > 0, f"{exercise_id} lost {muscle}"


def test_seed_pairings_are_weighted_honestly(full: dict[str, Exercise]) -> None:
    deadlift = full["deadlift"]
    assert "lats" in deadlift.secondary and "erector_spinae" in deadlift.primary
    front = full["front_raise_thumbs_up"]
    assert front.primary == ("shoulders",) and "rhomboids" in front.secondary
    assert front.share("rhomboids") < 0.5  # it only steadies the shoulder blade
    lateral = full["lateral_raise"]
    assert lateral.primary == ("shoulders",) and "traps" in lateral.secondary
    assert "erector_spinae" in full["kettlebell_swing"].secondary
    assert "shoulders" in full["rear_delt_fly"].primary
    # No shoulder raise is back work: none lists a back muscle as primary.
    back = set(load_catalog("back").groups["back"])
    for exercise_id in ("front_raise_thumbs_up", "lateral_raise", "rear_delt_fly"):
        assert not back & set(full[exercise_id].primary), exercise_id
    # Bodyweight back work for every back muscle, twice over (a week repeats a move at most
    # twice, so three bodyweight sessions need two of each).
    for muscle in back:
        moves = [e for e in full.values() if e.role == "main" and e.bodyweight]
        assert sum(muscle in e.primary for e in moves) >= 2, muscle
    for row in ("bent_over_row", "barbell_row", "seated_row", "chest_supported_row"):
        assert {"lats", "rhomboids"} <= set(full[row].primary), row


def test_dynamic_moves_are_timed_and_only_isometric_ones_held(full: dict[str, Exercise]) -> None:
    for exercise_id in ("jumping_jack", "bear_crawl", "mountain_climber", "high_knees"):
        assert full[exercise_id].dose == "timed", exercise_id
    for exercise_id in ("jump_rope", "flutter_kick", "farmer_carry", "suitcase_carry"):
        assert full[exercise_id].dose == "timed", exercise_id
    for exercise_id in ("plank", "wall_sit", "hip_bridge_hold", "side_plank", "dead_hang"):
        assert full[exercise_id].dose == "hold", exercise_id
    for exercise in full.values():
        if exercise.dose == "hold":
            assert exercise.pattern not in ("conditioning", "carry"), exercise.id
        if exercise.pattern == "carry":
            assert exercise.dose == "timed", exercise.id


def test_conditioning_moves(full: dict[str, Exercise]) -> None:
    for exercise_id in ("burpee", "jumping_jack", "mountain_climber", "bear_crawl", "jump_rope"):
        assert full[exercise_id].pattern == "conditioning", exercise_id
    conditioning = [e for e in full.values() if e.pattern == "conditioning" and e.role == "main"]
    assert sum(e.dose == "timed" for e in conditioning) >= 6  # intervals need timed work


GYM = {  # id -> a way to do it that a gym has
    "back_squat": {"barbell", "squat_rack"},
    "front_squat": {"barbell", "squat_rack"},
    "barbell_deadlift": {"barbell"},
    "romanian_deadlift": {"barbell"},
    "bench_press": {"barbell", "bench"},
    "incline_bench_press": {"barbell", "bench"},
    "dumbbell_bench_press": {"dumbbell", "bench"},
    "incline_dumbbell_press": {"dumbbell", "bench"},
    "overhead_press": {"barbell"},
    "barbell_row": {"barbell"},
    "seated_row": {"cable"},
    "lat_pulldown": {"cable"},
    "hip_thrust": {"barbell", "bench"},
    "goblet_squat": {"dumbbell"},
    "weighted_lunge": {"dumbbell"},
    "bent_over_row": {"dumbbell"},
    "face_pull": {"cable"},
}
STRENGTH_LIFTS = ("back_squat", "front_squat", "barbell_deadlift", "bench_press", "overhead_press")


def test_the_gym_lifts_are_there(full: dict[str, Exercise]) -> None:
    catalog = load_catalog("full-body")
    assert "squat_rack" in catalog.equipment
    for exercise_id, way in GYM.items():
        exercise = full[exercise_id]
        assert frozenset(way) in exercise.equipment, exercise_id
        assert exercise.loaded and exercise.role == "main", exercise_id
        assert exercise.mechanic == "compound", exercise_id
    for exercise_id in STRENGTH_LIFTS:  # wide enough for strength (3-6) and size (6-12)
        low, high = full[exercise_id].reps or (0, 0)
        assert low <= 3 and high >= 12, exercise_id
    for exercise_id in ("pull_up", "chin_up"):
        assert full[exercise_id].equipment == (frozenset({"pullup_bar"}),)
        assert full[exercise_id].pattern == "vertical_pull"
    assert full["back_squat"].level == "beginner"  # a beginner with a rack may squat
    patterns = {e.pattern for e in full.values() if e.loaded and e.role == "main"}
    assert {"squat", "hinge", "lunge", "horizontal_push", "vertical_push"} <= patterns
    assert {"horizontal_pull", "vertical_pull", "carry"} <= patterns


def test_power_skill_and_safety(full: dict[str, Exercise]) -> None:
    for exercise_id in ("kettlebell_swing", "kettlebell_clean", "kettlebell_snatch", "box_jump"):
        assert full[exercise_id].power, exercise_id
    assert full["jump_squat"].power and full["power_clean"].power
    for exercise_id in ("muscle_up", "kettlebell_snatch", "turkish_get_up", "pistol_squat"):
        assert full[exercise_id].skill == "high", exercise_id
    for exercise in full.values():
        assert exercise.tags <= set(SAFETY_TAGS), exercise.id
        free_weight = any(way & {"barbell", "dumbbell", "kettlebell"} for way in exercise.equipment)
        loaded_lift = exercise.loaded and exercise.mechanic == "compound" and free_weight
        resting = exercise.id == "hip_thrust"  # the load rests on the hips, the back on a bench
        if loaded_lift and exercise.pattern in ("squat", "hinge") and not resting:
            assert "spinal_loading" in exercise.tags, exercise.id
        if exercise.pattern == "conditioning" and "jump" in exercise.id:
            assert "impact" in exercise.tags, exercise.id
    for exercise_id in ("crunch", "sit_up", "v_up", "bicycle_crunch"):
        assert "spinal_flexion" in full[exercise_id].tags, exercise_id
    for exercise_id in ("jumping_jack", "burpee", "jump_squat", "box_jump", "jump_rope"):
        assert "impact" in full[exercise_id].tags, exercise_id
    for exercise_id in ("overhead_press", "kettlebell_snatch", "wall_handstand_hold"):
        assert "overhead" in full[exercise_id].tags, exercise_id
    for exercise_id in ("back_squat", "goblet_squat", "pistol_squat", "bulgarian_split_squat"):
        assert "deep_knee_flexion" in full[exercise_id].tags, exercise_id
    assert "wrist_loading" in full["push_up"].tags and "grip" in full["dead_hang"].tags


def test_loaded_agrees_with_the_equipment(full: dict[str, Exercise]) -> None:
    for exercise in full.values():
        has_load = any(item not in NOT_A_LOAD for way in exercise.equipment for item in way)
        if exercise.loaded:
            assert has_load, exercise.id
        elif exercise.id != "inverted_row":  # its barbell is a fixed bar in the rack
            assert not has_load, exercise.id
    assert not full["inverted_row"].loaded


@pytest.mark.parametrize("name", ["back", "full-body"])
def test_every_focus_muscle_has_a_stretch(catalogs: dict[str, Catalog], name: str) -> None:
    catalog = catalogs[name]
    focus = {m for members in catalog.groups.values() for m in members}
    stretched = {m for e in catalog.exercises if e.role == "cooldown" for m in e.primary}
    assert focus <= stretched, sorted(focus - stretched)


@pytest.mark.parametrize("name", ["back", "full-body"])
def test_warmup_and_cooldown_moves(catalogs: dict[str, Catalog], name: str) -> None:
    catalog = catalogs[name]
    warmups = [e for e in catalog.exercises if e.role == "warmup"]
    cooldowns = [e for e in catalog.exercises if e.role == "cooldown"]
    for exercise in warmups + cooldowns:
        assert exercise.way_with([]) == frozenset(), f"{exercise.id} needs equipment"
        assert not exercise.loaded and exercise.skill == "low" and exercise.level == "beginner"
    for exercise in cooldowns:
        assert exercise.pattern == "mobility" and exercise.dose == "hold", exercise.id
    patterns = {e.pattern for e in warmups}
    assert "conditioning" in patterns  # a raise move
    assert {"hinge", "horizontal_pull", "vertical_pull"} <= patterns
    if name == "full-body":
        assert {"squat", "lunge", "horizontal_push", "vertical_push", "mobility"} <= patterns
    for exercise in warmups:
        assert exercise.dose != "hold", f"{exercise.id}: a warm-up is dynamic"
