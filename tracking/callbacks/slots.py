"""Callback slots from configuration: opening hours, time zone, holidays, length, capacity."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Annotated

from msgspec import Meta

from shared import config_file
from tracking.opening_hours import OpeningHours

SHIPPED_FILE = Path(__file__).with_name("callbacks.yaml")
#: Reasons a moment is not a bookable slot (the customer's page words each one).
PAST, CLOSED, TOO_SOON, TOO_FAR = "past", "closed", "too_soon", "too_far"

Minutes = Annotated[int, Meta(ge=0)]
AtLeastOne = Annotated[int, Meta(ge=1)]


class CallbackConfigError(config_file.ConfigFileError):
    """The callback file is unusable; the message says what and where."""


class SlotConfig(OpeningHours, frozen=True, forbid_unknown_fields=True):
    """`callbacks.yaml`: opening hours at the top level, then the slot rules."""

    slot_minutes: AtLeastOne = 30
    capacity: AtLeastOne = 3
    days_ahead: AtLeastOne = 5
    lead_minutes: Minutes = 60
    change_cutoff_minutes: Minutes = 30
    reminder_minutes: Minutes = 120

    @property
    def slot_length(self) -> timedelta:
        return timedelta(minutes=self.slot_minutes)

    @property
    def cutoff(self) -> timedelta:
        return timedelta(minutes=self.change_cutoff_minutes)

    @property
    def reminder(self) -> timedelta:
        return timedelta(minutes=self.reminder_minutes)


def load_slot_config(path: Path = SHIPPED_FILE) -> SlotConfig:
    """Read and check the file; CallbackConfigError names the problem in one line."""
    return config_file.load(path, SlotConfig, CallbackConfigError)


class SlotCalendar:
    """Which slot starts exist and which of them may be booked at a given moment."""

    def __init__(self, config: SlotConfig) -> None:
        self.config = config
        self._holidays = config.holiday_calendar()

    def is_open_day(self, day: date) -> bool:
        return self.config.hours.get(day.weekday()) is not None and day not in self._holidays

    def day_slots(self, day: date) -> list[datetime]:
        """Slot starts of one local day, in UTC; none on closed days and holidays."""
        if not self.is_open_day(day):
            return []
        opening, closing = self.config.hours.get(day.weekday())
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
