"""SLA due times count business hours in Berlin and skip Sundays and German public holidays."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from tracking.classification import load_classification
from tracking.sla import BusinessCalendar, due_times

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture(scope="module")
def calendar():
    return BusinessCalendar(load_classification().business_hours)


def berlin(*args):
    return datetime(*args, tzinfo=BERLIN)


@pytest.mark.parametrize(
    ("start", "hours", "due"),
    [
        pytest.param((2026, 11, 24, 9, 0), 2, (2026, 11, 24, 11, 0), id="within_one_day"),
        pytest.param(
            (2026, 11, 24, 6, 30), 1, (2026, 11, 24, 9, 0), id="before_opening_starts_at_opening"
        ),
        pytest.param((2026, 11, 24, 17, 0), 3, (2026, 11, 25, 10, 0), id="rolls_over_the_night"),
        # Friday 17:00 + 8 h: 1 h Friday, 5 h Saturday (9-14), Sunday closed, 2 h Monday
        pytest.param(
            (2026, 11, 27, 17, 0), 8, (2026, 11, 30, 10, 0), id="saturday_short_sunday_closed"
        ),
        # 24 Dec 2026 is a Thursday; 25 and 26 Dec are holidays (26th a Saturday); 27th Sunday
        pytest.param((2026, 12, 24, 17, 0), 2, (2026, 12, 28, 9, 0), id="christmas_holidays"),
        # Thursday 25 March 2027 ... Good Friday 26 March 2027, Easter Monday 29 March 2027
        pytest.param((2027, 3, 25, 17, 0), 2, (2027, 3, 27, 10, 0), id="good_friday"),
        # clocks go forward on Sunday 28 March 2027, the shop is closed then
        pytest.param((2027, 3, 27, 13, 0), 2, (2027, 3, 30, 9, 0), id="daylight_saving_change"),
    ],
)
def test_open_hours_are_added_in_berlin(calendar, start, hours, due):
    assert calendar.add(berlin(*start), hours) == berlin(*due).astimezone(UTC)


def test_german_public_holidays_are_known(calendar):
    assert calendar.is_holiday(datetime(2026, 12, 25).date())
    assert calendar.is_holiday(datetime(2027, 3, 29).date())  # Easter Monday
    assert not calendar.is_holiday(datetime(2026, 12, 24).date())


def test_due_times_use_the_matching_sla_rule():
    c = load_classification()
    start = berlin(2026, 11, 24, 8, 0)
    due = due_times(c, {"type": "question", "urgency": "critical"}, start)
    assert due.first_response == berlin(2026, 11, 24, 10, 0).astimezone(UTC)
    assert due.resolution > due.first_response


# -- a case filed on Friday evening before Whit Monday (25 May 2026), with a fixed clock -------
FRIDAY_EVENING = berlin(2026, 5, 22, 19, 30)


def filed(channel: str = "email"):
    """An unsaved case as the intake makes it: due times from the configured rules."""
    from tracking.models import Case

    due = due_times(load_classification(), {"type": "question", "channel": channel}, FRIDAY_EVENING)
    return Case(
        status="received",
        created_at=FRIDAY_EVENING.astimezone(UTC),
        first_response_due=due.first_response,
        resolution_due=due.resolution,
    )


def light(case, now, timeline=()):
    from tracking.status import sla_light

    calendar = BusinessCalendar(load_classification().business_hours)
    return sla_light(case, list(timeline), calendar, now.astimezone(UTC))


def test_friday_evening_before_a_holiday_counts_saturday_then_tuesday():
    # 8 h for an email: Saturday 9-14 (5 h), Sunday closed, Whit Monday a holiday, Tuesday 8-11
    assert filed().first_response_due == berlin(2026, 5, 26, 11, 0).astimezone(UTC)
    # a letter may take 24 h: 5 h Saturday, 10 h Tuesday (8-18), 9 h Wednesday
    assert filed("letter").first_response_due == berlin(2026, 5, 27, 17, 0).astimezone(UTC)


def test_the_traffic_light_counts_only_open_time():
    case = filed()
    assert light(case, berlin(2026, 5, 23, 10, 0)).colour == "green"
    # Whit Monday afternoon: most wall-clock time has passed, but only 5 of 8 open hours
    assert light(case, berlin(2026, 5, 25, 16, 0)).colour == "green"
    assert light(case, berlin(2026, 5, 26, 8, 59)).colour == "green"
    # 6 of 8 open hours used (75 %): amber; the promise is Tuesday 11:00
    amber = light(case, berlin(2026, 5, 26, 9, 0))
    assert (amber.colour, amber.target) == ("amber", "first_response")
    assert amber.due == berlin(2026, 5, 26, 11, 0).astimezone(UTC)
    assert light(case, berlin(2026, 5, 26, 11, 1)).colour == "red"


def test_after_the_first_answer_the_resolution_promise_runs():
    from tracking.models import CaseEvent

    case = filed()
    answered = light(case, berlin(2026, 5, 26, 11, 1), [CaseEvent(kind="reply", data={})])
    assert (answered.colour, answered.target) == ("green", "resolution")
    assert answered.due == case.resolution_due


def test_open_hours_between_two_moments():
    calendar = BusinessCalendar(load_classification().business_hours)
    assert calendar.open_hours(FRIDAY_EVENING, berlin(2026, 5, 26, 11, 0)) == 8
    assert calendar.open_hours(berlin(2026, 5, 26, 11, 0), FRIDAY_EVENING) == 0
