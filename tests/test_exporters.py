"""The built-in exporters render hand-built routines faithfully, validly and reproducibly."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pluggy
import pytest
from helpers.render import render_with
from helpers.results import EPOCH, make_coached_routine, make_routine
from icalendar import Calendar
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from routinegen.exporter import Exporter
from routinegen.hookspecs import PROJECT
from routinegen.output import document
from routinegen.plugins import ical as ical_plugin
from routinegen.plugins import json as json_plugin
from routinegen.plugins import text as text_plugin
from routinegen.results import Routine, SolverInfo


@pytest.fixture
def routine() -> Routine:
    return make_routine()


@pytest.fixture
def feasible(routine: Routine) -> Routine:
    """The same routine, but CP-SAT hit its time limit before proving optimality."""
    return dataclasses.replace(routine, solver=SolverInfo("FEASIBLE", 10.0, 4100))


@pytest.fixture
def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = document.load_schema()
    return loaded


def _ical(r: Routine, **options: Any) -> bytes:
    out = render_with(ical_plugin, r, **options)
    assert isinstance(out, bytes)
    return out


def _text(r: Routine) -> str:
    out = render_with(text_plugin, r)
    assert isinstance(out, str)
    return out


def _json(r: Routine, **options: Any) -> str:
    out = render_with(json_plugin, r, **options)
    assert isinstance(out, str)
    return out


# --- registration ---------------------------------------------------------------------


def test_each_plugin_registers_its_exporter() -> None:
    from routinegen import hookspecs

    pm = pluggy.PluginManager(PROJECT)
    pm.add_hookspecs(hookspecs)
    for module in (text_plugin, json_plugin, ical_plugin):
        pm.register(module)
    found: list[Exporter] = []
    register: Callable[[Exporter], None] = found.append
    pm.hook.routinegen_register_exporters(register=register)
    by_name = {e.name: e for e in found}
    assert set(by_name) == {"text", "json", "ical"}
    assert (by_name["ical"].extension, by_name["ical"].media_type) == ("ics", "text/calendar")
    assert (by_name["json"].extension, by_name["json"].media_type) == ("json", "application/json")
    assert (by_name["text"].extension, by_name["text"].media_type) == ("txt", "text/plain")
    assert [o.name for o in by_name["ical"].options.fields()] == ["alarm_minutes"]
    assert [o.name for o in by_name["json"].options.fields()] == ["indent"]


# --- json / schema ----------------------------------------------------------------------


def test_schema_is_a_valid_draft_2020_12_schema(schema: dict[str, Any]) -> None:
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert "routine" in schema["$defs"]
    assert "SOURCE_DATE_EPOCH" in schema["description"]


@pytest.mark.parametrize("which", ["routine", "feasible"])
def test_json_output_validates(
    which: str, request: pytest.FixtureRequest, schema: dict[str, Any]
) -> None:
    r: Routine = request.getfixturevalue(which)
    doc = json.loads(_json(r))
    Draft202012Validator(schema).validate(doc)
    assert list(doc) == ["schema_version", "generator", "kind", "request", "routine", "solver"]
    assert doc["schema_version"] == document.SCHEMA_VERSION == "2.1"
    assert doc["kind"] == "routine"
    assert doc["generator"]["name"] == "routinegen"
    assert doc["request"]["focus"] == "back"
    assert doc["request"]["start"] == "2026-05-11T07:30:00+02:00"
    assert doc["routine"]["total_seconds"] == 855
    main = doc["routine"]["blocks"]["main"]["exercises"]
    assert [e["id"] for e in main] == [i.id for i in r.items]
    assert doc["routine"]["blocks"]["warmup"] == {"seconds": 0, "exercises": []}
    assert doc["solver"]["status"] == r.solver.status


def test_json_reps_and_hold_are_exclusive(routine: Routine, schema: dict[str, Any]) -> None:
    exercises = document.to_document(routine)["routine"]["blocks"]["main"]["exercises"]
    assert [("reps" in e, "hold_seconds" in e) for e in exercises] == [
        (True, False),
        (True, False),
        (False, True),
    ]
    assert exercises[0]["equipment"] == "kettlebell"
    assert exercises[2]["equipment"] == "none"
    assert exercises[1]["per_side"] is True
    validator = Draft202012Validator(schema)
    both = json.loads(_json(routine))
    both["routine"]["blocks"]["main"]["exercises"][0]["hold_seconds"] = 30
    with pytest.raises(ValidationError):
        validator.validate(both)
    neither = json.loads(_json(routine))
    del neither["routine"]["blocks"]["main"]["exercises"][2]["hold_seconds"]
    with pytest.raises(ValidationError):
        validator.validate(neither)


def test_schema_accepts_unknown_fields(routine: Routine, schema: dict[str, Any]) -> None:
    """Forward compatibility: a 2.x reader must accept a later 2.y document's new fields."""
    validator = Draft202012Validator(schema)
    paths: tuple[tuple[str | int, ...], ...] = (
        (),
        ("request",),
        ("routine",),
        ("solver",),
        ("solver", "proof"),
        ("routine", "blocks"),
        ("routine", "blocks", "warmup"),
        ("routine", "blocks", "main", "exercises", 0),
        ("routine", "blocks", "main", "exercises", 0, "muscles"),
        ("routine", "blocks", "main", "exercises", 0, "reps_in_reserve"),
    )
    coached = make_coached_routine()
    for path in paths:
        doc: Any = json.loads(_json(coached))
        target = doc
        for key in path:
            target = target[key]
        target["surprise"] = 1
        validator.validate(doc)


