"""Days and times in both languages, worked out by hand: pages, mails and reports format them
through `portal.dates`, so these are the words a customer reads."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from portal import dates, i18n
from portal.mail_templates import MailTemplates
from portal.settings import Settings

BERLIN = ZoneInfo("Europe/Berlin")
# 13:05 UTC on Monday 7 December 2026 is 14:05 in Berlin; 23:30 UTC on Sunday 6 December is
# already Monday there
MOMENT = datetime(2026, 12, 7, 13, 5, tzinfo=UTC)
LATE = datetime(2026, 12, 6, 23, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("de", "Montag, 7. Dezember 2026, 14:05 Uhr"), ("en", "Monday, 7 December 2026, 14:05")],
)
def test_local_time_is_weekday_date_and_clock_in_the_home_zone(lang: str, expected: str) -> None:
    assert dates.local_time(MOMENT, BERLIN, lang) == expected


def test_the_day_is_the_home_zones_day() -> None:
    assert dates.local_time(LATE, BERLIN, "de") == "Montag, 7. Dezember 2026, 00:30 Uhr"
    assert dates.short_day(LATE, BERLIN, "de") == "07.12.2026"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("de", "Montag, 7. Dezember 2026, 14:05–14:35 Uhr"),
        ("en", "Monday, 7 December 2026, 14:05–14:35"),
    ],
)
def test_time_span(lang: str, expected: str) -> None:
    end = datetime(2026, 12, 7, 13, 35, tzinfo=UTC)
    assert dates.time_span(MOMENT, end, BERLIN, lang) == expected


def test_weekday_date_without_the_year() -> None:
    assert dates.weekday_date(date(2026, 12, 8), "de", year=False) == "Dienstag, 8. Dezember"
    assert dates.weekday_date(date(2026, 12, 8), "en", year=False) == "Tuesday, 8 December"


def test_reports_and_mail_lists_use_the_languages_short_date() -> None:
    assert dates.short_day(MOMENT, BERLIN, "en") == "Dec 7, 2026"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("de", "Montag, 7. Dezember 2026, 14:05 Uhr"), ("en", "Monday, 7 December 2026, 14:05")],
)
def test_a_mail_writes_a_moment_as_the_pages_do(
    settings: Settings, lang: str, expected: str
) -> None:
    mails = MailTemplates(settings, BERLIN)
    with i18n.speaking(lang):
        assert mails.when(MOMENT) == expected
