"""Callback slots from configuration: opening hours, time zone, holidays, length, capacity."""

from __future__ import annotations

from dataclasses import MISSING, dataclass, fields
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays as holidays_lib

from tracking.config_files import load_yaml

SHIPPED_FILE = Path(__file__).with_name("callbacks.yaml")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
#: Reasons a moment is not a bookable slot (the customer's page words each one).
PAST, CLOSED, TOO_SOON, TOO_FAR = "past", "closed", "too_soon", "too_far"


class CallbackConfigError(ValueError):
    """The callback file is unusable; the message says what and where."""


@dataclass(frozen=True, slots=True)
class SlotConfig:
    timezone: ZoneInfo
    holiday_country: str | None
    hours: dict[int, tuple[time, time]]  # weekday (Monday = 0) -> opening, closing
    slot_minutes: int = 30
    capacity: int = 3
    days_ahead: int = 5
    lead_minutes: int = 60
    change_cutoff_minutes: int = 30
    reminder_minutes: int = 120

    @property
    def slot_length(self) -> timedelta:
        return timedelta(minutes=self.slot_minutes)

    @property
    def cutoff(self) -> timedelta:
        return timedelta(minutes=self.change_cutoff_minutes)

    @property
    def reminder(self) -> timedelta:
        return timedelta(minutes=self.reminder_minutes)


DEFAULTS = {f.name: f.default for f in fields(SlotConfig) if f.default is not MISSING}


def load_slot_config(path: Path = SHIPPED_FILE) -> SlotConfig:
    """Read and check the file; CallbackConfigError names the problem."""
    raw = load_yaml(path, CallbackConfigError)
    try:
        return _parse(raw if isinstance(raw, dict) else {})
    except CallbackConfigError as exc:
        raise CallbackConfigError(f"{path}: {exc}") from None


def _parse(raw: dict[str, Any]) -> SlotConfig:
    try:
        tz = ZoneInfo(str(raw.get("timezone")))
    except (ZoneInfoNotFoundError, ValueError):
        raise CallbackConfigError("timezone must be a time zone such as Europe/Berlin") from None
    country = (
        (raw.get("holidays") or {}).get("country")
        if isinstance(raw.get("holidays"), dict)
        else None
    )
    if country:
        try:
            holidays_lib.country_holidays(country, years=2026)
        except NotImplementedError:
            raise CallbackConfigError(f"holidays: unknown country {country!r}") from None
    hours = {}
    for day, span in (raw.get("hours") or {}).items():
        if day not in WEEKDAYS:
            raise CallbackConfigError(f"hours: unknown day {day!r} (use {', '.join(WEEKDAYS)})")
        try:
            opening, closing = (time.fromisoformat(part) for part in span)
        except (TypeError, ValueError):
            raise CallbackConfigError(f'hours.{day} must be ["HH:MM", "HH:MM"]') from None
        if closing <= opening:
            raise CallbackConfigError(f"hours.{day} closes before it opens")
        hours[WEEKDAYS.index(day)] = (opening, closing)
    if not hours:
        raise CallbackConfigError("hours must name at least one open day")
    numbers = {}
    for name in ("slot_minutes", "capacity", "days_ahead", "lead_minutes",
                 "change_cutoff_minutes", "reminder_minutes"):  # fmt: skip
        value = raw.get(name, DEFAULTS[name])
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise CallbackConfigError(f"{name} must be a whole number, 0 or more")
        numbers[name] = value
    for name in ("slot_minutes", "capacity", "days_ahead"):
        if numbers[name] < 1:
            raise CallbackConfigError(f"{name} must be at least 1")
    return SlotConfig(tz, country or None, hours, **numbers)


class SlotCalendar:
    """Which slot starts exist and which of them may be booked at a given moment."""

    def __init__(self, config: SlotConfig) -> None:
        self.config = config
        self._holidays = (
            holidays_lib.country_holidays(config.holiday_country) if config.holiday_country else {}
        )

    def is_open_day(self, day: date) -> bool:
        return day.weekday() in self.config.hours and day not in self._holidays

    def day_slots(self, day: date) -> list[datetime]:
        """Slot starts of one local day, in UTC; none on closed days and holidays."""
        if not self.is_open_day(day):
            return []
        opening, closing = self.config.hours[day.weekday()]
        tz, length = self.config.timezone, self.config.slot_length
        start, end = datetime.combine(day, opening, tz), datetime.combine(day, closing, tz)
        slots = []
        while start + length <= end:
            slots.append(start.astimezone(UTC))
            start = start + length
        return slots

    def offered_days(self, now: datetime) -> list[date]:
        """The next `days_ahead` open days, today included."""
        day, days = now.astimezone(self.config.timezone).date(), []
        for _ in range(366):
            if len(days) == self.config.days_ahead:
                break
            if self.is_open_day(day):
                days.append(day)
            day += timedelta(days=1)
        return days

    def offered(self, now: datetime) -> list[datetime]:
        """Every bookable slot start (full or not) from `now` on, oldest first."""
        earliest = now + timedelta(minutes=self.config.lead_minutes)
        return [s for day in self.offered_days(now) for s in self.day_slots(day) if s >= earliest]

    def refusal(self, start: datetime, now: datetime, *, lead: bool = True) -> str | None:
        """Why `start` cannot be booked now, or None when it can (capacity aside)."""
        if start <= now:
            return PAST
        local = start.astimezone(self.config.timezone)
        if start not in self.day_slots(local.date()):
            return CLOSED
        if lead and start < now + timedelta(minutes=self.config.lead_minutes):
            return TOO_SOON
        offered = self.offered_days(now)
        if not offered or local.date() > offered[-1]:
            return TOO_FAR
        return None

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.config.timezone)
