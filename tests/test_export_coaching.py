"""Coaching results (issue 13) through the json, text and ical exporters: a warm-up, a
straight-sets main block, timed work, holds, a cool-down, avoided tags and a proof, each read
back with the format's own decoder (json + the schema, icalendar)."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest
from helpers.render import render_with
from helpers.results import make_coached_routine, make_interval_routine, make_routine
from icalendar import Calendar
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from routinegen import wording
from routinegen.output import document
from routinegen.plugins import ical as ical_plugin
from routinegen.plugins import json as json_plugin
from routinegen.plugins import text as text_plugin
from routinegen.results import Routine

ITEM_KEYS = [
    "id",
    "name",
    "equipment",
    "block",
    "pattern",
    "mechanic",
    "loaded",
    "dose",
    "sets",
    "AMOUNT",
    "per_side",
    "switch_seconds",
    "seconds",
    "rest_seconds",
    "reps_in_reserve",
    "load_cue",
    "muscles",
    "cues",
]


@pytest.fixture
def coached() -> Routine:
    return make_coached_routine()


@pytest.fixture
def validator() -> Draft202012Validator:
    return Draft202012Validator(document.load_schema())


def _doc(result: Routine) -> Any:
    out = render_with(json_plugin, result)
    assert isinstance(out, str)
    return json.loads(out)


def _text(result: Routine) -> str:
    out = render_with(text_plugin, result)
    assert isinstance(out, str)
    return out


def _description(result: Routine) -> str:
    out = render_with(ical_plugin, result)
    assert isinstance(out, bytes)
    (event,) = Calendar.from_ical(out).walk("VEVENT")
    return str(event["DESCRIPTION"])


# --- json -------------------------------------------------------------------------------


def test_the_document_has_three_blocks_in_order(
    coached: Routine, validator: Draft202012Validator
) -> None:
    doc = _doc(coached)
    validator.validate(doc)
    body = doc["routine"]
    assert list(body) == [
        "format",
        "budget_seconds",
        "total_seconds",
        "rounds",
        "rest_seconds",
        "round_rest_seconds",
        "interval",
        "blocks",
        "coverage",
        "hard_sets",
    ]
    assert body["format"] == "straight_sets" and body["interval"] is None
    assert list(body["blocks"]) == ["warmup", "main", "cooldown"]
    seconds = {name: block["seconds"] for name, block in body["blocks"].items()}
    assert seconds == {"warmup": 140, "main": 2185 - 140 - 125, "cooldown": 125}
    assert sum(seconds.values()) == body["total_seconds"]
    for name, items in (("warmup", coached.warmup), ("main", coached.items)):
        listed = body["blocks"][name]["exercises"]
        assert [e["id"] for e in listed] == [i.id for i in items]
        assert {e["block"] for e in listed} == {name}
    assert body["hard_sets"] == {"quads": 4, "glutes": 7, "hamstrings": 3, "lats": 4.5, "abs": 2}


def test_each_item_carries_its_prescription(coached: Routine) -> None:
    blocks = _doc(coached)["routine"]["blocks"]
    squat, _rdl, row, plank = blocks["main"]["exercises"]
    assert [
        k if k not in ("reps", "hold_seconds", "work_seconds") else "AMOUNT" for k in squat
    ] == (ITEM_KEYS)
    assert squat["pattern"] == "squat" and squat["mechanic"] == "compound" and squat["loaded"]
    assert (squat["dose"], squat["sets"], squat["reps"], squat["rest_seconds"]) == (
        "reps",
        4,
        5,
        180,
    )
    assert squat["reps_in_reserve"] == {"min": 2, "max": 3}
    assert squat["load_cue"] == "a weight you could lift about 8 times"
    assert squat["muscles"] == {
        "primary": ["quads", "glutes"],
        "secondary": ["erectors"],
        "shares": {"quads": 1, "glutes": 1, "erectors": 0.5},
    }
    assert squat["cues"] == ["brace before you descend", "knees over toes"]
    assert (row["per_side"], row["switch_seconds"]) == (True, 5)
    assert (plank["dose"], plank["hold_seconds"], plank["reps_in_reserve"]) == ("hold", 40, None)
    assert plank["load_cue"] is None and not plank["loaded"]
    jack = blocks["warmup"]["exercises"][0]
    assert (jack["dose"], jack["work_seconds"]) == ("timed", 60)
    assert "hold_seconds" not in jack and "reps" not in jack
    stretch = blocks["cooldown"]["exercises"][0]
    assert (stretch["dose"], stretch["hold_seconds"], stretch["per_side"]) == ("hold", 30, True)


def test_the_amount_key_follows_the_dose(coached: Routine, validator: Draft202012Validator) -> None:
    """Exactly one of reps / hold_seconds / work_seconds, the one the dose names."""
    for block in ("warmup", "main", "cooldown"):
        for item in _doc(coached)["routine"]["blocks"][block]["exercises"]:
            keys = {"reps", "hold_seconds", "work_seconds"} & set(item)
            assert keys == {document.AMOUNT_KEYS[item["dose"]]}
    wrong: list[tuple[str, Any]] = [
        ("dose", "hold"),  # a timed move's work_seconds under a hold
        ("block", "middle"),
        ("mechanic", "machine"),
        ("sets", 0),
        ("reps_in_reserve", [2, 3]),
        ("loaded", "yes"),
    ]
    for key, value in wrong:
        doc = _doc(coached)
        doc["routine"]["blocks"]["warmup"]["exercises"][0][key] = value
        with pytest.raises(ValidationError):
            validator.validate(doc)
    doc = _doc(coached)
    doc["routine"]["blocks"]["warmup"]["exercises"][0]["reps"] = 10  # two amounts
    with pytest.raises(ValidationError):
        validator.validate(doc)
    doc = _doc(coached)
    doc["routine"]["format"] = "amrap"
    with pytest.raises(ValidationError):
        validator.validate(doc)


def test_a_dose_without_its_amount_is_refused(coached: Routine) -> None:
    timed_with_reps = dataclasses.replace(coached.warmup[0], reps=10, work_seconds=None)
    with pytest.raises(ValueError, match="exactly one"):
        document.to_document(dataclasses.replace(coached, warmup=(timed_with_reps,)))
    unknown = dataclasses.replace(coached.warmup[0], dose="amrap")
    with pytest.raises(ValueError, match="unknown dose kind"):
        document.to_document(dataclasses.replace(coached, warmup=(unknown,)))


def test_the_request_echoes_goal_avoid_and_blocks(coached: Routine) -> None:
    request = _doc(coached)["request"]
    assert list(request)[-4:] == ["goal", "avoid", "warmup", "cooldown"]
    assert (request["goal"], request["avoid"]) == ("strength", ["spinal_flexion", "impact"])
    assert (request["warmup"], request["cooldown"]) == (True, True)
    off = _doc(make_interval_routine())["request"]
    assert (off["goal"], off["avoid"], off["warmup"], off["cooldown"]) == (
        "conditioning",
        [],
        False,
        False,
    )


def test_the_solver_states_what_was_proven(coached: Routine) -> None:
    solver = _doc(coached)["solver"]
    assert list(solver) == ["status", "wall_seconds", "objective", "bound", "proof", "proof_scope"]
    assert solver["proof"] == {
        "objective": "the hard sets of the least-trained focus muscle",
        "unit": "hard sets",
        "best": 2.5,
        "value": 2,
        "tolerance": 0.5,
        "proven": True,
        "patterns_covered": ["squat", "hinge", "pull", "core"],
        "patterns_missing": ["push: no push fits the time left"],
    }
    scope = solver["proof_scope"]
    assert scope.count(".") == 1 and scope.endswith("not optimised.")
    assert "warm-up" in scope and "cool-down" in scope and "strength goal" in scope
    assert _doc(make_routine())["solver"]["proof"] is None
    assert _doc(make_routine())["solver"]["proof_scope"] is None


def test_intervals_give_their_work_and_rest(validator: Draft202012Validator) -> None:
    doc = _doc(make_interval_routine())
    validator.validate(doc)
    body = doc["routine"]
    assert body["format"] == "intervals"
    assert body["interval"] == {"work_seconds": 40, "rest_seconds": 20}
    assert body["blocks"]["warmup"]["exercises"] == body["blocks"]["cooldown"]["exercises"] == []
    items = body["blocks"]["main"]["exercises"]
    assert {(i["dose"], i["work_seconds"], i["sets"]) for i in items} == {("timed", 40, 3)}
    assert doc["solver"]["proof"]["proven"] is False


def test_the_coached_document_is_byte_identical_under_source_date_epoch(
    coached: Routine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    slower = dataclasses.replace(
        coached, solver=dataclasses.replace(coached.solver, wall_seconds=9)
    )
    assert render_with(json_plugin, coached) == render_with(json_plugin, slower)


# --- text -------------------------------------------------------------------------------


def test_the_card_shows_the_blocks_and_the_prescription(coached: Routine) -> None:
    card = _text(coached)
    lines = [line.strip() for line in card.splitlines()]
    assert "Goal: strength" in lines
    warm, main, cool = (
        lines.index(h)
        for h in (
            "Warm-up, 2 min 20 s:",
            "Main block: straight sets, 32 min:",
            "Cool-down, 2 min 5 s:",
        )
    )
    assert warm < main < cool
    assert "1. Jumping Jack — 60 s" in lines  # timed work: no "hold"
    assert "1. Back Squat — 4 x 5 reps (barbell + squat_rack)" in lines
    assert "rest 3 min between sets · RIR 2-3 · a weight you could lift about 8 times" in lines
    assert "cues: brace before you descend; knees over toes" in lines
    assert "3. Single-Arm Dumbbell Row — 3 x 8 reps a side (dumbbell + bench)" in lines
    assert any(line.startswith("5 s to switch sides · rest 90 s between sets") for line in lines)
    assert "4. Plank — 2 x 40 s hold" in lines
    assert "1. Hamstring Stretch — 30 s hold a side" in lines
    assert "2. Easy Walk — 60 s" in lines
    assert lines.index("1. Jumping Jack — 60 s") < main < lines.index("4. Plank — 2 x 40 s hold")
    assert "Latissimus Dorsi: 4.5 hard sets" in lines
    assert "Avoids: spinal flexion, impact" in lines
    assert "Patterns not covered: push: no push fits the time left" in lines
    # A seed half a set below the best is not called optimal.
    assert "Proven optimal" not in card
    assert "Proven near-optimal: 0.5 hard sets short of the best routine" in card
    assert all(len(line) <= 80 for line in card.splitlines())


def test_the_card_tells_timed_work_from_a_hold() -> None:
    card = _text(make_interval_routine())
    assert "Main block: intervals 40 s on / 20 s off, 3 rounds, 10 min:" in card
    assert "1. Burpee — 40 s" in card and "hold" not in card
    assert "Warm-up" not in card and "Cool-down" not in card
    assert card.count("not proven optimal") == 1


def test_a_circuit_in_blocks_numbers_both_sides_once(coached: Routine) -> None:
    circuit = dataclasses.replace(make_routine(), warmup=coached.warmup, cooldown=coached.cooldown)
    lines = [line.strip() for line in _text(circuit).splitlines()]
    assert "Main block: circuit, 3 rounds, 9 min 50 s:" in lines
    assert "3 rounds, rest 15 s between exercises and 60 s between rounds." in lines
    assert "2. Single-Arm Row, right — 10 reps (kettlebell)" in lines
    assert "Single-Arm Row, left — 10 reps (kettlebell)" in lines


# --- ical -------------------------------------------------------------------------------


def test_the_event_description_carries_the_blocks(coached: Routine) -> None:
    description = _description(coached)
    lines = description.splitlines()
    heads = [wording.block_heading(coached, b) + ":" for b in ("warmup", "main", "cooldown")]
    positions = [lines.index(h) for h in heads]
    assert positions == sorted(positions)
    assert "1. Jumping Jack — 60 s" in lines
    assert "1. Back Squat — 4 x 5 reps (barbell + squat_rack)" in lines
    assert "   rest 3 min between sets · RIR 2-3 · a weight you could lift about 8 times" in lines
    assert "4. Plank — 2 x 40 s hold" in lines
    assert "1. Hamstring Stretch — 30 s hold a side" in lines
    assert "Avoids: spinal flexion, impact" in lines
    assert lines[-1] == "Total time: 36:25."
    assert "proven" not in description.lower()


def test_an_interval_event_says_timed_work_is_not_a_hold() -> None:
    routine = make_interval_routine()
    routine = dataclasses.replace(
        routine, request=dataclasses.replace(make_routine().request, goal="conditioning")
    )
    description = _description(routine)
    assert "Main block: intervals 40 s on / 20 s off, 3 rounds, 10 min:" in description
    assert "1. Burpee — 40 s" in description and " hold" not in description
    assert description.endswith(ical_plugin.NOT_PROVEN_ROUTINE)


# --- the shared wording -------------------------------------------------------------------


def test_the_prescription_wording_is_public_and_says_a_hold_only_for_holds(
    coached: Routine,
) -> None:
    jack, drill, _ = coached.warmup
    squat, _, row, plank = coached.items
    assert [wording.amount_words(i) for i in (jack, drill, plank)] == [
        "60 s",
        "10 reps",
        "40 s hold",
    ]
    assert wording.dose_words(row) == "3 x 8 reps a side"
    assert wording.dose_words(row, per_round=True) == "8 reps a side"
    assert wording.rest_words(squat) == "rest 3 min between sets"
    assert wording.effort_words(squat) == "RIR 2-3" and wording.effort_words(plank) == ""
    assert wording.load_words(squat) == "a weight you could lift about 8 times"
    assert wording.switch_words(row) == "5 s to switch sides"
    assert [wording.seconds_words(s) for s in (45, 90, 120, 150)] == [
        "45 s",
        "90 s",
        "2 min",
        "2 min 30 s",
    ]
    assert [wording.number_words(n) for n in (4.0, 4.5, 1 / 3)] == ["4", "4.5", "0.33"]
    assert wording.format_words(coached) == "straight sets"
    assert wording.format_words(make_routine()) == "circuit, 3 rounds"
    assert wording.format_words(make_interval_routine()) == (
        "intervals 40 s on / 20 s off, 3 rounds"
    )
    assert wording.block_times(coached) == {"warmup": 140, "main": 1920, "cooldown": 125}
    assert wording.avoid_words(make_routine().request) == ""
    assert wording.status_words(True, "routine") == (
        "Proven optimal: no routine fits these limits better."
    )
    for name in ("dose_words", "rest_words", "format_words", "session_lines", "proof_scope"):
        assert name in wording.__all__
