"""Service targets counted in business hours: opening hours, local time zone, public holidays."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from tracking.classification import Classification
from tracking.opening_hours import OpeningHours


@dataclass(frozen=True, slots=True)
class SlaDue:
    first_response: datetime
    resolution: datetime


class BusinessCalendar:
    """Adds business hours to a moment; closed days and holidays do not count."""

    def __init__(self, hours: OpeningHours) -> None:
        self.hours = hours
        self._holidays = hours.holiday_calendar()

    def is_holiday(self, day: date) -> bool:
        return day in self._holidays

    def open_hours(self, start: datetime, end: datetime) -> float:
        """Business hours between two moments (0 when `end` is not after `start`)."""
        tz = self.hours.timezone
        current, end = start.astimezone(tz), end.astimezone(tz)
        total = timedelta()
        while current < end:
            day = current.date()
            span = self.hours.hours.get(day.weekday())
            if span and not self.is_holiday(day):
                begin = max(current, datetime.combine(day, span[0], tz))
                finish = min(end, datetime.combine(day, span[1], tz))
                total += max(finish - begin, timedelta())
            current = datetime.combine(day + timedelta(days=1), datetime.min.time(), tz)
        return total.total_seconds() / 3600

    def share_point(self, start: datetime, due: datetime, share: float) -> datetime:
        """When `share` of the business time from `start` to `due` is used up.

        A case filed on Friday evening before a holiday Monday must not turn amber over the
        closed days: only open time counts, as it does for the promise itself.
        """
        return self.add(start, self.open_hours(start, due) * share)

    def add(self, start: datetime, business_hours: float) -> datetime:
        """The moment `business_hours` of open time after `start` (returned in UTC)."""
        tz = self.hours.timezone
        current = start.astimezone(tz)
        remaining = timedelta(hours=business_hours)
        for _ in range(3660):  # ten years of days: more than any target, never endless
            day = current.date()
            span = self.hours.hours.get(day.weekday())
            if span and not self.is_holiday(day):
                opening = datetime.combine(day, span[0], tz)
                closing = datetime.combine(day, span[1], tz)
                begin = max(current, opening)
                if begin < closing:
                    available = closing - begin
                    if remaining <= available:
                        return (begin + remaining).astimezone(UTC)
                    remaining -= available
            current = datetime.combine(day + timedelta(days=1), datetime.min.time(), tz)
        raise ValueError("business hours target too far in the future")


def due_times(
    classification: Classification,
    case: Mapping[str, str],
    start: datetime,
    calendar: BusinessCalendar | None = None,
) -> SlaDue:
    """First-response and resolution due times of a case created at `start`."""
    calendar = calendar or BusinessCalendar(classification.business_hours)
    first, resolution = classification.sla_hours(case)
    return SlaDue(calendar.add(start, first), calendar.add(start, resolution))
