"""The built-in exporters render hand-built weekly plans faithfully, validly and reproducibly.

The plan below spans the end of daylight-saving time in Berlin (25 Oct 2026): its sessions
are all at 07:00 local time, so their UTC offsets differ while the wall-clock time must not.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from helpers.render import render_with
from helpers.results import EPOCH, make_coached_plan, make_plan, make_routine
from icalendar import Calendar
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from routinegen.output import document
from routinegen.plugins import ical as ical_plugin
from routinegen.plugins import json as json_plugin
from routinegen.plugins import text as text_plugin
from routinegen.results import (
    Plan,
    Routine,
    RoutineItem,
    SolverInfo,
)


@pytest.fixture
def plan() -> Plan:
    return make_plan()


@pytest.fixture
def feasible_plan(plan: Plan) -> Plan:
    return dataclasses.replace(plan, solver=SolverInfo("FEASIBLE", 30.0, 8800))


@pytest.fixture
def validator() -> Draft202012Validator:
    return Draft202012Validator(document.load_schema())


def _json(result: Routine | Plan, **options: Any) -> str:
    out = render_with(json_plugin, result, **options)
    assert isinstance(out, str)
    return out


def _text(result: Routine | Plan) -> str:
    out = render_with(text_plugin, result)
    assert isinstance(out, str)
    return out


def _ical(result: Routine | Plan, **options: Any) -> bytes:
    out = render_with(ical_plugin, result, **options)
    assert isinstance(out, bytes)
    return out


def _events(data: bytes) -> list[Any]:
    events: list[Any] = Calendar.from_ical(data).walk("VEVENT")
    return events


# --- json / schema ----------------------------------------------------------------------


def test_both_kinds_validate_against_one_schema(
    plan: Plan, feasible_plan: Plan, validator: Draft202012Validator
) -> None:
    Draft202012Validator.check_schema(document.load_schema())
    for result in (make_routine(), plan, feasible_plan):
        validator.validate(json.loads(_json(result)))
    schema = document.load_schema()
    refs = [branch["$ref"] for branch in schema["oneOf"]]
    assert refs == ["#/$defs/routine_document", "#/$defs/plan_document"]
    assert schema["$defs"]["session"]["properties"]["routine"] == {"$ref": "#/$defs/routine"}


def test_plan_document(plan: Plan, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    doc = json.loads(_json(plan))
    assert list(doc) == [
        "schema_version",
        "generator",
        "kind",
        "request",
        "plan",
        "sessions",
        "solver",
    ]
    assert doc["schema_version"] == document.SCHEMA_VERSION == "2.1"
    assert doc["kind"] == "plan"
    assert doc["generator"]["name"] == "routinegen"
    req = doc["request"]
    routine_request = json.loads(_json(make_routine()))["request"]
    assert list(req)[: len(routine_request)] == list(routine_request)
    assert req["focus"] == "back"
    assert req["focus_muscles"] == ["lats", "rhomboids", "traps", "erectors"]
    assert req["start"] == "2026-10-23T07:00:00+02:00"
    assert req["tz"] == "Europe/Berlin"
    assert {k: req[k] for k in list(req)[len(routine_request) :]} == {
        "days": ["mon", "fri=20"],
        "weeks": 2,
        "split": "upper-lower",
        "recovery_hours": 48,
        "max_repeats": 2,
        "progression": {"min": 0.05, "max": 0.1},
        "deload": False,
        "volume": {"lats": {"min": 10, "max": 20}, "erectors": {"min": 4, "max": 8}},
    }
    target = {"lats": {"min": 10, "max": 20}, "erectors": {"min": 4, "max": 8}}
    assert doc["plan"] == {
        "weeks": 2,
        "deload_weeks": [],
        "weekly_work_seconds": [1200, 700],
        "weekly_coverage": [
            {"lats": 450, "erectors": 420, "rhomboids": 240, "traps": 210},
            {"lats": 450, "rhomboids": 240, "traps": 210},
        ],
        "weekly_volume": [
            [
                {"muscle": "lats", "sets": 12.5, "target": target["lats"], "status": "in"},
                {"muscle": "erectors", "sets": 9, "target": target["erectors"], "status": "above"},
            ],
            [
                {"muscle": "lats", "sets": 6, "target": target["lats"], "status": "below"},
                {"muscle": "erectors", "sets": 0, "target": target["erectors"], "status": "below"},
            ],
        ],
        "progression": [
            {
                "session": "Fri upper",
                "exercise": "ex1",
                "name": "Exercise one",
                "weeks": [{"week": 1, "dose": "3 x 8"}, {"week": 2, "dose": "3 x 10"}],
            }
        ],
    }
    assert [(s["date"], s["start"], s["week"], s["focus"]) for s in doc["sessions"]] == [
        ("2026-10-23", "2026-10-23T07:00:00+02:00", 1, "upper"),
        ("2026-10-26", "2026-10-26T07:00:00+01:00", 1, "lower"),
        ("2026-10-30", "2026-10-30T07:00:00+01:00", 2, "upper"),
    ]
    assert doc["solver"] == {
        "status": "OPTIMAL",
        "wall_seconds": None,
        "objective": 9000,
        "bound": None,
        "proof": None,
        "proof_scope": None,
    }
    assert [s["proof"] for s in doc["sessions"]] == [None, None, None]


def test_session_routine_is_the_routine_documents_routine(plan: Plan) -> None:
    doc = json.loads(_json(plan))
    for entry, session in zip(doc["sessions"], plan.sessions, strict=True):
        alone = json.loads(_json(session.routine))["routine"]
        assert entry["routine"] == alone
        assert list(entry["routine"]) == list(alone)
    row = doc["sessions"][0]["routine"]["blocks"]["main"]["exercises"][1]
    assert (row["id"], row["per_side"], row["reps"]) == ("single-arm-row", True, 10)
    assert doc["sessions"][1]["routine"]["rounds"] == 2


def test_a_coached_session_carries_its_blocks_and_proof(validator: Draft202012Validator) -> None:
    """A plan session's routine is the same object as a routine document's, blocks, hard
    sets and all, and the session states its own proof."""
    plan = make_coached_plan()
    doc = json.loads(_json(plan))
    validator.validate(doc)
    first = doc["sessions"][0]
    alone = json.loads(_json(plan.sessions[0].routine))
    assert first["routine"] == alone["routine"]
    assert first["proof"] == alone["solver"]["proof"]
    assert first["proof"]["best"] == 2.5 and first["proof"]["value"] == 2
    blocks = first["routine"]["blocks"]
    assert [len(blocks[b]["exercises"]) for b in ("warmup", "main", "cooldown")] == [3, 4, 2]
    assert doc["sessions"][1]["proof"] is None


def test_plan_wall_time_only_without_source_date_epoch(
    plan: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert json.loads(_json(plan))["solver"]["wall_seconds"] == 2.5


@pytest.mark.parametrize(
    "path",
    [
        (),
        ("request",),
        ("request", "progression"),
        ("plan",),
        ("sessions", 0),
        ("sessions", 0, "routine"),
        ("sessions", 2, "routine", "blocks"),
        ("sessions", 2, "routine", "blocks", "main"),
        ("sessions", 2, "routine", "blocks", "main", "exercises", 1),
        ("solver",),
    ],
)
def test_plan_schema_accepts_unknown_fields(
    plan: Plan, validator: Draft202012Validator, path: tuple[str | int, ...]
) -> None:
    """Forward compatibility: a 2.x reader must accept a later 2.y document's new fields."""
    doc: Any = json.loads(_json(plan))
    target = doc
    for key in path:
        target = target[key]
    target["surprise"] = 1
    validator.validate(doc)


