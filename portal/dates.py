"""Moments as the customer reads them: in the home time zone, in the page's language."""

from __future__ import annotations

from datetime import datetime, tzinfo

from babel.dates import format_datetime


def local_time(moment: datetime, tz: tzinfo, lang: str) -> str:
    """Weekday, date and time, e.g. "Montag, 7. Dezember 2026, 14:00 Uhr"."""
    pattern = "EEEE, d. MMMM y, HH:mm 'Uhr'" if lang == "de" else "EEEE, d MMMM y, HH:mm"
    return format_datetime(moment, pattern, tzinfo=tz, locale=lang)