def test_item_with_both_reps_and_hold_is_refused(routine: Routine) -> None:
    bad = dataclasses.replace(routine.items[0], work_seconds=30, dose="hold")
    with pytest.raises(ValueError, match="exactly one"):
        document.to_document(dataclasses.replace(routine, items=(bad,)))


def test_json_indent_option(routine: Routine) -> None:
    assert _json(routine).startswith('{\n  "schema_version"')
    assert _json(routine, indent=4).startswith('{\n    "schema_version"')
    assert _json(routine).endswith("}\n")


def test_json_wall_time_only_without_source_date_epoch(
    routine: Routine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert json.loads(_json(routine))["solver"]["wall_seconds"] == pytest.approx(1.235)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    assert json.loads(_json(routine))["solver"]["wall_seconds"] is None


def test_json_byte_identical_under_source_date_epoch(
    routine: Routine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    slower = dataclasses.replace(
        routine, solver=dataclasses.replace(routine.solver, wall_seconds=9)
    )
    assert _json(routine).encode() == _json(slower).encode()


# --- text -------------------------------------------------------------------------------


def test_text_card(routine: Routine) -> None:
    card = _text(routine)
    lines = card.splitlines()
    assert lines[0] == "Back routine (15 min)"
    assert "Equipment: kettlebell" in lines
    assert "Level: beginner" in lines
    assert "3 rounds, rest 15 s between exercises and 60 s between rounds." in lines
    assert any(line.strip() == "1. Deadlift — 20 reps (kettlebell)" for line in lines)
    right = [ln for ln in lines if "Single-Arm Row, right — 10 reps (kettlebell)" in ln]
    left = [ln for ln in lines if "Single-Arm Row, left — 10 reps (kettlebell)" in ln]
    assert len(right) == len(left) == 1
    assert lines.index(left[0]) == lines.index(right[0]) + 1
    hold = [ln for ln in lines if "Hip Bridge Hold — 30 s hold" in ln]
    assert len(hold) == 1 and "(" not in hold[0]  # bodyweight: no equipment shown
    assert "Total time: 14:15 (budget 15:00)" in lines
    for name in ("Latissimus Dorsi", "Rhomboids", "Trapezius", "Erector Spinae"):
        assert any(line.strip().startswith(name) for line in lines), name
    lats = next(line for line in lines if "Latissimus Dorsi" in line)
    assert "7:30" in lats and "#" * 20 in lats
    assert "Proven optimal" in card
    assert "not proven optimal" not in card
    assert "1.23" not in card  # no wall time
    assert all(len(line) <= 80 for line in lines)
    assert card.endswith("\n")


def test_text_order_follows_routine(routine: Routine) -> None:
    card = _text(routine)
    positions = [card.index(name) for name in ("Deadlift", "Single-Arm Row", "Hip Bridge")]
    assert positions == sorted(positions)
    reversed_card = _text(dataclasses.replace(routine, items=routine.items[::-1]))
    assert reversed_card.index("Hip Bridge") < reversed_card.index("Deadlift")


def test_text_says_when_not_proven_optimal(feasible: Routine) -> None:
    card = _text(feasible)
    assert "Best routine found within the time limit; it is not proven optimal." in card
    assert "Proven optimal" not in card


def test_text_is_stable_regardless_of_wall_time(routine: Routine) -> None:
    slower = dataclasses.replace(
        routine, solver=dataclasses.replace(routine.solver, wall_seconds=9)
    )
    assert _text(routine) == _text(slower)


# --- ical -------------------------------------------------------------------------------


def _event(data: bytes) -> Any:
    cal = Calendar.from_ical(data)
    events = cal.walk("VEVENT")
    assert len(events) == 1
    return events[0]


def test_ical_structure(routine: Routine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    data = _ical(routine)
    assert data.endswith(b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")  # only CRLF line endings
    physical = data.split(b"\r\n")[:-1]
    assert max(len(line) for line in physical) <= 75
    assert physical[0] == b"BEGIN:VCALENDAR"
    cal = Calendar.from_ical(data)
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["PRODID"]).startswith("-//routinegen//routinegen ")
    assert str(cal["CALSCALE"]) == "GREGORIAN"
    event = _event(data)
    for prop in ("UID", "DTSTAMP", "DTSTART"):
        assert prop in event
    assert str(event["UID"]).endswith("@routinegen")
    assert b"DTSTAMP:20260101T000000Z\r\n" in data
    assert event.decoded("DTSTAMP") == datetime(2026, 1, 1, tzinfo=UTC)
    assert str(event["SUMMARY"]) == "Back routine (15 min)"
    assert b"DTSTART;TZID=Europe/Berlin:20260511T073000\r\n" in data
    assert event.decoded("DTSTART") == routine.request.start
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Berlin"]
    end = (
        event.decoded("DTEND")
        if "DTEND" in event
        else event.decoded("DTSTART") + event.decoded("DURATION")
    )
    assert end - event.decoded("DTSTART") == timedelta(seconds=routine.total_seconds)
    description = str(event["DESCRIPTION"])
    assert "3 rounds" in description
    assert "Single-Arm Row, right — 10 reps" in description
    assert "Single-Arm Row, left — 10 reps" in description
    assert "Hip Bridge Hold — 30 s hold" in description
    assert description.index("Deadlift") < description.index("Hip Bridge")


def test_ical_start_shown_in_requested_zone(routine: Routine) -> None:
    utc_start = dataclasses.replace(
        routine.request, start=datetime(2026, 5, 11, 5, 30, tzinfo=UTC), tz="America/New_York"
    )
    data = _ical(dataclasses.replace(routine, request=utc_start))
    assert b"DTSTART;TZID=America/New_York:20260511T013000\r\n" in data
    cal = Calendar.from_ical(data)
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["America/New_York"]


def test_ical_dtstamp_is_now_without_source_date_epoch(
    routine: Routine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    before = datetime.now(UTC).replace(microsecond=0)
    stamp = _event(_ical(routine)).decoded("DTSTAMP")
    assert stamp.utcoffset() == timedelta(0)
    assert before <= stamp <= datetime.now(UTC)


def test_ical_alarm(routine: Routine) -> None:
    alarms = _event(_ical(routine)).walk("VALARM")
    assert len(alarms) == 1
    assert str(alarms[0]["ACTION"]) == "DISPLAY"
    assert alarms[0].decoded("TRIGGER") == timedelta(minutes=-10)
    five = _event(_ical(routine, alarm_minutes=5)).walk("VALARM")
    assert five[0].decoded("TRIGGER") == timedelta(minutes=-5)
    assert _event(_ical(routine, alarm_minutes=0)).walk("VALARM") == []
    assert b"VALARM" not in _ical(routine, alarm_minutes=0)


def test_ical_byte_identical_under_source_date_epoch(
    routine: Routine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    assert _ical(routine) == _ical(routine)


def test_ical_uid_follows_the_routine(routine: Routine, feasible: Routine) -> None:
    uid = str(_event(_ical(routine))["UID"])
    assert str(_event(_ical(routine))["UID"]) == uid
    # Solver bookkeeping is not the workout: same exercises, same event.
    assert str(_event(_ical(feasible))["UID"]) == uid
    fewer_rounds = dataclasses.replace(routine, rounds=2, total_seconds=570)
    assert str(_event(_ical(fewer_rounds))["UID"]) != uid
    more_reps = dataclasses.replace(routine.items[0], reps=21)
    changed = dataclasses.replace(routine, items=(more_reps, *routine.items[1:]))
    assert str(_event(_ical(changed))["UID"]) != uid


def test_ical_needs_a_start(routine: Routine) -> None:
    unscheduled = dataclasses.replace(
        routine, request=dataclasses.replace(routine.request, start=None)
    )
    with pytest.raises(ValueError, match="the ical exporter needs a start time"):
        render_with(ical_plugin, unscheduled)
    # JSON is fine without one.
    assert json.loads(_json(unscheduled))["request"]["start"] is None
