"""The case figures of a period, per group and in total: CSAT, CES, solved, SLA, medians.

The figures are about the cases *opened* in the period (a cohort): their ratings, first
responses and resolutions count whenever they came, so a month's figures settle as its
cases are answered, and every rate of a row has the same cases behind it. The total row is
computed from all cases of the period, not from the group rows.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal, get_args

from feedback.models import Rating
from feedback.reports.period import Period, PeriodInfo
from feedback.reports.rates import percent
from tracking.models import Case, CaseEvent

#: The case fields a report may be grouped by.
GroupBy = Literal["request_type", "product", "channel", "level"]
GROUPS: tuple[str, ...] = get_args(GroupBy)
#: Timeline entries that answer the customer: a reply, a first response given by phone, or a
#: resolution that came without either. The earliest one is the first response.
FIRST_RESPONSE_KINDS = ("first_response", "reply", "resolved")
#: The earliest entry of this kind is the resolution (a later reopening does not undo it).
RESOLVED_KIND = "resolved"
#: Ratings of 4 and 5 count as satisfied (CSAT).
SATISFIED = (4, 5)


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """What the report needs of one case."""

    group: str
    created_at: datetime
    first_response_due: datetime
    resolution_due: datetime
    first_response_at: datetime | None = None
    resolved_at: datetime | None = None
    satisfaction: int | None = None
    solved: bool | None = None
    effort: int | None = None


@dataclass(frozen=True, slots=True)
class Figures:
    """One row of the case report. `group` is "" in the total row."""

    group: str
    cases: int
    ratings: int
    satisfied: int
    csat_percent: float | None
    ces_average: float | None
    solved: int
    solved_percent: float | None
    first_response_sla_met: int
    first_response_sla_counted: int
    first_response_sla_percent: float | None
    resolution_sla_met: int
    resolution_sla_counted: int
    resolution_sla_percent: float | None
    median_first_response_minutes: float | None
    median_resolution_minutes: float | None


@dataclass(frozen=True, slots=True)
class CaseReport:
    period: PeriodInfo
    group_by: str
    groups: list[Figures]
    total: Figures


def _sla(
    facts: Sequence[CaseFacts], done: str, due: str, now: datetime
) -> tuple[int, int, float | None]:
    """(met, counted, percent): met when done by the due time, missed when done later or
    not done while the due time has passed. A case not done and not yet due is left out."""
    met = counted = 0
    for fact in facts:
        moment, deadline = getattr(fact, done), getattr(fact, due)
        if moment is not None:
            counted += 1
            met += moment <= deadline
        elif deadline < now:
            counted += 1
    return met, counted, percent(met, counted)


def _median_minutes(values: Iterable[timedelta]) -> float | None:
    minutes = [value.total_seconds() / 60 for value in values]
    return round(statistics.median(minutes), 1) if minutes else None


def figures(group: str, facts: Sequence[CaseFacts], now: datetime) -> Figures:
    """The row of one group (or of all cases, for the total)."""
    rated = [f for f in facts if f.satisfaction is not None]
    satisfied = sum(f.satisfaction in SATISFIED for f in rated)
    solved = sum(bool(f.solved) for f in rated)
    efforts = [f.effort for f in rated if f.effort is not None]
    fr_met, fr_counted, fr_percent = _sla(facts, "first_response_at", "first_response_due", now)
    res_met, res_counted, res_percent = _sla(facts, "resolved_at", "resolution_due", now)
    return Figures(
        group=group,
        cases=len(facts),
        ratings=len(rated),
        satisfied=satisfied,
        csat_percent=percent(satisfied, len(rated)),
        ces_average=round(statistics.fmean(efforts), 2) if efforts else None,
        solved=solved,
        solved_percent=percent(solved, len(rated)),
        first_response_sla_met=fr_met,
        first_response_sla_counted=fr_counted,
        first_response_sla_percent=fr_percent,
        resolution_sla_met=res_met,
        resolution_sla_counted=res_counted,
        resolution_sla_percent=res_percent,
        median_first_response_minutes=_median_minutes(
            f.first_response_at - f.created_at for f in facts if f.first_response_at
        ),
        median_resolution_minutes=_median_minutes(
            f.resolved_at - f.created_at for f in facts if f.resolved_at
        ),
    )


def summarise(
    period: Period, group_by: str, facts: Sequence[CaseFacts], now: datetime
) -> CaseReport:
    """Group rows (most cases first, then by name) and the total row."""
    grouped: dict[str, list[CaseFacts]] = defaultdict(list)
    for fact in facts:
        grouped[fact.group].append(fact)
    rows = [figures(key, members, now) for key, members in grouped.items()]
    rows.sort(key=lambda row: (-row.cases, row.group))
    return CaseReport(period.info, group_by, rows, figures("", facts, now))


async def case_facts(period: Period, group_by: str) -> list[CaseFacts]:
    """Three queries: the period's cases, their answering timeline entries, their ratings."""
    if group_by not in GROUPS:
        raise ValueError(f"group_by must be one of {', '.join(GROUPS)}")
    window = {"created_at__gte": period.start, "created_at__lt": period.end}
    in_window = {f"case__{key}": value for key, value in window.items()}
    cases = await Case.filter(**window).values(
        "id", group_by, "created_at", "first_response_due", "resolution_due"
    )
    answered: dict[int, datetime] = {}
    resolved: dict[int, datetime] = {}
    events = await CaseEvent.filter(**in_window, kind__in=FIRST_RESPONSE_KINDS).values_list(
        "case_id", "kind", "created_at"
    )
    for case_id, kind, moment in events:
        if case_id not in answered or moment < answered[case_id]:
            answered[case_id] = moment
        if kind == RESOLVED_KIND and (case_id not in resolved or moment < resolved[case_id]):
            resolved[case_id] = moment
    ratings = {
        case_id: {"satisfaction": satisfaction, "solved": solved, "effort": effort}
        for case_id, satisfaction, solved, effort in await Rating.filter(**in_window).values_list(
            "case_id", "satisfaction", "solved", "effort"
        )
    }
    return [
        CaseFacts(
            group=str(case[group_by]),
            created_at=case["created_at"],
            first_response_due=case["first_response_due"],
            resolution_due=case["resolution_due"],
            first_response_at=answered.get(case["id"]),
            resolved_at=resolved.get(case["id"]),
            **ratings.get(case["id"], {}),
        )
        for case in cases
    ]


async def case_report(period: Period, group_by: str, now: datetime | None = None) -> CaseReport:
    """The case figures of `period` grouped by `group_by` (one of GROUPS), with a total row.

    `now` decides which unanswered cases are already overdue (default: the current time).
    """
    facts = await case_facts(period, group_by)
    return summarise(period, group_by, facts, now or datetime.now(UTC))