def test_schema_keeps_the_kinds_apart(plan: Plan, validator: Draft202012Validator) -> None:
    plan_doc = json.loads(_json(plan))
    routine_doc = json.loads(_json(make_routine()))
    mislabelled = {**plan_doc, "kind": "routine"}
    with pytest.raises(ValidationError):
        validator.validate(mislabelled)
    with pytest.raises(ValidationError):
        validator.validate({**routine_doc, "kind": "plan"})
    # A plan request needs all the plan rules.
    del plan_doc["request"]["deload"]
    with pytest.raises(ValidationError):
        validator.validate(plan_doc)
    no_sessions = {**json.loads(_json(plan)), "sessions": []}
    with pytest.raises(ValidationError):
        validator.validate(no_sessions)
    bad_date = json.loads(_json(plan))
    bad_date["sessions"][0]["date"] = "23.10.2026"
    with pytest.raises(ValidationError):
        validator.validate(bad_date)


def test_plan_needs_aware_session_starts(plan: Plan) -> None:
    naive = dataclasses.replace(plan.sessions[0], start=datetime(2026, 10, 23, 7, 0))
    bad = dataclasses.replace(plan, sessions=(naive, *plan.sessions[1:]))
    with pytest.raises(ValueError, match="timezone-aware"):
        document.to_document(bad)


