"""The clock a request leaves to the machine: the local time zone, make's ``--time``, and
local times that a daylight-saving change skips (an error for one session, a warning in a
plan)."""

import re
from typing import TYPE_CHECKING, Any

import typer

from routinegen.cli.apps import fail, usage
from routinegen.cli.options import _settings

if TYPE_CHECKING:
    from routinegen.request.settings import Setting


def local_zone() -> str:
    """This machine's IANA time zone: ``TZ``, else /etc/localtime (tzlocal reads both, and the
    Windows registry); UTC when neither names one."""
    try:
        from tzlocal import get_localzone_name

        name = get_localzone_name() or "UTC"
    except Exception:  # tzlocal raises for a TZ it cannot map to an IANA name
        return "UTC"
    return "UTC" if name in _UTC_ALIASES else name  # Debian's Etc/UTC is plain UTC


_UTC_ALIASES = frozenset({"Etc/UTC", "Etc/Universal", "Etc/Zulu", "Universal", "Zulu"})
_CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$", re.ASCII)


def _with_clock(settings: dict[str, "Setting"], when: str | None) -> dict[str, "Setting"]:
    """Fill in what the flags leave to the machine: the local time zone when neither a flag
    nor the preset gives one, and for make's ``--time`` the start of the session."""
    if "tz" not in settings:
        settings.update(_settings(None, {"tz": local_zone()}))
    if when is None:
        return settings
    match = _CLOCK.match(when.strip())
    if not match:
        usage(f"expected a time like 07:30, got {when!r}", "--time")
    start = settings.get("start")
    if start is not None and ("T" in str(start.value) or ":" in str(start.value)):
        usage(f"--start {start.value} has a time already; give the time once", "--time")
    if start is not None:
        day = str(start.value).strip()
    else:
        from datetime import datetime, timedelta
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            zone = ZoneInfo(str(settings["tz"].value))
        except (ZoneInfoNotFoundError, ValueError):
            return settings  # the request names the bad zone, with its origin
        day = (datetime.now(zone).date() + timedelta(days=1)).isoformat()
    clock = f"{int(match[1]):02d}:{match[2]}"
    settings.update(_settings(None, {"start": f"{day}T{clock}"}))
    return settings


def _missing_local_time(moment: Any) -> str | None:
    """The wall time a nonexistent local time is shown at (RFC 5545: the offset before the
    gap applies, so 02:30 on a spring-forward night is 03:30), or None if it exists."""
    from datetime import UTC

    real = moment.astimezone(UTC).astimezone(moment.tzinfo)
    if real.replace(tzinfo=None) == moment.replace(tzinfo=None):
        return None
    return f"{real:%H:%M}"


def _check_clock(result: Any) -> None:
    """A session at a local time that does not exist (skipped by a daylight-saving change).

    ``make --start`` names one moment, so it is an error: the person typed a time that no
    clock shows, and should pick one. A plan's ``--time`` recurs over weeks, and one night of
    the year should not stop it: each such session gets a warning naming the time it moves to.
    """
    sessions = getattr(result, "sessions", None)
    if sessions is None:
        start = result.request.start
        shown = None if start is None else _missing_local_time(start)
        if shown is not None:
            fail(
                f"--start {start:%Y-%m-%dT%H:%M} does not exist in {result.request.tz}: the "
                "clocks jump forward over it for daylight saving; give a time that exists, "
                f"such as {shown} (where a calendar would put it)"
            )
        return
    for session in sessions:
        shown = _missing_local_time(session.start)
        if shown is not None:
            typer.echo(
                f"routinegen: warning: {session.start:%Y-%m-%d %H:%M} does not exist in "
                f"{session.start.tzinfo} (the clocks skip that hour for daylight saving); "
                f"that session starts at {shown}",
                err=True,
            )
