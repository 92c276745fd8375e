"""The ``ical`` exporter: the routine as a calendar event, with an optional reminder.

A weekly plan becomes one event per session, at its date and local time in the plan's
``--tz``, all sharing one VTIMEZONE so the time stays right across a daylight-saving change.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from routinegen.exporter import Exporter, Option, Result
from routinegen.hookspecs import hookimpl
from routinegen.output.document import generator_version, source_date_epoch, to_document
from routinegen.output.wording import (
    clock,
    exercise_lines,
    local_start,
    rounds_line,
    session_title,
    title,
    zone,
)
from routinegen.results import Plan, Routine

# Fixed namespaces: UIDs must stay the same across runs and versions for the same result.
UID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://routinegen.dev/uid/routine")
PLAN_UID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://routinegen.dev/uid/plan-session")
# VTIMEZONE rules are generated for this many days around the event, keeping the file small.
TZ_WINDOW = timedelta(days=366)
# Said in the description when CP-SAT stopped at its time limit before proving the answer.
NOT_PROVEN_ROUTINE = "Best routine found within the time limit; it is not proven optimal."
NOT_PROVEN_PLAN = "Best plan found within the time limit; it is not proven optimal."


def _digest(doc: Mapping[str, Any], keys: tuple[str, ...]) -> str:
    """SHA-256 of the workout part of a document: canonical JSON of ``keys`` only.

    Solver timing and the program version do not change the workout, and must not make a
    calendar see new events.
    """
    content = json.dumps(
        {key: doc[key] for key in keys},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def event_uid(routine: Routine) -> str:
    """A UID derived from what the routine is, so re-exporting updates, not duplicates, it.

    Only the request and the routine count: solver timing and the program version do not
    change the workout, and must not make a calendar see a new event.
    """
    digest = _digest(to_document(routine), ("request", "routine"))
    return f"{uuid.uuid5(UID_NAMESPACE, digest)}@routinegen"


def session_uids(plan: Plan) -> list[str]:
    """One UID per session: the plan's content, then the session's place and date in it.

    The same plan always gives the same UIDs (re-importing updates its events); two sessions
    never share one, even when their routines are equal.
    """
    digest = _digest(to_document(plan), ("request", "plan", "sessions"))
    names = (f"{digest}/{n}/{s.date.isoformat()}" for n, s in enumerate(plan.sessions))
    return [f"{uuid.uuid5(PLAN_UID_NAMESPACE, name)}@routinegen" for name in names]


def _stamp() -> datetime:
    """DTSTAMP: ``SOURCE_DATE_EPOCH`` when set (byte-identical output), else now, in UTC."""
    epoch = source_date_epoch()
    if epoch is not None:
        return datetime.fromtimestamp(epoch, tz=UTC)
    return datetime.now(UTC).replace(microsecond=0)


def _description(routine: Routine, not_proven: str | None = None) -> str:
    """The plan in plain lines: calendar apps show DESCRIPTION as-is.

    ``not_proven``: the line saying the answer is not proven optimal, when it is not.
    """
    lines = [rounds_line(routine)]
    for number, item in enumerate(routine.items, start=1):
        lines.extend(f"{number}. {line}" for line in exercise_lines(item))
    lines.append(f"Total time: {clock(routine.total_seconds)}.")
    if not_proven:
        lines.append(not_proven)
    return "\n".join(lines)


def _alarm_minutes(options: Mapping[str, Any]) -> int:
    alarm_minutes = int(options.get("alarm_minutes", 10))
    if alarm_minutes < 0:
        raise ValueError(f"alarm_minutes must be 0 or more, got {alarm_minutes}")
    return alarm_minutes


def _calendar() -> Any:
    from icalendar import Calendar  # here, so other formats don't pay for it

    cal = Calendar()
    cal.add("prodid", f"-//routinegen//routinegen {generator_version()}//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    return cal


def _event(
    *,
    uid: str,
    stamp: datetime,
    start: datetime,
    seconds: int,
    summary: str,
    description: str,
    alarm_minutes: int,
) -> Any:
    """One VEVENT: start in its zone, a duration, the exercises, and the reminder if any."""
    from icalendar import Alarm, Event

    event = Event.new(
        uid=uid,
        stamp=stamp,
        start=start,
        summary=summary,
        description=description,
    )
    event.add("duration", timedelta(seconds=seconds))
    if alarm_minutes:
        event.add_component(
            Alarm.new_display(
                description=f"{summary} starts in {alarm_minutes} min",
                trigger=timedelta(minutes=-alarm_minutes),
            )
        )
    return event


def _render_routine(routine: Routine, alarm_minutes: int) -> bytes:
    req = routine.request
    if req.start is None:
        raise ValueError("the ical exporter needs a start time")
    if req.start.utcoffset() is None:
        raise ValueError("the ical exporter needs a timezone-aware start time")
    start = req.start.astimezone(zone(req.tz))
    cal = _calendar()
    cal.add_component(
        _event(
            uid=event_uid(routine),
            stamp=_stamp(),
            start=start,
            seconds=routine.total_seconds,
            summary=title(routine),
            description=_description(
                routine, None if routine.solver.proven_optimal else NOT_PROVEN_ROUTINE
            ),
            alarm_minutes=alarm_minutes,
        )
    )
    day = start.date()
    cal.add_missing_timezones(first_date=day - TZ_WINDOW, last_date=day + TZ_WINDOW)
    data: bytes = cal.to_ical()
    return data


def _render_plan(plan: Plan, alarm_minutes: int) -> bytes:
    if not plan.sessions:
        raise ValueError("the plan has no session to put in a calendar")
    tz = plan.request.tz
    stamp = _stamp()
    weeks = plan.rules.weeks
    cal = _calendar()
    starts: list[datetime] = []
    not_proven = None if plan.solver.proven_optimal else NOT_PROVEN_PLAN
    for session, uid in zip(plan.sessions, session_uids(plan), strict=True):
        start = local_start(session, tz)
        starts.append(start)
        heading = f"Week {session.week} of {weeks}, {session.focus_label or 'whole body'}."
        cal.add_component(
            _event(
                uid=uid,
                stamp=stamp,
                start=start,
                seconds=session.routine.total_seconds,
                summary=session_title(session),
                description=f"{heading}\n{_description(session.routine, not_proven)}",
                alarm_minutes=alarm_minutes,
            )
        )
    first = min(starts).date()
    last = max(starts).date()
    cal.add_missing_timezones(first_date=first - TZ_WINDOW, last_date=last + TZ_WINDOW)
    data: bytes = cal.to_ical()
    return data


def render(result: Result, options: Mapping[str, Any]) -> bytes:
    """Build the calendar with icalendar (folding, escaping and VTIMEZONE are its job)."""
    alarm_minutes = _alarm_minutes(options)
    if isinstance(result, Plan):
        return _render_plan(result, alarm_minutes)
    return _render_routine(result, alarm_minutes)


EXPORTER = Exporter(
    name="ical",
    extension="ics",
    media_type="text/calendar",
    render=render,
    description="iCalendar event at the requested start time, with the exercises inside; "
    "for a plan, one event per session.",
    options=(Option("alarm_minutes", int, 10, "reminder this many minutes before; 0 for none"),),
)


@hookimpl
def routinegen_register_exporters(register: Callable[[Exporter], None]) -> None:
    """Offer the calendar format to routinegen."""
    register(EXPORTER)
