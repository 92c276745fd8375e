"""The ``ical`` exporter: the routine as a calendar event, with an optional reminder."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from routinegen.document import (
    clock,
    exercise_lines,
    generator_version,
    rounds_line,
    source_date_epoch,
    title,
    to_document,
)
from routinegen.exporter import Exporter, Option, Result
from routinegen.hookspecs import hookimpl
from routinegen.routine import Routine

# Fixed namespace: UIDs must stay the same across runs and versions for the same routine.
UID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://routinegen.dev/uid/routine")
# VTIMEZONE rules are generated for this many days around the event, keeping the file small.
TZ_WINDOW = timedelta(days=366)


def event_uid(routine: Routine) -> str:
    """A UID derived from what the routine is, so re-exporting updates, not duplicates, it.

    Only the request and the routine count: solver timing and the program version do not
    change the workout, and must not make a calendar see a new event.
    """
    doc = to_document(routine)
    content = json.dumps(
        {"request": doc["request"], "routine": doc["routine"]},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    digest = hashlib.sha256(content.encode("utf-8")).hexdigest()
    return f"{uuid.uuid5(UID_NAMESPACE, digest)}@routinegen"


def _stamp() -> datetime:
    """DTSTAMP: ``SOURCE_DATE_EPOCH`` when set (byte-identical output), else now, in UTC."""
    epoch = source_date_epoch()
    if epoch is not None:
        return datetime.fromtimestamp(epoch, tz=UTC)
    return datetime.now(UTC).replace(microsecond=0)


def _description(routine: Routine) -> str:
    """The plan in plain lines: calendar apps show DESCRIPTION as-is."""
    lines = [rounds_line(routine)]
    for number, item in enumerate(routine.items, start=1):
        lines.extend(f"{number}. {line}" for line in exercise_lines(item))
    lines.append(f"Total time: {clock(routine.total_seconds)}.")
    return "\n".join(lines)


def render(result: Result, options: Mapping[str, Any]) -> bytes:
    """Build the calendar with icalendar (folding, escaping and VTIMEZONE are its job)."""
    from icalendar import Alarm, Calendar, Event  # here, so other formats don't pay for it

    routine = result
    alarm_minutes = int(options.get("alarm_minutes", 10))
    if alarm_minutes < 0:
        raise ValueError(f"alarm_minutes must be 0 or more, got {alarm_minutes}")
    req = routine.request
    if req.start is None:
        raise ValueError("the ical exporter needs a start time")
    if req.start.utcoffset() is None:
        raise ValueError("the ical exporter needs a timezone-aware start time")
    try:
        zone = ZoneInfo(req.tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {req.tz!r}") from None
    start = req.start.astimezone(zone)
    summary = title(routine)

    cal = Calendar()
    cal.add("prodid", f"-//routinegen//routinegen {generator_version()}//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")

    event = Event.new(
        uid=event_uid(routine),
        stamp=_stamp(),
        start=start,
        summary=summary,
        description=_description(routine),
    )
    event.add("duration", timedelta(seconds=routine.total_seconds))
    if alarm_minutes:
        event.add_component(
            Alarm.new_display(
                description=f"{summary} starts in {alarm_minutes} min",
                trigger=timedelta(minutes=-alarm_minutes),
            )
        )
    cal.add_component(event)
    day = start.date()
    cal.add_missing_timezones(first_date=day - TZ_WINDOW, last_date=day + TZ_WINDOW)
    data: bytes = cal.to_ical()
    return data


EXPORTER = Exporter(
    name="ical",
    extension="ics",
    media_type="text/calendar",
    render=render,
    description="iCalendar event at the requested start time, with the exercises inside.",
    options=(Option("alarm_minutes", int, 10, "reminder this many minutes before; 0 for none"),),
)


@hookimpl
def routinegen_register_exporters(register: Callable[[Exporter], None]) -> None:
    """Offer the calendar format to routinegen."""
    register(EXPORTER)
