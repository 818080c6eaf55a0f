"""Days and times as the customer reads them: in the home time zone, in the reader's language,
through Babel. Pages, mails and reports format their dates here.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, tzinfo

from babel.dates import format_date, get_day_names

#: Weekday and date as the pages write them ("Montag, 7. Dezember", "Monday, 7 December").
WEEKDAY_DATE = {"de": "EEEE, d. MMMM", "en": "EEEE, d MMMM"}
#: What follows a clock time in running text.
CLOCK_SUFFIX = {"de": " Uhr", "en": ""}

#: Opening hours by weekday (Monday = 0), as the classification and callback files hold them.
Hours = Mapping[int, tuple[time, time]]


def weekday_date(day: date, lang: str, year: bool = True) -> str:
    """Weekday and date, e.g. "Montag, 7. Dezember 2026" (a datetime by its own date)."""
    return format_date(day, WEEKDAY_DATE[lang] + (" y" if year else ""), locale=lang)


def clock(moment: datetime, tz: tzinfo) -> str:
    """The local time, e.g. "14:00": HH:mm reads the same in both languages (and strftime
    is far cheaper than Babel)."""
    return time_of_day(moment.astimezone(tz))


def time_of_day(moment: time | datetime) -> str:
    """A wall-clock time as it stands, e.g. "08:00" (opening hours have no zone)."""
    return moment.strftime("%H:%M")


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


def hours_text(hours: Hours, lang: str) -> str:
    """`Mo.–Fr. 08:00–18:00 Uhr, Sa. 09:00–14:00 Uhr`: weekdays in a row with equal hours
    joined, each span written as `time_span` writes a slot."""
    names = get_day_names("abbreviated", locale=lang)
    runs: list[list] = []  # [first day, last day, opening, closing]
    for day in range(7):
        if not hours.get(day):  # a Week of the configuration files or a {weekday: span} dict
            continue
        opening, closing = hours.get(day)
        if runs and runs[-1][1] == day - 1 and runs[-1][2:] == [opening, closing]:
            runs[-1][1] = day
        else:
            runs.append([day, day, opening, closing])
    return ", ".join(
        f"{names[first]}{'–' + names[last] if last != first else ''} "
        f"{time_of_day(opening)}–{time_of_day(closing)}{CLOCK_SUFFIX[lang]}"
        for first, last, opening, closing in runs
    )
