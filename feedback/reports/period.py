"""Which whole local days a report covers: a month such as `2026-11` or a range of dates.

`Period.parse` reads the query parameters of the report API and page; what it refuses it
names in `InvalidPeriod` (parameter and reason), so the portal can word it per language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from shared.regional import TIMEZONE

#: A longer period is refused: the figures are computed in memory.
MAX_DAYS = 366

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class InvalidPeriod(ValueError):
    """The period parameters do not describe a period.

    `field` names the parameter at fault, `code` the reason (for a translated message):
    both, month, missing, date, order, too_long.
    """

    def __init__(self, message: str, field: str, code: str) -> None:
        super().__init__(message)
        self.field, self.code = field, code


@dataclass(frozen=True, slots=True)
class Period:
    """Whole local days from `first` to `last` (both included) in `tz`."""

    first: date
    last: date
    tz: ZoneInfo = TIMEZONE

    @property
    def start(self) -> datetime:
        """The first moment of the period, in UTC."""
        return datetime.combine(self.first, time(), self.tz).astimezone(UTC)

    @property
    def end(self) -> datetime:
        """The first moment after the period, in UTC."""
        return datetime.combine(self.last + timedelta(days=1), time(), self.tz).astimezone(UTC)

    @property
    def month(self) -> str | None:
        """`YYYY-MM` when the period is exactly one calendar month."""
        whole = self.first.day == 1 and (self.last + timedelta(days=1)).day == 1
        if whole and (self.first.year, self.first.month) == (self.last.year, self.last.month):
            return f"{self.first:%Y-%m}"
        return None

    @property
    def info(self) -> PeriodInfo:
        """The period as a report states it."""
        return PeriodInfo(self.first, self.last, self.tz.key, self.month)

    @property
    def label(self) -> str:
        return self.info.label

    @classmethod
    def parse(
        cls,
        month: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        tz: ZoneInfo = TIMEZONE,
        today: date | None = None,
    ) -> Period:
        """A month (`2026-11`) or `from` and `to` dates (`2026-11-01`); nothing: this month."""
        month, date_from, date_to = (v.strip() if v else "" for v in (month, date_from, date_to))
        if month and (date_from or date_to):
            raise InvalidPeriod("give either month or from and to, not both", "month", "both")
        if month:
            return cls.of_month(month, tz)
        if date_from or date_to:
            first, last = _date(date_from, "from"), _date(date_to, "to")
            if last < first:
                raise InvalidPeriod("to must not be before from", "to", "order")
            if (last - first).days + 1 > MAX_DAYS:
                raise InvalidPeriod(f"a period may span at most {MAX_DAYS} days", "to", "too_long")
            return cls(first, last, tz)
        today = today or datetime.now(tz).date()
        return cls.of_month(f"{today:%Y-%m}", tz)

    @classmethod
    def of_month(cls, text: str, tz: ZoneInfo = TIMEZONE) -> Period:
        match = _MONTH.match(text)
        year, number = (int(match.group(1)), int(match.group(2))) if match else (0, 0)
        if not (1970 <= year <= 9998 and 1 <= number <= 12):
            raise InvalidPeriod("month must be a month such as 2026-11", "month", "month")
        first = date(year, number, 1)
        following = date(year + number // 12, number % 12 + 1, 1)
        return cls(first, following - timedelta(days=1), tz)


def _date(text: str, name: str) -> date:
    if not text:
        raise InvalidPeriod(f"{name} is missing: give from and to together", name, "missing")
    try:
        if not _DATE.match(text):
            raise ValueError
        value = date.fromisoformat(text)
    except ValueError:
        raise InvalidPeriod(f"{name} must be a date such as 2026-11-01", name, "date") from None
    if not 1970 <= value.year <= 9998:
        raise InvalidPeriod(f"{name} must be a date such as 2026-11-01", name, "date")
    return value


@dataclass(frozen=True, slots=True)
class PeriodInfo:
    """The period as it appears in a report: local dates, both included."""

    first: date
    last: date
    timezone: str
    month: str | None

    @property
    def label(self) -> str:
        """The month, else `first_last`: names a report's CSV download."""
        return self.month or f"{self.first.isoformat()}_{self.last.isoformat()}"
