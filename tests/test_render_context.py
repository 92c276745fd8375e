"""Typed exporter options and the caller's render context: options are checked once, from
strings or values, and renderers take the time, the reproducibility and the identity of a
result from the caller instead of the environment."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from helpers.results import make_plan, make_routine
from icalendar import Calendar
from typer.testing import CliRunner

from routinegen import Exporter, OptionError, Options, RenderContext, option
from routinegen.cli import app
from routinegen.output import wording
from routinegen.plugins import ical as ical_plugin
from routinegen.plugins import json as json_plugin
from routinegen.registry import _exporter_problem
from routinegen.results import Plan, PlannedSession

STAMP = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Sample(Options):
    count: int = option(1, "how many")
    ratio: float = option(0.5, "a share")
    label: str = option("x", "a word")
    loud: bool = option(False, "shout")

    def validate(self) -> None:
        if self.count < 0:
            raise ValueError("count must be 0 or more")


def test_options_parse_strings_into_their_types() -> None:
    parsed = Sample.parse({"count": "3", "ratio": "2", "loud": "yes", "label": "a=b"}, "probe")
    assert parsed == Sample(count=3, ratio=2.0, label="a=b", loud=True)
    assert Sample.parse({}, "probe") == Sample()
    assert [f.name for f in Sample.fields()] == ["count", "ratio", "label", "loud"]
    assert Sample.fields()[0].help == "how many"


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ({"size": "1"}, "the probe exporter has no option 'size' (it takes: count, label"),
        ({"count": "many"}, "option 'count' takes a whole number, got 'many'"),
        ({"loud": "perhaps"}, "option 'loud' takes true or false, got 'perhaps'"),
        ({"count": "-1"}, "the probe exporter refuses its options: count must be 0 or more"),
    ],
)
def test_options_refuse_unknown_keys_bad_values_and_what_validate_refuses(
    raw: dict[str, str], words: str
) -> None:
    with pytest.raises(OptionError, match="probe") as caught:
        Sample.parse(raw, "probe")
    assert words in str(caught.value)
    assert caught.value.exit_code == 2


def test_an_exporter_with_options_of_no_option_type_is_refused_at_registration() -> None:
    @dataclass(frozen=True)
    class WrongDefault(Options):
        count: int = option("three", "")

    @dataclass(frozen=True)
    class Unbuildable(Options):
        count: int = option(-1, "")

        def validate(self) -> None:
            raise ValueError("never")

    def render(result: object, options: object, context: object) -> str:
        return ""

    for options, words in (
        (WrongDefault, "option 'count' of type 'int' with the default 'three'"),
        (Unbuildable, "declares options that cannot be built"),
        (dict, "give a routinegen.Options subclass"),
    ):
        exporter = Exporter("probe", "prb", "text/plain", render, options=options)  # type: ignore[arg-type]
        problem = _exporter_problem(exporter)
        assert problem is not None and words in problem
    assert _exporter_problem(Exporter("probe", "prb", "text/plain", render, options=Sample)) is None


def _ical(result: object, context: RenderContext) -> Calendar:
    exporter = ical_plugin.EXPORTER
    data = exporter.render(result, exporter.default_options(), context)  # type: ignore[arg-type]
    assert isinstance(data, bytes)
    return Calendar.from_ical(data)


def _uids(calendar: Calendar) -> list[str]:
    return [str(event["UID"]) for event in calendar.walk("VEVENT")]


def test_renderers_take_the_time_from_the_caller_not_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "not a number")  # would fail if anyone read it
    calendar = _ical(make_routine(), RenderContext(STAMP, reproducible=True))
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("DTSTAMP") == STAMP
    assert event.decoded("LAST-MODIFIED") == STAMP
    exporter = json_plugin.EXPORTER
    reproducible = exporter.render(
        make_routine(), exporter.default_options(), RenderContext(STAMP, True)
    )
    clocked = exporter.render(
        make_routine(), exporter.default_options(), RenderContext(STAMP, False)
    )
    assert '"wall_seconds": null' in str(reproducible)
    assert '"wall_seconds": null' not in str(clocked)


def test_source_date_epoch_is_read_by_the_front_end_with_a_clear_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1772366400")
    assert RenderContext.now() == RenderContext(STAMP, reproducible=True)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "soon")
    made = CliRunner().invoke(app, ["make", "-m", "10", "-F", "json"])
    assert made.exit_code == 1
    assert "SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, got 'soon'" in (
        made.stderr
    )


def test_calendar_uids_follow_the_callers_identity_and_slot_not_the_content() -> None:
    plan = make_plan()
    other = dataclasses.replace(plan, sessions=tuple(changed_routines(plan)))
    first = _ical(plan, RenderContext(STAMP, True, identity="plan-1"))
    regenerated = _ical(other, RenderContext(STAMP, True, identity="plan-1", sequence=1))
    stranger = _ical(plan, RenderContext(STAMP, True, identity="plan-2"))
    assert _uids(first) == _uids(regenerated)  # same slots: the events are updated
    assert len(set(_uids(first))) == len(plan.sessions)
    assert set(_uids(first)).isdisjoint(_uids(stranger))  # same content, another plan
    assert [e["SEQUENCE"] for e in regenerated.walk("VEVENT")] == [1] * len(plan.sessions)
    assert [e["SEQUENCE"] for e in first.walk("VEVENT")] == [0] * len(plan.sessions)
    # Without an identity the content stands in for it, as before.
    anonymous = _ical(plan, RenderContext(STAMP, True))
    assert _uids(anonymous) == _uids(_ical(plan, RenderContext(STAMP, True)))
    assert _uids(anonymous) != _uids(_ical(other, RenderContext(STAMP, True)))
    assert str(first["X-WR-CALNAME"]) == wording.plan_title(plan)


def changed_routines(plan: Plan) -> list[PlannedSession]:
    """The same slots, the first with one more round: another content, the same plan."""
    first, *rest = plan.sessions
    routine = dataclasses.replace(first.routine, rounds=first.routine.rounds + 1)
    return [dataclasses.replace(first, routine=routine), *rest]


@pytest.mark.slow
def test_two_batch_people_with_the_same_settings_get_events_of_their_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1772366400")
    people = tmp_path / "people.yaml"
    people.write_text(
        "people:\n"
        "  - {id: ann, minutes: 10, start: '2026-03-02T07:00'}\n"
        "  - {id: bob, minutes: 10, start: '2026-03-02T07:00'}\n",
        encoding="utf-8",
    )
    made = CliRunner().invoke(
        app, ["batch", str(people), "-o", str(tmp_path / "out"), "-F", "ical", "-w", "0"]
    )
    assert made.exit_code == 0, made.output
    ann = Calendar.from_ical((tmp_path / "out" / "ann.ics").read_bytes())
    bob = Calendar.from_ical((tmp_path / "out" / "bob.ics").read_bytes())
    assert [e["DESCRIPTION"] for e in ann.walk("VEVENT")] == [
        e["DESCRIPTION"] for e in bob.walk("VEVENT")
    ]
    assert set(_uids(ann)).isdisjoint(_uids(bob))
