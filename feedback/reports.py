"""Figures for the service manager: cases, ratings, SLA and FAQ deflection over a period.

Pure domain code (no HTTP): the portal's report API and report page both call
`case_report` and `faq_report` and render the plain dataclasses they return.

Choices, in one place:

- A period is whole local days (`shared.regional.TIMEZONE` unless told otherwise): a month such as
  `2026-11` or an inclusive range of dates, at most MAX_DAYS days.
- The case figures are about the cases *opened* in the period (a cohort): their ratings,
  first responses and resolutions count whenever they came, so a month's figures settle as
  its cases are answered, and every rate of a row has the same cases behind it.
- Rates are percentages rounded to one decimal, averages to two decimals, medians are in
  minutes rounded to one decimal. A rate, average or median with nothing to count is None,
  never a division by zero.
- The total row is computed from all cases of the period, not from the group rows.
"""

from __future__ import annotations

import csv
import io
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, fields
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from tortoise.functions import Count

from faq.models import Article, ArticleVote, SearchLog
from feedback import outcomes
from feedback.models import Rating
from shared.regional import TIMEZONE
from tracking.models import Case, CaseEvent, SuggestionOpened

#: The case fields a report may be grouped by.
GROUPS = ("request_type", "product", "channel", "level")
#: Timeline entries that answer the customer: a reply, a first response given by phone, or a
#: resolution that came without either. The earliest one is the first response.
FIRST_RESPONSE_KINDS = ("first_response", "reply", "resolved")
#: The earliest entry of this kind is the resolution (a later reopening does not undo it).
RESOLVED_KIND = "resolved"
#: Ratings of 4 and 5 count as satisfied (CSAT).
SATISFIED = (4, 5)
#: A longer period is refused: the figures are computed in memory.
MAX_DAYS = 366
#: The tables of the FAQ report, each also a CSV download.
FAQ_TABLES = ("deflection", "not_helpful", "comments", "knowledge_gaps")
TOP_DEFAULT = 10
TOP_MAX = 100

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class InvalidPeriod(ValueError):
    """The period parameters do not describe a period.

    `field` names the parameter at fault, `code` the reason (for a translated message):
    both, month, missing, date, order, too_long.
    """

    def __init__(self, message: str, field: str, code: str) -> None:
        super().__init__(message)
        self.field, self.code = field, code