# --- text -------------------------------------------------------------------------------


def test_text_plan_header_and_glance(plan: Plan) -> None:
    out = _text(plan)
    lines = out.splitlines()
    assert lines[:2] == ["Back plan (2 weeks, 3 sessions)", "=" * 31]
    for line in (
        "Focus: back",
        "Split: upper-lower",
        "Equipment: kettlebell",
        "Level: beginner",
        "Days: mon, fri=20",
        "Weeks: 2",
        "Week at a glance (times in Europe/Berlin):",
        "  Week 1 — total work 20:00",
        "  Week 2 — total work 11:40",
    ):
        assert line in lines, line
    glance = lines[lines.index("Week at a glance (times in Europe/Berlin):") :]
    header = glance[1].split()
    assert header == ["Day", "Date", "Time", "Min", "Focus", "Exercises"]
    rows = [ln.split() for ln in glance if ln.startswith("    ") and ln.split()[0] != "Day"]
    rows = rows[:3]
    # Day, date, 07:00 on both sides of the clock change, whole minutes, focus, exercises.
    assert [r[:7] for r in rows] == [
        ["Fri", "23", "Oct", "2026", "07:00", "14", "upper"],
        ["Mon", "26", "Oct", "2026", "07:00", "5", "lower"],
        ["Fri", "30", "Oct", "2026", "07:00", "14", "upper"],
    ]
    # Names shortened to fit 80 columns; the card below has them all.
    assert " ".join(rows[0][7:]) == "Deadlift, Single-Arm Row +1 more"
    assert " ".join(rows[1][7:]) == "Deadlift, Hip Bridge Hold"
    week1 = glance.index("  Week 1 — total work 20:00")
    week2 = glance.index("  Week 2 — total work 11:40")
    assert glance[week1 + 1].split()[0] == "Fri" and glance[week1 + 2].split()[0] == "Mon"
    assert glance[week2 + 1].split()[:2] == ["Fri", "30"]
    assert all(len(line) <= text_plugin.WIDTH for line in lines)
    assert out.endswith("\n")


def test_text_plan_has_every_session_card(plan: Plan) -> None:
    out = _text(plan)
    lines = out.splitlines()
    headings = [
        "Fri 23 Oct 2026, 07:00 — upper",
        "Mon 26 Oct 2026, 07:00 — lower",
        "Fri 30 Oct 2026, 07:00 — upper",
    ]
    positions = [lines.index(h) for h in headings]
    assert positions == sorted(positions)
    assert positions[0] > lines.index("Week at a glance (times in Europe/Berlin):")
    for at, heading in zip(positions, headings, strict=True):
        assert lines[at + 1] == "-" * len(heading)
    assert lines[positions[0] + 2] == "Upper routine (20 min), week 1 of 2"
    assert lines[positions[1] + 2] == "Lower routine (15 min), week 1 of 2"
    assert lines[positions[2] + 2] == "Upper routine (20 min), week 2 of 2"
    # The unilateral move: right then left, in both upper sessions and not in the lower.
    right = [i for i, ln in enumerate(lines) if "Single-Arm Row, right — 10 reps" in ln]
    left = [i for i, ln in enumerate(lines) if "Single-Arm Row, left — 10 reps" in ln]
    assert [i + 1 for i in right] == left
    assert len(right) == 2 and positions[0] < right[0] < positions[1] < positions[2] < right[1]
    assert out.count("Total time: 14:15 (budget 20:00)") == 2
    assert "Total time: 5:00 (budget 15:00)" in out
    assert "2 rounds, rest 15 s between exercises and 60 s between rounds." in out
    # Each card's coverage lists its own focus muscles, by name.
    lower_card = "\n".join(lines[positions[1] : positions[2]])
    assert "Erector Spinae" in lower_card and "Latissimus Dorsi" not in lower_card


