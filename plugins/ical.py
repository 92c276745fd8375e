"""The ``ical`` exporter: the routine as a calendar event, with an optional reminder.

A weekly plan becomes one event per session, at its date and local time in the plan's
``--tz``, all sharing one VTIMEZONE so the time stays right across a daylight-saving change.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from routinegen.exporter import Exporter, Options, RenderContext, Result, option
from routinegen.hookspecs import hookimpl
from routinegen.output.document import generator_version, to_document
from routinegen.output.wording import (
    clock,
    event_title,
    local_start,
    plan_title,
    session_lines,
    title,
    zone,
)
from routinegen.results import Plan, Routine
from routinegen.sources.characters import stripped

# Fixed namespaces: UIDs must stay the same across runs and versions for the same result.
UID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://routinegen.dev/uid/routine")
PLAN_UID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://routinegen.dev/uid/plan-session")
SLOT_UID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://routinegen.dev/uid/slot")
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


def event_uid(routine: Routine, identity: str | None = None) -> str:
    """The routine's UID: from the caller's ``identity`` when it gives one (a stored result's
    id, a batch person), so a regenerated routine updates its event; otherwise from what the
    routine is, so re-exporting the same routine updates, not duplicates, it."""
    if identity is not None:
        return _slot_uid(identity, "routine")
    digest = _digest(to_document(routine), ("request", "routine"))
    return f"{uuid.uuid5(UID_NAMESPACE, digest)}@routinegen"


def session_uids(plan: Plan, identity: str | None = None) -> list[str]:
    """One UID per session, never shared by two sessions even when their routines are equal.

    With the caller's ``identity`` a UID is that identity and the session's slot (its place
    and date in the plan), so regenerating the plan updates each slot's event in calendars
    subscribed to it. Without one, the plan's content stands in for the identity: the same
    plan always gives the same UIDs.
    """
    slots = [f"{n}/{s.date.isoformat()}" for n, s in enumerate(plan.sessions)]
    if identity is not None:
        return [_slot_uid(identity, slot) for slot in slots]
    doc = to_document(plan)
    # A session's proof is solver bookkeeping, like the plan's solver object: not the workout.
    doc["sessions"] = [{k: v for k, v in s.items() if k != "proof"} for s in doc["sessions"]]
    digest = _digest(doc, ("request", "plan", "sessions"))
    return [f"{uuid.uuid5(PLAN_UID_NAMESPACE, f'{digest}/{slot}')}@routinegen" for slot in slots]


def _slot_uid(identity: str, slot: str) -> str:
    return f"{uuid.uuid5(SLOT_UID_NAMESPACE, f'{identity}/{slot}')}@routinegen"


def _description(routine: Routine, not_proven: str | None = None) -> str:
    """The session in plain lines, block by block: calendar apps show DESCRIPTION as-is.

    ``not_proven``: the line saying the answer is not proven optimal, when it is not.
    """
    lines = session_lines(routine)
    lines.append(f"Total time: {clock(routine.total_seconds)}.")
    if not_proven:
        lines.append(not_proven)
    return "\n".join(lines)


MAX_ALARM_MINUTES = 7 * 24 * 60  # checked before solving; beyond, calendars overflow


@dataclass(frozen=True)
class IcalOptions(Options):
    alarm_minutes: int = option(10, "reminder this many minutes before; 0 for none")

    def validate(self) -> None:
        if not 0 <= self.alarm_minutes <= MAX_ALARM_MINUTES:
            raise ValueError(
                f"alarm_minutes must be from 0 to {MAX_ALARM_MINUTES} (a week), "
                f"got {self.alarm_minutes}"
            )


def _calendar(name: str) -> Any:
    from icalendar import Calendar  # here, so other formats don't pay for it

    cal = Calendar()
    cal.add("prodid", f"-//routinegen//routinegen {generator_version()}//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", stripped(name, keep=""))  # what calendar apps call a subscribed one
    return cal


def _event(
    *,
    uid: str,
    context: RenderContext,
    start: datetime,
    seconds: int,
    summary: str,
    description: str,
    alarm_minutes: int,
) -> Any:
    """One VEVENT: start in its zone, a duration, the exercises, and the reminder if any.
    Text loses any control or bidi character (RFC 5545 forbids controls): a catalog cannot
    hold them, but a result built by a program through the Python API might."""
    from icalendar import Alarm, Event

    summary, description = stripped(summary, keep=""), stripped(description)

    event = Event.new(
        uid=uid,
        stamp=context.timestamp,
        start=start,
        summary=summary,
        description=description,
    )
    event.add("duration", timedelta(seconds=seconds))
    # An updated event must say so, or subscribed calendars keep the old one.
    event.add("last-modified", context.timestamp)
    event.add("sequence", context.sequence)
    if alarm_minutes:
        event.add_component(
            Alarm.new_display(
                description=f"{summary} starts in {alarm_minutes} min",
                trigger=timedelta(minutes=-alarm_minutes),
            )
        )
    return event


def _render_routine(routine: Routine, alarm_minutes: int, context: RenderContext) -> bytes:
    req = routine.request
    if req.start is None:
        raise ValueError("the ical exporter needs a start time")
    if req.start.utcoffset() is None:
        raise ValueError("the ical exporter needs a timezone-aware start time")
    start = req.start.astimezone(zone(req.tz))
    cal = _calendar(title(routine))
    cal.add_component(
        _event(
            uid=event_uid(routine, context.identity),
            context=context,
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


def _render_plan(plan: Plan, alarm_minutes: int, context: RenderContext) -> bytes:
    if not plan.sessions:
        raise ValueError("the plan has no session to put in a calendar")
    tz = plan.request.tz
    weeks = plan.rules.weeks
    cal = _calendar(plan_title(plan))
    starts: list[datetime] = []
    not_proven = None if plan.solver.proven_optimal else NOT_PROVEN_PLAN
    for session, uid in zip(plan.sessions, session_uids(plan, context.identity), strict=True):
        start = local_start(session, tz)
        starts.append(start)
        heading = f"Week {session.week} of {weeks}, {session.focus_label or 'whole body'}."
        cal.add_component(
            _event(
                uid=uid,
                context=context,
                start=start,
                seconds=session.routine.total_seconds,
                summary=event_title(session, tz),
                description=f"{heading}\n{_description(session.routine, not_proven)}",
                alarm_minutes=alarm_minutes,
            )
        )
    first = min(starts).date()
    last = max(starts).date()
    cal.add_missing_timezones(first_date=first - TZ_WINDOW, last_date=last + TZ_WINDOW)
    data: bytes = cal.to_ical()
    return data


def render(result: Result, options: IcalOptions, context: RenderContext) -> bytes:
    """Build the calendar with icalendar (folding, escaping and VTIMEZONE are its job)."""
    if isinstance(result, Plan):
        return _render_plan(result, options.alarm_minutes, context)
    return _render_routine(result, options.alarm_minutes, context)


EXPORTER = Exporter(
    name="ical",
    extension="ics",
    media_type="text/calendar",
    render=render,
    description="iCalendar event at the requested start time, with the exercises inside; "
    "for a plan, one event per session.",
    options=IcalOptions,
)


@hookimpl
def routinegen_register_exporters(register: Callable[[Exporter], None]) -> None:
    """Offer the calendar format to routinegen."""
    register(EXPORTER)
