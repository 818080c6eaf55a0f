"""Report periods are whole Berlin days; figures of an empty group are None, not errors."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from feedback.reports.cases import CaseFacts, figures
from feedback.reports.period import InvalidPeriod, Period


def test_a_month_runs_from_local_midnight_to_local_midnight():
    october = Period.parse("2026-10")
    assert october.start == datetime(2026, 9, 30, 22, tzinfo=UTC)  # CEST
    assert october.end == datetime(2026, 10, 31, 23, tzinfo=UTC)  # CET after 25 October
    assert (october.first, october.last, october.month) == (
        date(2026, 10, 1),
        date(2026, 10, 31),
        "2026-10",
    )


def test_december_ends_with_the_year():
    assert Period.parse("2026-12").last == date(2026, 12, 31)


def test_a_range_includes_its_last_day():
    period = Period.parse(None, "2026-10-01", "2026-10-15")
    assert period.end == datetime(2026, 10, 15, 22, tzinfo=UTC)
    assert period.month is None and period.label == "2026-10-01_2026-10-15"


def test_nothing_given_is_this_month():
    assert Period.parse(today=date(2026, 2, 14)).label == "2026-02"


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("2026-00",), "month"),
        (("26-10",), "month"),
        (("2026-10", "2026-10-01", ""), "both"),
        ((None, "2026-10-01", None), "missing"),
        ((None, "2026-10-32", "2026-11-01"), "date"),
        ((None, "20261001", "2026-11-01"), "date"),
        ((None, "2026-10-02", "2026-10-01"), "order"),
        ((None, "2026-01-01", "2027-01-02"), "too_long"),
    ],
)
def test_bad_periods_name_their_reason(args, code):
    with pytest.raises(InvalidPeriod) as caught:
        Period.parse(*args)
    assert caught.value.code == code


def test_a_group_without_ratings_or_answers_has_no_rates():
    now = datetime(2026, 11, 1, tzinfo=UTC)
    waiting = CaseFacts("x", now, now + timedelta(hours=8), now + timedelta(days=3))
    row = figures("x", [waiting], now)
    assert (row.cases, row.ratings, row.csat_percent, row.ces_average) == (1, 0, None, None)
    assert (row.first_response_sla_counted, row.first_response_sla_percent) == (0, None)
    assert row.median_first_response_minutes is None
    assert figures("", [], now).cases == 0


def test_an_answer_exactly_at_the_due_time_is_in_time():
    opened = datetime(2026, 10, 1, 8, tzinfo=UTC)
    due = opened + timedelta(hours=8)
    fact = CaseFacts("x", opened, due, due, first_response_at=due, resolved_at=due)
    row = figures("x", [fact], due + timedelta(days=30))
    assert row.first_response_sla_percent == row.resolution_sla_percent == 100.0
    assert row.median_first_response_minutes == 480.0
