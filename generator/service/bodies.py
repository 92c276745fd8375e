"""The request bodies: the names and defaults of the CLI flags (and the people file), one
vocabulary everywhere.

The models check shapes and sizes only; values (minutes in range, known equipment, a real
time zone) are checked by the public API, the one home of the defaults and their limits,
whose ``InputError`` names the field as the flag (``--minutes``). Catalogs, presets and
splits are taken by name only: a path would let a client read the server's files.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

Name = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$", max_length=64)]
Word = Annotated[str, Field(min_length=1, max_length=64)]
Words = Annotated[list[Word], Field(max_length=32)]
Range = Annotated[int | Annotated[str, Field(max_length=16)], Field()]
Short = Annotated[str, Field(max_length=64)]


class SessionBody(BaseModel):
    """The options ``make`` and ``week`` share; an omitted field takes the flag's default."""

    model_config = ConfigDict(extra="forbid")

    minutes: float | None = Field(None, description="Time budget in minutes (default 15).")
    equipment: Words | None = Field(
        None, description="Equipment at hand; 'none' = bodyweight only (always allowed)."
    )
    focus: Words | None = Field(None, description="Muscle groups or muscles (default back).")
    level: Short | None = Field(None, description="beginner, intermediate (default) or advanced.")
    rounds: Range | None = Field(None, description="Rounds, e.g. 3 or '2-3' (default by budget).")
    exercises: Range | None = Field(
        None, description="Exercises per round, e.g. '4-6' (default by budget)."
    )
    exclude: Words | None = Field(None, description="Exercise ids to leave out.")
    seed: int | None = Field(None, description="Another seed, another result (default 0).")
    catalog: Name | None = Field(
        None, description="Built-in or plugin catalog name (default full-body)."
    )
    preset: Name | None = Field(None, description="Preset name; the fields given override it.")
    start: Short | None = Field(
        None,
        description="The session's date or date and time, e.g. 2026-11-30T18:30 "
        "(default tomorrow 07:00).",
    )
    tz: Short | None = Field(None, description="IANA time zone, e.g. Europe/Berlin (default UTC).")
    min_fill: float | None = Field(
        None, description="Fraction of the budget a session must use (default 0.9)."
    )
    rest: int | None = Field(None, description="Seconds of rest between exercises.")
    round_rest: int | None = Field(None, description="Seconds of rest between rounds.")
    time_limit: float | None = Field(
        None, description="Solver time limit in seconds (capped by the server's)."
    )

    def options(self) -> dict[str, Any]:
        """The flag values, as ``routinegen.api.settings_from`` takes them."""
        return self.model_dump(exclude={"preset"}, exclude_none=True)


class RoutineBody(SessionBody):
    """``routinegen make`` as a JSON object; an omitted field takes the flag's default."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"minutes": 15, "equipment": ["kettlebell"]}]},
    )

    keep: Words | None = Field(None, description="Exercise ids the routine must have.")


class SwapBody(BaseModel):
    """Which exercise of a stored routine to replace; the others stay."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"exercise": "superman"}]}
    )

    exercise: Word = Field(description="The id of the exercise to replace.")
    seed: int | None = Field(None, description="Another seed, another replacement.")


class PlanBody(SessionBody):
    """``routinegen week`` as a JSON object; an omitted field takes the flag's default."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"days": "mon,wed,fri", "minutes": 20, "weeks": 2, "time": "18:00"}]
        },
    )

    start: Short | None = Field(None, description="The first day (default next Monday).")
    days: Short | None = Field(
        None, description="Training days, e.g. 'mon,wed,fri' or 'mon=20,sat=45'."
    )
    weeks: int | None = Field(None, description="How many weeks (default 1, at most 12).")
    time: Short | None = Field(None, description="Session start time HH:MM (default 07:00).")
    split: Name | None = Field(
        None, description="Split template: full-body, upper-lower, push-pull-legs, back-week."
    )
    recovery_hours: int | None = Field(
        None, description="Hours before a muscle is worked as primary again (default 48)."
    )
    max_repeats: int | None = Field(
        None, description="Times an exercise may come in a week (default 2)."
    )
    progression: Short | None = Field(
        None,
        description="Double progression: the load raise in percent after the reps reach the "
        "top of their range, e.g. '5-10' (default); '0' keeps every week's doses.",
    )
    deload: bool = Field(
        False,
        description="End each block of up to 6 weeks with a deload week: the same exercises "
        "with about half the sets.",
    )
    volume: Words | None = Field(
        None,
        description="Weekly hard-set targets, MUSCLE=LOW-HIGH each, e.g. ['lats=12-18'] "
        "(default by level: 6-10, 10-20, 12-24).",
    )

    def options(self) -> dict[str, Any]:
        options = super().options()
        if not self.deload:
            options.pop("deload", None)
        return options


def request_of(kind: str, stored: dict[str, Any]) -> SessionBody:
    """A stored request (the body as given, JSON) back as its model."""
    model: type[SessionBody] = PlanBody if kind == "plan" else RoutineBody
    return model.model_validate(stored)
