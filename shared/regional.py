"""The portal's languages, week and home time zone: written here once, imported everywhere.

A domain package (`faq`, `tracking`, `feedback`) imports these without importing `portal`.
The configuration files may name another time zone; `TIMEZONE` is their default and the
default of report periods.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

#: Languages the portal speaks, German first (the fallback when nothing else is known).
LANGUAGES: tuple[str, ...] = ("de", "en")
#: Weekday names as the configuration files write them, Monday first (= `date.weekday()`).
WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
#: The home time zone of the business: opening hours, business days and report periods.
TIMEZONE = ZoneInfo("Europe/Berlin")
