"""The portal's languages, week and home time zone: written here once, imported everywhere.

A domain package (`faq`, `tracking`, `feedback`) imports these without importing `portal`.
The configuration files may name another time zone; `TIMEZONE` is their default and the
default of report periods.
"""

from __future__ import annotations

from typing import Literal
from zoneinfo import ZoneInfo

#: Languages the portal speaks, German first (the fallback when nothing else is known).
LANGUAGES = ("de", "en")
#: The same as a type, for request parameters and settings (`Literal["de", "en"]`).
Language = Literal[LANGUAGES]  # type: ignore[valid-type]
#: Weekday names as the configuration files write them, Monday first (= `date.weekday()`).
WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
#: The home time zone of the business: opening hours, business days and report periods.
TIMEZONE = ZoneInfo("Europe/Berlin")