def test_text_plan_optimality_said_once(plan: Plan, feasible_plan: Plan) -> None:
    assert _text(plan).count("Proven optimal: no plan fits these limits better.") == 1
    assert "not proven optimal" not in _text(plan)
    out = _text(feasible_plan)
    lines = out.splitlines()
    line = "Best plan found within the time limit; it is not proven optimal."
    assert out.count("not proven optimal") == 1 and out.count("Proven optimal") == 0
    assert lines.index(line) < lines.index("Week at a glance (times in Europe/Berlin):")


def test_text_plan_shortens_long_exercise_lists(plan: Plan) -> None:
    long_items = tuple(
        RoutineItem(
            id=f"move-{n}",
            name=f"Very Long Exercise Name Number {n}",
            equipment="none",
            reps=8,
            work_seconds=None,
            per_side=False,
            seconds=30,
            primary=("lats",),
            secondary=(),
        )
        for n in range(1, 7)
    )
    first = plan.sessions[0]
    crowded = dataclasses.replace(
        first, routine=dataclasses.replace(first.routine, items=long_items)
    )
    out = _text(dataclasses.replace(plan, sessions=(crowded, *plan.sessions[1:])))
    row = next(ln for ln in out.splitlines() if ln.lstrip().startswith("Fri  23 Oct"))
    assert row.endswith("Very Long Exercise Name Number… +5 more")
    assert len(row) == text_plugin.WIDTH
    assert all(len(line) <= text_plugin.WIDTH for line in out.splitlines())
    assert out.count("Very Long Exercise Name Number 6 — 8 reps") == 1  # the card has all


def test_text_plan_uses_the_plan_time_zone(plan: Plan) -> None:
    """A session start given in UTC is still shown on the plan's clock."""
    first = plan.sessions[0]
    utc = dataclasses.replace(first, start=first.start.astimezone(UTC))
    out = _text(dataclasses.replace(plan, sessions=(utc, *plan.sessions[1:])))
    assert "Fri 23 Oct 2026, 07:00 — upper" in out.splitlines()


# --- ical -------------------------------------------------------------------------------