@dataclass(frozen=True, slots=True)
class Period:
    """Whole local days from `first` to `last` (both included) in `tz`."""

    first: date
    last: date
    tz: ZoneInfo = TIMEZONE

    @property
    def start(self) -> datetime:
        """The first moment of the period, in UTC."""
        return datetime.combine(self.first, time(), self.tz).astimezone(UTC)

    @property
    def end(self) -> datetime:
        """The first moment after the period, in UTC."""
        return datetime.combine(self.last + timedelta(days=1), time(), self.tz).astimezone(UTC)

    @property
    def month(self) -> str | None:
        """`YYYY-MM` when the period is exactly one calendar month."""
        whole = self.first.day == 1 and (self.last + timedelta(days=1)).day == 1
        if whole and (self.first.year, self.first.month) == (self.last.year, self.last.month):
            return f"{self.first:%Y-%m}"
        return None

    @property
    def label(self) -> str:
        return self.month or f"{self.first.isoformat()}_{self.last.isoformat()}"

    @classmethod
    def parse(
        cls,
        month: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        tz: ZoneInfo = TIMEZONE,
        today: date | None = None,
    ) -> Period:
        """A month (`2026-11`) or `from` and `to` dates (`2026-11-01`); nothing: this month."""
        month, date_from, date_to = (v.strip() if v else "" for v in (month, date_from, date_to))
        if month and (date_from or date_to):
            raise InvalidPeriod("give either month or from and to, not both", "month", "both")
        if month:
            return cls.of_month(month, tz)
        if date_from or date_to:
            first, last = _date(date_from, "from"), _date(date_to, "to")
            if last < first:
                raise InvalidPeriod("to must not be before from", "to", "order")
            if (last - first).days + 1 > MAX_DAYS:
                raise InvalidPeriod(f"a period may span at most {MAX_DAYS} days", "to", "too_long")
            return cls(first, last, tz)
        today = today or datetime.now(tz).date()
        return cls.of_month(f"{today:%Y-%m}", tz)

    @classmethod
    def of_month(cls, text: str, tz: ZoneInfo = TIMEZONE) -> Period:
        match = _MONTH.match(text)
        year, number = (int(match.group(1)), int(match.group(2))) if match else (0, 0)
        if not (1970 <= year <= 9998 and 1 <= number <= 12):
            raise InvalidPeriod("month must be a month such as 2026-11", "month", "month")
        first = date(year, number, 1)
        following = date(year + number // 12, number % 12 + 1, 1)
        return cls(first, following - timedelta(days=1), tz)


def _date(text: str, name: str) -> date:
    if not text:
        raise InvalidPeriod(f"{name} is missing: give from and to together", name, "missing")
    try:
        if not _DATE.match(text):
            raise ValueError
        value = date.fromisoformat(text)
    except ValueError:
        raise InvalidPeriod(f"{name} must be a date such as 2026-11-01", name, "date") from None
    if not 1970 <= value.year <= 9998:
        raise InvalidPeriod(f"{name} must be a date such as 2026-11-01", name, "date")
    return value


@dataclass(frozen=True, slots=True)
class PeriodInfo:
    """The period as it appears in a report: local dates, both included."""

    first: date
    last: date
    timezone: str
    month: str | None


def _info(period: Period) -> PeriodInfo:
    return PeriodInfo(period.first, period.last, period.tz.key, period.month)


# -- cases -----------------------------------------------------------------------------------
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


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


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
    return met, counted, _percent(met, counted)


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
        csat_percent=_percent(satisfied, len(rated)),
        ces_average=round(statistics.fmean(efforts), 2) if efforts else None,
        solved=solved,
        solved_percent=_percent(solved, len(rated)),
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
    return CaseReport(_info(period), group_by, rows, figures("", facts, now))


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


# -- FAQ -------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Deflection:
    """What the FAQ suggestions on the case form achieved in the period.

    `suggestions_shown` is known only for drafts that became cases (the case keeps the list),
    so it counts the suggestions shown to the customers who filed a case in the period.
    A draft whose customer opened a suggestion and filed no case counts as deflected, also
    while it is still being written: it leaves the count once its case is filed.
    """

    cases: int
    cases_with_suggestions: int
    suggestions_shown: int
    suggestions_opened: int
    drafts_with_opened: int
    deflected: int
    deflected_percent: float | None


@dataclass(frozen=True, slots=True)
class ArticleFeedback:
    """An article's votes in the period (a changed vote counts once, as it stands)."""

    slug: str
    lang: str
    title: str
    not_helpful: int
    helpful: int
    votes: int


@dataclass(frozen=True, slots=True)
class VoteComment:
    """What a customer wrote with a "not helpful" vote (personal data removed when stored)."""

    slug: str
    lang: str
    title: str
    comment: str
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class KnowledgeGap:
    """A query the FAQ did not answer, or answered wrongly; spellings differing only in case
    count together.

    `searches` is the sum of: searches that found nothing (`no_result`), whose results were
    never opened (`not_opened`), whose answer was voted "not helpful" (`not_helpful`), and
    after which a case was filed although answers were shown (`case_filed`).
    `wrong_article` is the answer most often voted "not helpful" or read before a case.
    """

    query: str
    lang: str
    searches: int
    no_result: int = 0
    not_opened: int = 0
    not_helpful: int = 0
    case_filed: int = 0
    wrong_article: str = ""
    wrong_article_title: str = ""


@dataclass(frozen=True, slots=True)
class FaqReport:
    period: PeriodInfo
    deflection: Deflection
    not_helpful: list[ArticleFeedback]
    comments: list[VoteComment]
    knowledge_gaps: list[KnowledgeGap]


async def deflection(period: Period) -> Deflection:
    window = {"created_at__gte": period.start, "created_at__lt": period.end}
    shown = [
        len(value.get("shown") or []) if isinstance(value, dict) else 0
        for value in await Case.filter(**window).values_list("deflection", flat=True)
    ]
    opened = await SuggestionOpened.filter(**window).values_list("draft", "case_id")
    drafts = {draft for draft, _ in opened}
    filed = {draft for draft, case_id in opened if case_id is not None}
    deflected = len(drafts - filed)
    return Deflection(
        cases=len(shown),
        cases_with_suggestions=sum(count > 0 for count in shown),
        suggestions_shown=sum(shown),
        suggestions_opened=len(opened),
        drafts_with_opened=len(drafts),
        deflected=deflected,
        deflected_percent=_percent(deflected, len(drafts)),
    )


async def not_helpful_articles(period: Period, limit: int = TOP_DEFAULT) -> list[ArticleFeedback]:
    """The articles with the most "not helpful" votes (as the votes stand, by last change)."""
    window = {"updated_at__gte": period.start, "updated_at__lt": period.end}
    top = (
        await ArticleVote.filter(**window, helpful=False)
        .annotate(votes=Count("id"))
        .group_by("slug", "lang")
        .order_by("-votes", "slug", "lang")
        .limit(limit)
        .values("slug", "lang", "votes")
    )
    if not top:
        return []
    slugs = list({row["slug"] for row in top})
    helpful = {
        (row["slug"], row["lang"]): row["votes"]
        for row in await ArticleVote.filter(**window, helpful=True, slug__in=slugs)
        .annotate(votes=Count("id"))
        .group_by("slug", "lang")
        .values("slug", "lang", "votes")
    }
    titles = {
        (slug, lang): title
        for slug, lang, title in await Article.filter(slug__in=slugs).values_list(
            "slug", "lang", "title"
        )
    }
    return [
        ArticleFeedback(
            slug=row["slug"],
            lang=row["lang"],
            title=titles.get((row["slug"], row["lang"]), ""),
            not_helpful=row["votes"],
            helpful=helpful.get((row["slug"], row["lang"]), 0),
            votes=row["votes"] + helpful.get((row["slug"], row["lang"]), 0),
        )
        for row in top
    ]


async def not_helpful_comments(period: Period, limit: int = TOP_DEFAULT) -> list[VoteComment]:
    """The newest comments left with a "not helpful" vote (as the votes stand)."""
    rows = (
        await ArticleVote.filter(
            updated_at__gte=period.start, updated_at__lt=period.end, helpful=False
        )
        .exclude(comment="")
        .order_by("-updated_at", "-id")
        .limit(limit)
        .values("slug", "lang", "comment", "updated_at")
    )
    titles = await _titles({(row["slug"], row["lang"]) for row in rows})
    return [VoteComment(title=titles.get((row["slug"], row["lang"]), ""), **row) for row in rows]


async def _titles(articles: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
    if not articles:
        return {}
    rows = await Article.filter(slug__in={slug for slug, _ in articles}).values_list(
        "slug", "lang", "title"
    )
    return {(slug, lang): title for slug, lang, title in rows if (slug, lang) in articles}


def _key(query: str) -> str:
    return " ".join(query.split()).casefold()


async def knowledge_gaps(period: Period, limit: int = TOP_DEFAULT) -> list[KnowledgeGap]:
    """The queries most often left without a (right) answer, in their most frequent spelling.

    Searches that found nothing come from the search log; searches with answers that were
    never opened, voted "not helpful" or followed by a case from the search outcomes.
    """
    spellings: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    kinds: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    wrong: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    rows = await SearchLog.filter(
        outcome="no_result", created_at__gte=period.start, created_at__lt=period.end
    ).values_list("query", "lang")
    for query, lang in rows:
        spellings[(_key(query), lang)][query] += 1
        kinds[(_key(query), lang)]["no_result"] += 1
    for gap in await outcomes.gaps(period.start, period.end):
        key = (_key(gap.query), gap.lang)
        kinds[key][gap.kind] += 1
        if gap.article:
            wrong[key][gap.article] += 1
    articles = {
        (min(found, key=lambda slug: (-found[slug], slug)), lang)
        for (_, lang), found in wrong.items()
    }
    titles = await _titles(articles)
    gaps = []
    for key, counted in kinds.items():
        found, lang = spellings.get(key), key[1]
        slug = min(wrong[key], key=lambda s: (-wrong[key][s], s)) if wrong.get(key) else ""
        gaps.append(
            KnowledgeGap(
                query=min(found, key=lambda q: (-found[q], q)) if found else key[0],
                lang=lang,
                searches=counted.total(),
                no_result=counted["no_result"],
                not_opened=counted[outcomes.NOT_OPENED],
                not_helpful=counted[outcomes.VOTED_NOT_HELPFUL],
                case_filed=counted[outcomes.CASE_FILED],
                wrong_article=slug,
                wrong_article_title=titles.get((slug, lang), ""),
            )
        )
    gaps.sort(key=lambda gap: (-gap.searches, gap.query.casefold(), gap.lang))
    return gaps[:limit]


async def faq_report(period: Period, limit: int = TOP_DEFAULT) -> FaqReport:
    """Deflection, the `limit` least helpful articles, the `limit` newest "not helpful"
    comments and the `limit` biggest knowledge gaps."""
    return FaqReport(
        _info(period),
        await deflection(period),
        await not_helpful_articles(period, limit),
        await not_helpful_comments(period, limit),
        await knowledge_gaps(period, limit),
    )


# -- CSV -------------------------------------------------------------------------------------
def to_csv(rows: Sequence[Mapping[str, object]], columns: Sequence[str]) -> str:
    """RFC 4180 CSV with a header row. Empty figures stay empty cells.

    Text that a spreadsheet would run as a formula (a search query such as `=HYPERLINK(...)`)
    gets a leading apostrophe.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(column)) for column in columns])
    return out.getvalue()


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def summary_csv(report: CaseReport) -> str:
    """One row per group, then the total row (`row` is "group" or "total")."""
    columns = ["row", report.group_by, *(f.name for f in fields(Figures) if f.name != "group")]
    rows = [
        {"row": kind, report.group_by: item.group, **asdict(item)}
        for kind, items in (("group", report.groups), ("total", [report.total]))
        for item in items
    ]
    return to_csv(rows, columns)


def faq_csv(report: FaqReport, table: str) -> str:
    """One of FAQ_TABLES: `deflection` is one row, the others one row per article or query."""
    if table == "deflection":
        return to_csv([asdict(report.deflection)], [f.name for f in fields(Deflection)])
    if table == "not_helpful":
        items, kind = report.not_helpful, ArticleFeedback
    elif table == "comments":
        items, kind = report.comments, VoteComment
    elif table == "knowledge_gaps":
        items, kind = report.knowledge_gaps, KnowledgeGap
    else:
        raise ValueError(f"table must be one of {', '.join(FAQ_TABLES)}")
    return to_csv([asdict(item) for item in items], [f.name for f in fields(kind)])
