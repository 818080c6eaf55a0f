"""Opening hours as both configuration files write them: time zone, holidays, hours per day.

`classification.yaml` (`business_hours`, for service targets) and `callbacks.yaml` (the top
level, for callback slots) share this one declaration, so both accept and refuse the same.
"""

from __future__ import annotations

from datetime import date, time
from typing import Any
from zoneinfo import ZoneInfo

import holidays as holidays_lib
import msgspec

from shared.regional import TIMEZONE, WEEKDAYS


class Span(tuple[time, time]):
    """Opening and closing time of one day, written `["HH:MM", "HH:MM"]`."""

    @classmethod
    def from_yaml(cls, value: Any) -> Span:
        try:
            opening, closing = (time.fromisoformat(part) for part in value)
        except (TypeError, ValueError):
            raise ValueError('must be ["HH:MM", "HH:MM"]') from None
        if closing <= opening:
            raise ValueError("closes before it opens")
        return cls((opening, closing))

    @property
    def opening(self) -> time:
        return self[0]

    @property
    def closing(self) -> time:
        return self[1]


class _Week(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    def get(self, weekday: int) -> Span | None:
        """The span of a weekday (Monday = 0, as `date.weekday()`), None when closed."""
        return getattr(self, WEEKDAYS[weekday])

    def __post_init__(self) -> None:
        if not any(self.get(day) for day in range(7)):
            raise ValueError("must name at least one open day")


#: Hours per weekday: one optional field per name in `shared.regional.WEEKDAYS`.
Week = msgspec.defstruct(
    "Week",
    [(day, Span | None, None) for day in WEEKDAYS],
    bases=(_Week,),
    module=__name__,
    frozen=True,
    forbid_unknown_fields=True,
)


class Holidays(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Public holidays (closed all day) of a country and optionally a subdivision (state)."""

    country: str
    subdivision: str | None = None

    def __post_init__(self) -> None:
        try:
            self.calendar(years=2026)
        except (NotImplementedError, KeyError, TypeError):
            raise ValueError(f"unknown country or subdivision {self.country!r}") from None

    def calendar(self, **options: Any) -> holidays_lib.HolidayBase:
        return holidays_lib.country_holidays(self.country, subdiv=self.subdivision, **options)


class OpeningHours(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    hours: Week  # type: ignore[valid-type]
    timezone: ZoneInfo = TIMEZONE
    holidays: Holidays | None = None

    def holiday_calendar(self) -> holidays_lib.HolidayBase | dict[date, str]:
        """The public holidays to skip (none when the file names no country)."""
        return self.holidays.calendar() if self.holidays else {}