def test_ical_plan_structure(plan: Plan, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    data = _ical(plan)
    assert data.endswith(b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")  # only CRLF line endings
    physical = data.split(b"\r\n")[:-1]
    assert max(len(line) for line in physical) <= 75
    cal = Calendar.from_ical(data)
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["PRODID"]).startswith("-//routinegen//routinegen ")
    events = _events(data)
    assert len(events) == len(plan.sessions) == data.count(b"BEGIN:VEVENT\r\n")
    assert data.count(b"DTSTAMP:20260101T000000Z\r\n") == 3
    for event, session in zip(events, plan.sessions, strict=True):
        assert event.decoded("DTSTAMP") == datetime(2026, 1, 1, tzinfo=UTC)
        assert str(event["UID"]).endswith("@routinegen")
        start = event.decoded("DTSTART")
        end = event.decoded("DTEND") if "DTEND" in event else start + event.decoded("DURATION")
        assert end - start == timedelta(seconds=session.routine.total_seconds)
    assert [str(e["SUMMARY"]) for e in events] == [
        "Upper · week 1 Fri",
        "Lower · week 1 Mon",
        "Upper · week 2 Fri",
    ]
    zones = cal.walk("VTIMEZONE")
    assert [str(z["TZID"]) for z in zones] == ["Europe/Berlin"]
    assert {c.name for c in zones[0].subcomponents} >= {"STANDARD", "DAYLIGHT"}


def test_ical_local_time_survives_the_clock_change(plan: Plan) -> None:
    data = _ical(plan)
    for stamp in (b"20261023T070000", b"20261026T070000", b"20261030T070000"):
        assert b"DTSTART;TZID=Europe/Berlin:" + stamp + b"\r\n" in data
    starts = [e.decoded("DTSTART") for e in _events(data)]
    assert [(s.date(), s.hour, s.minute) for s in starts] == [
        (date(2026, 10, 23), 7, 0),
        (date(2026, 10, 26), 7, 0),
        (date(2026, 10, 30), 7, 0),
    ]
    assert [s.utcoffset() for s in starts] == [
        timedelta(hours=2),
        timedelta(hours=1),
        timedelta(hours=1),
    ]
    assert [s.astimezone(UTC).hour for s in starts] == [5, 6, 6]
    assert starts == [s.start for s in plan.sessions]


def test_ical_plan_descriptions_hold_each_sessions_exercises(plan: Plan) -> None:
    events = _events(_ical(plan))
    upper, lower, upper_again = (str(e["DESCRIPTION"]) for e in events)
    assert upper.startswith("Week 1 of 2, upper.\n3 rounds")
    assert "Single-Arm Row, right — 10 reps" in upper
    assert "Single-Arm Row, left — 10 reps" in upper
    assert "Hip Bridge Hold — 30 s hold" in upper
    assert upper.index("Deadlift") < upper.index("Hip Bridge")
    assert lower.startswith("Week 1 of 2, lower.\n2 rounds")
    assert "Single-Arm Row" not in lower and "Deadlift" in lower
    assert upper_again.startswith("Week 2 of 2, upper.")


def test_ical_plan_uids_are_stable_and_distinct(plan: Plan, feasible_plan: Plan) -> None:
    uids = [str(e["UID"]) for e in _events(_ical(plan))]
    assert len(set(uids)) == len(uids) == 3  # the two upper sessions are the same workout
    assert uids == ical_plugin.session_uids(plan)
    assert [str(e["UID"]) for e in _events(_ical(make_plan()))] == uids
    # Solver bookkeeping is not the plan: same sessions, same events.
    assert [str(e["UID"]) for e in _events(_ical(feasible_plan))] == uids
    assert ical_plugin.event_uid(plan.sessions[0].routine) not in uids
    # A different plan is a different set of events.
    first = plan.sessions[0]
    harder = dataclasses.replace(
        first, routine=dataclasses.replace(first.routine, rounds=4, total_seconds=1170)
    )
    changed = dataclasses.replace(plan, sessions=(harder, *plan.sessions[1:]))
    assert set(ical_plugin.session_uids(changed)).isdisjoint(uids)


def test_ical_plan_alarms(plan: Plan) -> None:
    events = _events(_ical(plan))
    for event in events:
        alarms = event.walk("VALARM")
        assert len(alarms) == 1
        assert str(alarms[0]["ACTION"]) == "DISPLAY"
        assert alarms[0].decoded("TRIGGER") == timedelta(minutes=-10)
    alarm = events[0].walk("VALARM")[0]
    assert str(alarm["DESCRIPTION"]) == "Upper · week 1 Fri starts in 10 min"
    for event in _events(_ical(plan, alarm_minutes=30)):
        assert event.walk("VALARM")[0].decoded("TRIGGER") == timedelta(minutes=-30)
    assert b"VALARM" not in _ical(plan, alarm_minutes=0)
    with pytest.raises(ValueError, match="alarm_minutes"):
        _ical(plan, alarm_minutes=-1)


def test_ical_plan_dtstamp_is_now_without_source_date_epoch(
    plan: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    before = datetime.now(UTC).replace(microsecond=0)
    stamps = {e.decoded("DTSTAMP") for e in _events(_ical(plan))}
    assert len(stamps) == 1  # one stamp for the whole export
    stamp = stamps.pop()
    assert stamp.utcoffset() == timedelta(0)
    assert before <= stamp <= datetime.now(UTC)


def test_ical_plan_unknown_time_zone(plan: Plan) -> None:
    bad = dataclasses.replace(plan, request=dataclasses.replace(plan.request, tz="Mars/Olympus"))
    with pytest.raises(ValueError, match="unknown time zone 'Mars/Olympus'"):
        _ical(bad)


# --- determinism ------------------------------------------------------------------------


def test_plan_outputs_are_byte_identical_under_source_date_epoch(
    plan: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    slower = dataclasses.replace(plan, solver=dataclasses.replace(plan.solver, wall_seconds=99))
    assert _json(plan).encode() == _json(make_plan()).encode() == _json(slower).encode()
    assert _ical(plan) == _ical(make_plan()) == _ical(slower)
    assert _text(plan) == _text(make_plan()) == _text(slower)
