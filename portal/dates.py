"""Days and times as the customer reads them: in the home time zone, in the reader's language,
through Babel. Pages, mails and reports format their dates here.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from babel.dates import format_date, format_time

#: Weekday and date as the pages write them ("Montag, 7. Dezember", "Monday, 7 December").
WEEKDAY_DATE = {"de": "EEEE, d. MMMM", "en": "EEEE, d MMMM"}
#: What follows a clock time in running text.
CLOCK_SUFFIX = {"de": " Uhr", "en": ""}


def weekday_date(day: date, lang: str, year: bool = True) -> str:
    """Weekday and date, e.g. "Montag, 7. Dezember 2026" (a datetime by its own date)."""
    return format_date(day, WEEKDAY_DATE[lang] + (" y" if year else ""), locale=lang)


def clock(moment: datetime, tz: tzinfo) -> str:
    """The local time, e.g. "14:00": HH:mm reads the same in both languages (and strftime
    is far cheaper than Babel)."""
    return moment.astimezone(tz).strftime("%H:%M")


def local_time(moment: datetime, tz: tzinfo, lang: str) -> str:
    """Weekday, date and time, e.g. "Montag, 7. Dezember 2026, 14:00 Uhr"."""
    day = weekday_date(moment.astimezone(tz), lang)
    return f"{day}, {clock(moment, tz)}{CLOCK_SUFFIX[lang]}"


def time_span(start: datetime, end: datetime, tz: tzinfo, lang: str) -> str:
    """A slot on one day, e.g. "Montag, 7. Dezember 2026, 14:00–14:30 Uhr"."""
    day = weekday_date(start.astimezone(tz), lang)
    return f"{day}, {clock(start, tz)}–{clock(end, tz)}{CLOCK_SUFFIX[lang]}"


def short_day(moment: datetime, tz: tzinfo, lang: str) -> str:
    """The date alone in the language's medium form ("07.12.2026", "Dec 7, 2026")."""
    return format_date(moment.astimezone(tz), "medium", locale=lang)


def full_time(moment: datetime, tz: tzinfo, lang: str) -> str:
    """Babel's full date and short time of the language ("Montag, 7. Dezember 2026, 14:00",
    "Monday, December 7, 2026, 2:00 PM"): what the mails write."""
    local = moment.astimezone(tz)
    return f"{format_date(local, 'full', locale=lang)}, {format_time(local, 'short', locale=lang)}"
