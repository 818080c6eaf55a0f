"""Callback slots from the shipped calendar: opening hours, holidays, lead time, days ahead."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from shared.regional import TIMEZONE
from support.cli import run_portal
from tracking.callbacks.slots import (
    SHIPPED_FILE,
    CallbackConfigError,
    SlotCalendar,
    load_slot_config,
)

BERLIN = ZoneInfo("Europe/Berlin")
CALENDAR = SlotCalendar(load_slot_config(SHIPPED_FILE))


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=BERLIN)


def local(slots) -> list[str]:
    return [s.astimezone(BERLIN).strftime("%a %d.%m. %H:%M") for s in slots]


def test_a_day_has_half_hour_slots_within_opening_hours():
    slots = local(CALENDAR.day_slots(date(2026, 12, 1)))  # Tuesday, 09:00-17:00
    assert slots[0] == "Tue 01.12. 09:00" and slots[-1] == "Tue 01.12. 16:30" and len(slots) == 16
    assert all(s.tzinfo == UTC for s in CALENDAR.day_slots(date(2026, 12, 1)))


def test_weekends_and_public_holidays_have_no_slots():
    assert CALENDAR.day_slots(date(2026, 12, 5)) == []  # Saturday
    assert CALENDAR.day_slots(date(2026, 12, 25)) == []  # Christmas Day
    assert CALENDAR.day_slots(date(2026, 12, 26)) == []  # Boxing Day (a Saturday anyway)
    assert CALENDAR.day_slots(date(2026, 12, 24)) != []  # Christmas Eve is a working day


def test_offered_days_skip_holidays_and_count_open_days():
    days = CALENDAR.offered_days(at("2026-12-23T12:00"))
    assert days == [
        date(2026, 12, 23),
        date(2026, 12, 24),
        date(2026, 12, 28),
        date(2026, 12, 29),
        date(2026, 12, 30),
    ]


def test_the_lead_time_hides_slots_that_start_too_soon():
    offered = local(CALENDAR.offered(at("2026-12-01T10:05")))
    assert offered[0] == "Tue 01.12. 11:30"  # 11:05 is the earliest, 11:30 the next slot


def test_refusals_name_their_reason():
    now = at("2026-12-01T10:05")
    assert CALENDAR.refusal(at("2026-12-01T09:30").astimezone(UTC), now) == "past"
    assert CALENDAR.refusal(at("2026-12-01T10:30").astimezone(UTC), now) == "too_soon"
    assert CALENDAR.refusal(at("2026-12-01T18:00").astimezone(UTC), now) == "closed"
    assert (
        CALENDAR.refusal(at("2026-12-01T09:15").astimezone(UTC), at("2026-11-30T12:00")) == "closed"
    )
    assert CALENDAR.refusal(at("2026-12-25T10:00").astimezone(UTC), now) == "closed"
    assert CALENDAR.refusal(at("2026-12-15T10:00").astimezone(UTC), now) == "too_far"
    assert CALENDAR.refusal(at("2026-12-01T14:00").astimezone(UTC), now) is None


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("timezone: Mars/Base\nhours: {mon: ['09:00', '17:00']}", "timezone: must be a time zone"),
        ("timezone: Europe/Berlin\nhours: {}", "hours: must name at least one open day"),
        (
            "timezone: Europe/Berlin\nhours: {monday: ['09:00', '17:00']}",
            "hours: object contains unknown field `monday`",
        ),
        ("timezone: Europe/Berlin\nhours: {mon: ['17:00', '09:00']}", "hours.mon: closes before"),
        ("hours: {mon: ['09:00', '17:00']}\ncapacity: 0", "capacity: expected `int` >= 1"),
        (
            "hours: {mon: ['09:00', '17:00']}\nholidays: {country: XX}",
            "holidays: unknown country or subdivision 'XX'",
        ),
        ("hours: {mon: ['09:00', '17:00']\n", "line 2 is not valid YAML"),
    ],
)
def test_a_broken_file_is_named_with_its_problem_in_one_line(tmp_path, text, error):
    path = tmp_path / "callbacks.yaml"
    path.write_text(text)
    with pytest.raises(CallbackConfigError) as info:
        load_slot_config(path)
    assert str(info.value).startswith(f"{path}:")
    assert error in str(info.value)
    assert "\n" not in str(info.value)


def test_the_time_zone_defaults_to_the_home_time_zone(tmp_path):
    path = tmp_path / "callbacks.yaml"
    path.write_text("hours: {mon: ['09:00', '17:00']}\n")
    assert load_slot_config(path).timezone == TIMEZONE == BERLIN


def test_broken_yaml_is_named_in_one_line_with_its_line(tmp_path):
    path = tmp_path / "callbacks.yaml"
    path.write_text("timezone: Europe/Berlin\nhours: [\n  mon")
    with pytest.raises(CallbackConfigError) as raised:
        load_slot_config(path)
    assert str(raised.value).startswith(f"{path}: line 3 is not valid YAML")
    assert "\n" not in str(raised.value)


def test_the_callback_file_is_a_setting(tmp_path):
    from portal.settings import Settings

    base = {"PORTAL_DATA_DIR": str(tmp_path), "PORTAL_SECRET_KEY": "k" * 32}
    assert Settings.from_env(base).callback_file == SHIPPED_FILE
    own = Settings.from_env({**base, "PORTAL_CALLBACK_FILE": str(tmp_path / "cb.yaml")})
    assert own.callback_file == tmp_path / "cb.yaml"


def test_a_broken_file_stops_the_portal_with_one_line(tmp_path):
    import os

    broken = tmp_path / "callbacks.yaml"
    broken.write_text("timezone: Europe/Berlin\nhours: {mon: ['17:00', '09:00']}\n")
    env = {
        **os.environ,
        "PORTAL_DATA_DIR": str(tmp_path / "data"),
        "PORTAL_CALLBACK_FILE": str(broken),
    }
    result = run_portal(env, "migrate")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"portal: configuration error: {broken}: hours.mon: closes before it opens"
    ]
