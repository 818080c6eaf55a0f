"""Property-based tests (hypothesis): tracking IDs, the SLA calendar, the FAQ query parser."""

from __future__ import annotations

import contextlib
import re
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from faq.documents import ArticleDoc
from faq.search import FaqSearch
from tracking.classification import load_classification
from tracking.ids import ALPHABET, InvalidTrackingId, check_symbol, format_id, parse_tracking_id
from tracking.sla import BusinessCalendar

bodies = st.text(alphabet=ALPHABET, min_size=12, max_size=12)


def real_id(body: str) -> str:
    symbols = body + check_symbol(body)
    assume("0Z" not in symbols and "Z0" not in symbols)  # as new_tracking_id draws them
    return symbols


@given(bodies)
def test_parse_of_format_is_identity(body):
    symbols = body + check_symbol(body)
    assert parse_tracking_id(format_id(symbols)) == format_id(symbols)
    assert parse_tracking_id(symbols.lower()) == format_id(symbols)


@given(bodies, st.integers(0, 12), st.sampled_from(ALPHABET))
def test_every_single_symbol_error_is_detected(body, position, symbol):
    symbols = body + check_symbol(body)
    assume(symbols[position] != symbol)
    typo = symbols[:position] + symbol + symbols[position + 1 :]
    with pytest.raises(InvalidTrackingId):
        parse_tracking_id(typo)


@given(bodies, st.integers(0, 11))
def test_every_adjacent_transposition_of_a_real_id_is_detected(body, position):
    symbols = real_id(body)
    assume(symbols[position] != symbols[position + 1])
    swapped = (
        symbols[:position] + symbols[position + 1] + symbols[position] + symbols[position + 2 :]
    )
    with pytest.raises(InvalidTrackingId):
        parse_tracking_id(swapped)


@given(st.text(max_size=40))
def test_parsing_any_text_returns_an_id_or_refuses(text):
    with contextlib.suppress(InvalidTrackingId):
        assert len(parse_tracking_id(text)) == 15


# -- SLA calendar ----------------------------------------------------------------------------
CALENDAR = BusinessCalendar(load_classification().business_hours)
HOURS = CALENDAR.hours
moments = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)
)
spans = st.floats(min_value=0.25, max_value=200, allow_nan=False)


def is_open(moment: datetime) -> bool:
    local = moment.astimezone(HOURS.timezone)
    span = HOURS.hours.get(local.weekday())
    return (
        bool(span) and not CALENDAR.is_holiday(local.date()) and span[0] < local.time() <= span[1]
    )


@given(moments, spans)
@settings(max_examples=300, deadline=None)
def test_due_time_is_later_and_inside_opening_hours(start, hours):
    due = CALENDAR.add(start, hours)
    assert due >= start + timedelta(hours=hours) - timedelta(seconds=1)
    assert is_open(due)


@given(moments, spans, spans)
@settings(max_examples=200, deadline=None)
def test_more_business_hours_are_never_earlier_and_add_up(start, first, more):
    due = CALENDAR.add(start, first)
    assert CALENDAR.add(start, first + more) >= due
    assert abs(CALENDAR.add(due, more) - CALENDAR.add(start, first + more)) < timedelta(seconds=1)


# -- FAQ query parser --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    search = FaqSearch(tmp_path_factory.mktemp("ix"))
    search.rebuild(
        [
            ArticleDoc(
                "ruecksendung",
                "de",
                "Wie sende ich Ware zurück?",
                "Rückgabe",
                "Rücksendeetikett im Kundenkonto drucken.",
            ),
            ArticleDoc(
                "returns",
                "en",
                "How do I return an item?",
                "Returns",
                "Print the return label in your account.",
            ),
        ]
    )
    yield search
    search.close()


@given(text=st.text(max_size=300), lang=st.sampled_from(["de", "en"]))
@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_text_is_a_valid_query(engine, text, lang):
    result = engine.search(text, lang)
    assert result.total >= len(result.hits) >= 0


#: Query syntax of Whoosh and others, mixed with words the test index holds. Not "-": it joins
#: a hyphenated compound into one word ("Rücksende-Etikett", faq.text.tokenize), so
#: "return-Ware" is rightly not the same query as "return Ware".
SYNTAX_AND_WORDS = [
    *'()"*?~^:+[]{} \\/&|!',
    "AND",
    "OR",
    "NOT",
    "return",
    "label",
    "Etikett",
    "Ware",
]


@given(st.lists(st.sampled_from(SYNTAX_AND_WORDS), max_size=30).map("".join))
@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_query_syntax_characters_never_reach_a_parser(engine, text):
    """Operators, brackets and wildcards are plain separators: the same hits as spaces give."""
    result = engine.search(text, "de")
    plain = engine.search(re.sub(r"[^\w\s]", " ", text), "de")
    assert [hit.id for hit in result.hits] == [hit.id for hit in plain.hits]
    assert result.total == plain.total


def test_luhn_misses_exactly_the_swap_ids_never_contain():
    """Exhaustive over every pair of symbols at every place in the body."""
    import random

    rng = random.Random(7)
    missed = set()
    for position in range(11):
        for a in ALPHABET:
            for b in ALPHABET:
                if a == b:
                    continue
                filler = [rng.choice(ALPHABET) for _ in range(12)]
                filler[position : position + 2] = [a, b]
                symbols = "".join(filler) + check_symbol("".join(filler))
                swapped = symbols[:position] + b + a + symbols[position + 2 :]
                try:
                    parse_tracking_id(swapped)
                    missed.add(a + b)
                except InvalidTrackingId:
                    pass
    assert missed == {"0Z", "Z0"}
