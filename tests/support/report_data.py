"""A hand-built month of support work (October 2026, Europe/Berlin) and its figures.

Every expected number below is worked out by hand from the rows, not by the code under test.
Times are UTC; October 2026 in Berlin runs from 2026-09-30 22:00Z (CEST) to 2026-10-31
23:00Z (CET, after the clocks went back on 25 October).

Cases in the month (first response due 8 h after opening, resolution due 3 or 5 days after):

    case  type             level  opened (UTC)       answers (after opening)                 rating
    A     question         1      09-30 22:30 (edge) first_response 2 h, reply 3 h,         5, solved, CES 4
                                                     resolved 1 d
    B     question         1      10-10 08:00        resolved 4 d (no reply before)          2, not solved, CES 1
    C     question         2      10-20 09:00        none (both due times have passed)       -
    D     repair_warranty  2      10-15 12:00        reply 4 h, resolved 2 d, reopened 3 d,  4, solved, CES 3
                                                     resolved again 4 d (due: 5 d)
    E     repair_warranty  3      10-31 22:30 (edge) none, due in 2099 (left out of SLA)     -

Outside the month: F (09-30 21:30Z = 23:30 on 30 Sep in Berlin) and G (10-31 23:30Z = 00:30
on 1 Nov in Berlin), each with a rating of 1 that must not count.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from faq.models import ArticleVote, SearchLog
from feedback.models import Rating, SearchOutcome
from support.cases import stored_case
from tracking.models import Case, CaseEvent, SuggestionOpened

MONTH = "2026-10"
H = timedelta(hours=1)
D = timedelta(days=1)
FAR = datetime(2099, 1, 1, tzinfo=UTC)
HOSTILE = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://evil.example")'


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


async def _case(
    opened: datetime, request_type: str, level: int, resolution_days: int = 3, **extra
) -> Case:
    extra.setdefault("resolution_due", opened + resolution_days * D)
    return await stored_case(created_at=opened, request_type=request_type, level=level, **extra)


async def _events(case: Case, *entries: tuple[str, timedelta]) -> None:
    for kind, after in entries:
        await CaseEvent.create(case=case, kind=kind, created_at=case.created_at + after)


async def _rate(case: Case, satisfaction: int, solved: bool, effort: int) -> None:
    await Rating.create(
        case=case,
        satisfaction=satisfaction,
        solved=solved,
        effort=effort,
        language="de",
        created_at=case.created_at + 5 * D,
    )


async def seed_cases() -> None:
    a = await _case(
        utc("2026-09-30T22:30:00"),
        "question",
        1,
        deflection={"query": "", "shown": ["a", "b"], "opened": ["a"]},
    )
    await _events(
        a, ("received", 0 * H), ("first_response", 2 * H), ("reply", 3 * H), ("resolved", D)
    )
    await _rate(a, 5, True, 4)
    b = await _case(
        utc("2026-10-10T08:00:00"),
        "question",
        1,
        product="headphones_audio",
        channel="phone",
        deflection={"query": "", "shown": ["c"], "opened": []},
    )
    await _events(b, ("received", 0 * H), ("status_changed", H), ("resolved", 4 * D))
    await _rate(b, 2, False, 1)
    c = await _case(utc("2026-10-20T09:00:00"), "question", 2)
    await _events(c, ("received", 0 * H), ("customer_reply", 2 * D))
    d = await _case(
        utc("2026-10-15T12:00:00"),
        "repair_warranty",
        2,
        resolution_days=5,
        deflection={"query": "", "shown": ["a", "b", "c"], "opened": ["b"]},
    )
    await _events(
        d,
        ("received", 0 * H),
        ("reply", 4 * H),
        ("customer_reply", 5 * H),
        ("resolved", 2 * D),
        ("reopened", 3 * D),
        ("resolved", 4 * D),
    )
    await _rate(d, 4, True, 3)
    await _case(
        utc("2026-10-31T22:30:00"),
        "repair_warranty",
        3,
        product="headphones_audio",
        channel="phone",
        first_response_due=FAR,
        resolution_due=FAR + 4 * D,
    )
    for opened, kind in (
        (utc("2026-09-30T21:30:00"), "question"),
        (utc("2026-10-31T23:30:00"), "repair_warranty"),
    ):
        outside = await _case(opened, kind, 1)
        await _events(outside, ("reply", 20 * H), ("resolved", 9 * D))
        await _rate(outside, 1, False, 1)
    # the suggestions opened on the case form: drafts d1 and d4 became cases A and D
    for draft, slug, case, when in (
        ("d1", "a", a, "2026-09-30T22:20:00"),
        ("d1", "b", a, "2026-09-30T22:25:00"),
        ("d2", "a", None, "2026-10-05T10:00:00"),
        ("d3", "c", None, "2026-10-06T10:00:00"),
        ("d3", "a", None, "2026-10-06T10:02:00"),
        ("d4", "b", d, "2026-10-15T11:50:00"),
        ("d5", "a", None, "2026-11-03T10:00:00"),  # November
    ):
        await SuggestionOpened.create(
            draft=draft, slug=slug, lang="de", case=case, created_at=utc(when)
        )


async def seed_faq() -> None:
    october, november = utc("2026-10-12T10:00:00"), utc("2026-11-05T10:00:00")
    votes = [
        ("ruecksendung-kostenlos", "de", False, 3, october),
        ("ruecksendung-kostenlos", "de", True, 1, october),
        ("transportschaden", "en", False, 1, october),
        ("transportschaden", "en", True, 2, october),
        ("artikel-gibt-es-nicht", "de", False, 2, october),
        ("transportschaden", "en", False, 5, november),
    ]
    number = 0
    for slug, lang, helpful, count, when in votes:
        for _ in range(count):
            number += 1
            vote = await ArticleVote.create(
                slug=slug, lang=lang, voter=f"voter-{number}", helpful=helpful, created_at=when
            )
            await ArticleVote.filter(id=vote.id).update(updated_at=when)
    searches = [
        ("Finanzamt", "de", "no_result", 2, october),
        ("finanzamt", "de", "no_result", 1, october),
        (HOSTILE, "de", "no_result", 2, october),
        (FORMULA, "en", "no_result", 1, october),
        ("Garantie", "de", "case_opened", 5, october),
        ("Finanzamt", "de", "no_result", 4, november),
    ]
    for query, lang, outcome, count, when in searches:
        for _ in range(count):
            await SearchLog.create(
                query=query, lang=lang, result_count=0, outcome=outcome, created_at=when
            )
    await seed_comments()
    await seed_outcomes()


async def _comment(voter: str, comment: str, when: str) -> None:
    await ArticleVote.filter(voter=voter).update(comment=comment, updated_at=utc(when))


async def seed_comments() -> None:
    """Comments on the votes above: voter-1 to voter-3 said "not helpful" to
    ruecksendung-kostenlos, voter-4 "helpful", voter-5 "not helpful" to transportschaden (en),
    voter-11 to 15 the same in November."""
    await _comment("voter-1", "Wo finde ich das Etikett?", "2026-10-12T10:00:00")
    await _comment("voter-2", FORMULA, "2026-10-14T09:00:00")
    await _comment("voter-4", "Super, danke", "2026-10-13T10:00:00")  # helpful: not listed
    await _comment("voter-5", HOSTILE + "\nSecond line", "2026-10-20T08:00:00")
    await _comment("voter-11", "November", "2026-11-05T10:00:00")  # another month


async def seed_outcomes() -> None:
    """Searches with answers and what followed them; see KNOWLEDGE_GAPS for the verdicts."""
    late = "lieferung verspätet"
    returns, dunning = "ruecksendung-anleitung", "zahlungserinnerung-mahnung"
    steps = [
        # (search, step, query, lang, result count, article, when)
        ("s1-not-opened-000", "shown", late, "de", 3, "", "2026-10-03T10:00:00"),
        ("s2-not-helpful-00", "shown", late, "de", 3, "", "2026-10-04T10:00:00"),
        ("s2-not-helpful-00", "opened", "", "de", 0, "zahlungsarten", "2026-10-04T10:01:00"),
        ("s2-not-helpful-00", "not_helpful", "", "de", 0, "zahlungsarten", "2026-10-04T10:02:00"),
        ("s3-case-filed-000", "shown", late, "de", 3, "", "2026-10-05T10:00:00"),
        ("s3-case-filed-000", "opened", "", "de", 0, "zahlungsarten", "2026-10-05T10:01:00"),
        ("s3-case-filed-000", "case", late, "de", 3, "", "2026-10-05T10:09:00"),
        # found its answer: opened and voted helpful after a first "not helpful"
        ("s4-helpful-000000", "shown", late, "de", 3, "", "2026-10-06T10:00:00"),
        ("s4-helpful-000000", "not_helpful", "", "de", 0, "zahlungsarten", "2026-10-06T10:01:00"),
        ("s4-helpful-000000", "helpful", "", "de", 0, "sendungsverfolgung", "2026-10-06T10:03:00"),
        # opened without a vote: no gap
        ("s5-opened-0000000", "shown", "rücksendung", "de", 5, "", "2026-10-07T10:00:00"),
        ("s5-opened-0000000", "opened", "", "de", 0, returns, "2026-10-07T10:01:00"),
        # joins the searches for "Finanzamt" that found nothing
        ("s6-finanzamt-0000", "shown", "finanzamt", "de", 1, "", "2026-10-08T10:00:00"),
        # shown on the last evening of October (UTC), voted on after the month ended
        ("s7-month-end-0000", "shown", "delivery late", "en", 1, "", "2026-10-31T22:50:00"),
        ("s7-month-end-0000", "opened", "", "en", 0, dunning, "2026-10-31T23:10:00"),
        ("s7-month-end-0000", "not_helpful", "", "en", 0, dunning, "2026-10-31T23:15:00"),
        # November: not counted
        ("s8-november-00000", "shown", late, "de", 3, "", "2026-11-02T10:00:00"),
        # steps under an id no search was shown for (made up): ignored
        ("made-up-id-000000", "opened", "", "de", 0, "zahlungsarten", "2026-10-09T10:00:00"),
        ("made-up-id-000000", "not_helpful", "", "de", 0, "zahlungsarten", "2026-10-09T10:01:00"),
        # a case after a search that found nothing is the search log's gap already
        ("s9-case-no-result", "case", "finanzamt", "de", 0, "", "2026-10-10T10:00:00"),
        # a case with answers but no search id (the case form reached otherwise)
        ("s10-case-only-000", "case", "garantieverlängerung", "de", 2, "", "2026-10-11T10:00:00"),
    ]
    fields = ("search", "step", "query", "lang", "result_count", "article", "created_at")
    for values in steps:
        outcome = dict(zip(fields, values, strict=True))
        await SearchOutcome.create(**{**outcome, "created_at": utc(outcome["created_at"])})


async def seed() -> None:
    await seed_cases()
    await seed_faq()


#: The columns of a report row, in the order `row` takes them.
COLUMNS = (
    "group",
    "cases",
    "ratings",
    "satisfied",
    "csat_percent",
    "ces_average",
    "solved",
    "solved_percent",
    "first_response_sla_met",
    "first_response_sla_counted",
    "first_response_sla_percent",
    "resolution_sla_met",
    "resolution_sla_counted",
    "resolution_sla_percent",
    "median_first_response_minutes",
    "median_resolution_minutes",
)


def row(*figures) -> dict:
    """A report row from its figures, worked out by hand, in the order of COLUMNS."""
    return dict(zip(COLUMNS, figures, strict=True))


# question: A, B, C. Ratings 5 and 2: CSAT 1/2, CES (4 + 1) / 2, solved 1/2.
# First response: A in 2 h (met), B in 4 d by its resolution (missed), C none and overdue
# (missed): 1/3. Resolution: A 1 d (met), B 4 d (due 3 d, missed), C overdue: 1/3.
# Median first response of 120 and 5760 min: 2940; of resolution (1440, 5760): 3600.
QUESTION = row("question", 3, 2, 1, 50.0, 2.5, 1, 50.0, 1, 3, 33.3, 1, 3, 33.3, 2940.0, 3600.0)
# repair_warranty: D, E. D rated 4, answered in 4 h and resolved in 2 d (the second
# resolution does not count); E is due in 2099, so left out of both SLA rates.
REPAIR = row(
    "repair_warranty", 2, 1, 1, 100.0, 3.0, 1, 100.0, 1, 1, 100.0, 1, 1, 100.0, 240.0, 2880.0
)
# All five: ratings 5, 2, 4: CSAT 2/3, CES 8/3, solved 2/3; first response A, D met of A-D;
# medians of (120, 5760, 240) and (1440, 5760, 2880).
TOTAL = row("", 5, 3, 2, 66.7, 2.67, 2, 66.7, 2, 4, 50.0, 2, 4, 50.0, 240.0, 2880.0)
BY_LEVEL = [
    # level 1: A, B
    row("1", 2, 2, 1, 50.0, 2.5, 1, 50.0, 1, 2, 50.0, 1, 2, 50.0, 2940.0, 3600.0),
    # level 2: C (unanswered, overdue), D
    row("2", 2, 1, 1, 100.0, 3.0, 1, 100.0, 1, 2, 50.0, 1, 2, 50.0, 240.0, 2880.0),
    # level 3: E only: nothing rated, nothing due, nothing answered
    row("3", 1, 0, 0, None, None, 0, None, 0, 0, None, 0, 0, None, None, None),
]

# Cases A-E; A, B and D were shown 2 + 1 + 3 suggestions. Opened in October: six rows of
# drafts d1-d4; d2 and d3 filed no case: 2 of 4 deflected.
DEFLECTION = {
    "cases": 5,
    "cases_with_suggestions": 3,
    "suggestions_shown": 6,
    "suggestions_opened": 6,
    "drafts_with_opened": 4,
    "deflected": 2,
    "deflected_percent": 50.0,
}
NOT_HELPFUL = [
    {
        "slug": "ruecksendung-kostenlos",
        "lang": "de",
        "title": "Ist die Rücksendung kostenlos?",
        "not_helpful": 3,
        "helpful": 1,
        "votes": 4,
    },
    {
        "slug": "artikel-gibt-es-nicht",
        "lang": "de",
        "title": "",
        "not_helpful": 2,
        "helpful": 0,
        "votes": 2,
    },
    {
        "slug": "transportschaden",
        "lang": "en",
        "title": "My parcel arrived damaged – what should I do?",
        "not_helpful": 1,
        "helpful": 2,
        "votes": 3,
    },
]


def gap(
    query, lang, no_result=0, not_opened=0, not_helpful=0, case_filed=0, article="", title=""
) -> dict:
    return {
        "query": query,
        "lang": lang,
        "searches": no_result + not_opened + not_helpful + case_filed,
        "no_result": no_result,
        "not_opened": not_opened,
        "not_helpful": not_helpful,
        "case_filed": case_filed,
        "wrong_article": article,
        "wrong_article_title": title,
    }


# Finanzamt: 3 searches found nothing, 1 found answers nobody opened (s6). "lieferung
# verspätet": s1 never opened, s2 voted "not helpful", s3 case after reading the same article;
# s4 found its answer, s8 is November's. "delivery late": s7, shown in October. The case after
# nothing found (s9) is not counted twice; the case without a search id (s10) counts.
# Ties in searches are ordered by query: "=" before "d" before "g".
KNOWLEDGE_GAPS = [
    gap("Finanzamt", "de", no_result=3, not_opened=1),
    gap(
        "lieferung verspätet",
        "de",
        not_opened=1,
        not_helpful=1,
        case_filed=1,
        article="zahlungsarten",
        title="Welche Zahlungsarten bietet ihr an?",
    ),
    gap(HOSTILE, "de", no_result=2),
    gap(FORMULA, "en", no_result=1),
    gap(
        "delivery late",
        "en",
        not_helpful=1,
        article="zahlungserinnerung-mahnung",
        title="I received a payment reminder or dunning letter",
    ),
    gap("garantieverlängerung", "de", case_filed=1),
]
# "Not helpful" comments of October, newest first (the helpful vote's comment is not one).
COMMENTS = [
    {
        "slug": "transportschaden",
        "lang": "en",
        "title": "My parcel arrived damaged – what should I do?",
        "comment": HOSTILE + "\nSecond line",
        "updated_at": "2026-10-20T08:00:00Z",
    },
    {
        "slug": "ruecksendung-kostenlos",
        "lang": "de",
        "title": "Ist die Rücksendung kostenlos?",
        "comment": FORMULA,
        "updated_at": "2026-10-14T09:00:00Z",
    },
    {
        "slug": "ruecksendung-kostenlos",
        "lang": "de",
        "title": "Ist die Rücksendung kostenlos?",
        "comment": "Wo finde ich das Etikett?",
        "updated_at": "2026-10-12T10:00:00Z",
    },
]
