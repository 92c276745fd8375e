"""Requests: flags and presets are checked against the catalog, and errors name the culprit."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from routinegen.errors import InputError
from routinegen.request.routine import default_exercise_count, default_rounds, resolve_request
from routinegen.request.settings import builtin_presets, load_preset

FIXTURES = Path(__file__).parent / "fixtures"

Make = Callable[..., Any]


# ---------------------------------------------------------------------------- ranges


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2-3", (2, 3)), (" 2 - 3 ", (2, 3)), ("4", (4, 4)), (3, (3, 3)), ([2, 3], (2, 3))],
)
def test_ranges(full_body: Any, make_request: Make, value: Any, expected: tuple[int, int]) -> None:
    request = make_request(full_body, rounds=value, exercises=value)
    assert request.rounds == expected
    assert request.exercise_count == expected


@pytest.mark.parametrize(
    ("flag", "value"),
    [
        ("rounds", "3-2"),
        ("rounds", "0"),
        ("rounds", 21),
        ("rounds", "two"),
        ("rounds", "2-"),
        ("rounds", [1]),
        ("rounds", [1.5, 2]),
        ("rounds", True),
        ("rounds", -1),
        ("exercises", "1-31"),
        ("exercises", [3, 2]),
    ],
)
def test_bad_ranges_name_the_flag(
    full_body: Any, make_request: Make, flag: str, value: Any
) -> None:
    with pytest.raises(InputError, match=rf"^--{flag}: "):
        make_request(full_body, **{flag: value})


def test_defaults_grow_with_the_budget(full_body: Any, make_request: Make) -> None:
    request = make_request(full_body)
    assert request.budget_seconds == 15 * 60
    assert request.focus == ("lats", "rhomboids", "traps", "erector_spinae")
    assert request.focus_label == "back"
    assert request.equipment == frozenset()
    assert request.level == "intermediate"
    assert request.rounds == default_rounds(15) == (2, 3)
    assert request.exercise_count == default_exercise_count(15)
    assert (request.rest_seconds, request.round_rest_seconds) == (20, 60)
    assert request.min_fill == 0.9
    assert request.catalog == "full-body"
    previous = (0, 0)
    for minutes in range(1, 241):
        lo, hi = default_rounds(minutes)
        assert 1 <= lo <= hi <= 20
        assert lo >= previous[0]
        previous = (lo, hi)
        c_lo, c_hi = default_exercise_count(minutes)
        assert 1 <= c_lo <= c_hi <= 30


def test_rest_defaults_by_level(full_body: Any, make_request: Make) -> None:
    beginner = make_request(full_body, level="beginner")
    advanced = make_request(full_body, level="advanced", rest=5, round_rest=0)
    assert (beginner.rest_seconds, beginner.round_rest_seconds) == (30, 90)
    assert (advanced.rest_seconds, advanced.round_rest_seconds) == (5, 0)


# ---------------------------------------------------------------------------- numbers


@pytest.mark.parametrize("minutes", [0, 0.5, 241, -5, 1e9, "abc", math.nan, math.inf, True, [15]])
def test_minutes_out_of_range(full_body: Any, make_request: Make, minutes: Any) -> None:
    with pytest.raises(InputError, match=r"^--minutes: "):
        make_request(full_body, minutes=minutes)


def test_minutes_accepted(full_body: Any, make_request: Make) -> None:
    assert make_request(full_body, minutes=1).budget_seconds == 60
    assert make_request(full_body, minutes=1.5).budget_seconds == 90
    assert make_request(full_body, minutes="20").budget_seconds == 1200
    assert make_request(full_body, minutes=240).budget_seconds == 240 * 60


@pytest.mark.parametrize(
    ("flag", "value"),
    [
        ("seed", 1.5),
        ("seed", "x"),
        ("seed", -1),
        ("min_fill", 1.5),
        ("min_fill", -0.1),
        ("rest", 601),
        ("rest", 2.5),
        ("round_rest", -1),
        ("time_limit", 0),
    ],
)
def test_bad_numbers_name_the_flag(
    full_body: Any, make_request: Make, flag: str, value: Any
) -> None:
    option = "--" + flag.replace("_", "-")
    with pytest.raises(InputError, match=rf"^{option}: "):
        make_request(full_body, **{flag: value})


def test_seed_as_text(full_body: Any, make_request: Make) -> None:
    assert make_request(full_body, seed="7").seed == 7


# ---------------------------------------------------------------------------- words


def test_unknown_equipment_suggests_close_match(full_body: Any, make_request: Make) -> None:
    with pytest.raises(InputError) as info:
        make_request(full_body, equipment="kettlebel")
    assert str(info.value) == (
        "--equipment: unknown equipment 'kettlebel'; did you mean 'kettlebell'?"
    )


def test_unknown_equipment_without_close_match_lists_known(
    full_body: Any, make_request: Make
) -> None:
    with pytest.raises(InputError, match=r"^--equipment: unknown equipment 'zzz'; known: .*"):
        make_request(full_body, equipment="zzz")


def test_equipment_words(full_body: Any, make_request: Make) -> None:
    assert make_request(full_body, equipment="none").equipment == frozenset()
    assert make_request(full_body, equipment="bodyweight").equipment == frozenset()
    assert make_request(full_body, equipment=["kettlebell,dumbbell", "none"]).equipment == {
        "kettlebell",
        "dumbbell",
    }
    assert make_request(full_body, equipment=" kettlebell , ").equipment == {"kettlebell"}
    with pytest.raises(InputError, match=r"^--equipment: expected names"):
        make_request(full_body, equipment=[3])


def test_focus(full_body: Any, make_request: Make) -> None:
    request = make_request(full_body, focus="lats,traps,lats")
    assert request.focus == ("lats", "traps")
    assert request.focus_label == "lats,traps,lats"
    mixed = make_request(full_body, focus="back,biceps")
    assert mixed.focus == ("lats", "rhomboids", "traps", "erector_spinae", "biceps")


@pytest.mark.parametrize(
    ("focus", "message"),
    [
        ("bak", "--focus: unknown muscle or group 'bak'; did you mean 'back'?"),
        ("lats,wings", "--focus: unknown muscle or group 'wings'"),
        (",", "--focus: names no muscle or group"),
    ],
)
def test_unknown_focus(full_body: Any, make_request: Make, focus: str, message: str) -> None:
    with pytest.raises(InputError) as info:
        make_request(full_body, focus=focus)
    assert str(info.value).startswith(message)


def test_unknown_level(full_body: Any, make_request: Make) -> None:
    with pytest.raises(InputError, match=r"^--level: unknown level 'expert'; choose from"):
        make_request(full_body, level="expert")


def test_exclude(full_body: Any, make_request: Make) -> None:
    request = make_request(full_body, exclude=["deadlift,superman"])
    assert request.exclude == {"deadlift", "superman"}
    with pytest.raises(InputError, match=r"^--exclude: unknown exercise 'deadlfit'; did you"):
        make_request(full_body, exclude="deadlfit")


# ---------------------------------------------------------------------------- time


def test_naive_date_gets_seven_in_the_zone(full_body: Any, make_request: Make) -> None:
    request = make_request(full_body, start="2026-11-30", tz="Europe/Berlin")
    assert request.start == datetime(2026, 11, 30, 7, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    assert request.start.utcoffset() == timedelta(hours=1)
    assert request.tz == "Europe/Berlin"


def test_start_with_time_and_offset(full_body: Any, make_request: Make) -> None:
    local = make_request(full_body, start="2026-07-01T18:30", tz="Europe/Berlin")
    assert local.start == datetime(2026, 7, 1, 18, 30, tzinfo=ZoneInfo("Europe/Berlin"))
    shifted = make_request(full_body, start="2026-07-01T18:30+00:00", tz="Europe/Berlin")
    assert shifted.start.hour == 20 and shifted.start.utcoffset() == timedelta(hours=2)
    utc = make_request(full_body, start="2026-07-01 06:00")
    assert utc.start == datetime(2026, 7, 1, 6, 0, tzinfo=ZoneInfo("UTC")) and utc.tz == "UTC"


def test_default_start_is_tomorrow_at_seven(full_body: Any, make_request: Make) -> None:
    request = make_request(full_body, tz="Asia/Tokyo")
    start = request.start
    assert start.tzinfo is not None and (start.hour, start.minute) == (7, 0)
    today = datetime.now(ZoneInfo("Asia/Tokyo")).date()
    assert start.date() - today in (timedelta(days=1), timedelta(days=0))  # midnight race


@pytest.mark.parametrize("start", ["30/11/2026", "2026-13-01", "tomorrow", "2026-11-30T25:00"])
def test_bad_start(full_body: Any, make_request: Make, start: str) -> None:
    with pytest.raises(InputError, match=r"^--start: expected a date like 2026-11-30"):
        make_request(full_body, start=start)


@pytest.mark.parametrize("tz", ["Mars/Olympus", "../../etc/passwd", "Europe/"])
def test_bad_tz(full_body: Any, make_request: Make, tz: str) -> None:
    with pytest.raises(InputError, match=r"^--tz: unknown time zone"):
        make_request(full_body, tz=tz)


def test_effective_request(full_body: Any, make_request: Make) -> None:
    effective = make_request(full_body, minutes=12.5, equipment="dumbbell,kettlebell").effective()
    assert effective.minutes == 12.5
    assert effective.equipment == ("dumbbell", "kettlebell")
    assert make_request(full_body).effective().equipment == ("none",)


# ---------------------------------------------------------------------------- presets


def test_preset_settings_remember_their_line() -> None:
    path = FIXTURES / "tiny-preset.yaml"
    settings = load_preset(str(path))
    assert settings["minutes"].value == 12
    assert settings["minutes"].origin == f"{path}:3: minutes"
    assert settings["rounds"].origin == f"{path}:6: rounds"
    assert settings["equipment"].value == ["kettlebell"]


def test_preset_values_are_checked_with_their_line(tmp_path: Path, tiny: Any) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("focus: back\nminutes: 500\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        resolve_request(tiny, load_preset(str(path)))
    assert str(info.value).startswith(f"{path}:2: minutes: must be from 1 to 240")


def test_preset_unknown_option(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("minutes: 10\nduration: 5\n", encoding="utf-8")
    with pytest.raises(InputError, match=rf"^{path}:2: duration: unknown option"):
        load_preset(str(path))


def test_preset_not_a_mapping(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("- minutes\n", encoding="utf-8")
    with pytest.raises(InputError, match="must be a mapping"):
        load_preset(str(path))
    path.write_text("# empty\n", encoding="utf-8")
    assert load_preset(str(path)) == {}


def test_unknown_preset() -> None:
    with pytest.raises(InputError, match=r"unknown preset 'back-99'; built-in presets: "):
        load_preset("back-99")
    with pytest.raises(InputError, match="no such file"):
        load_preset("nowhere/p.yaml")


def test_builtin_presets_resolve(full_body: Any) -> None:
    presets = builtin_presets()
    for name in presets:
        settings = load_preset(name)
        request = resolve_request(full_body, settings)
        assert request.budget_seconds > 0, name
        for setting in settings.values():
            assert setting.origin.startswith(f"preset {name}:")


def test_date_in_preset_is_text(tmp_path: Path, full_body: Any) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("start: 2026-11-30\ntz: Europe/Berlin\n", encoding="utf-8")
    request = resolve_request(full_body, load_preset(str(path)))
    assert request.start is not None
    assert request.start.date() == date(2026, 11, 30) and request.start.hour == 7
