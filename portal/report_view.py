"""How the report page shows figures: group names, numbers in the reader's language, bar charts.

The charts are plain SVG drawn on the server (no JavaScript); the tables beside them carry
the same figures, so the charts need only a short text alternative.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal

from feedback.reports import cases
from feedback.reports.cases import CaseReport
from feedback.reports.faq import FaqReport, faq_report
from feedback.reports.period import InvalidPeriod, Period
from portal.dates import short_day
from portal.i18n import current_language
from portal.i18n import gettext_ as _
from portal.report_period import period_of
from portal.services import Services
from tracking.classification import Classification, label

#: The grouping of the case figures when none or an unknown one is asked for.
DEFAULT_GROUPING = "request_type"
NBSP = "\u00a0"
#: Chart geometry in SVG user units (the SVG scales to the page width).
CHART_WIDTH = 640
LABEL_WIDTH = 220
VALUE_WIDTH = 90
ROW_HEIGHT = 28
BAR_HEIGHT = 18
LABEL_CHARS = 30


def group_label(classification: Classification, group_by: str, key: str) -> str:
    """The name a reader knows a group by; unknown (retired) codes are shown as they are."""
    lang = current_language()
    if group_by == "level":
        return _("Level %(level)s", level=key)
    options = {
        "request_type": classification.request_types,
        "product": classification.products,
        "channel": classification.channels,
    }.get(group_by, {})
    option = options.get(key)
    return label(option.label, lang) if option is not None else key


def number(value: float | int | None, digits: int = 1) -> str:
    if value is None:
        return "–"
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=current_language())


def percent(value: float | None) -> str:
    return "–" if value is None else f"{number(value)}{NBSP}%"


def day(moment: datetime, timezone: str) -> str:
    """The date of a moment in the report's time zone, in the reader's language."""
    return short_day(moment, ZoneInfo(timezone), current_language())


def duration(minutes: float | None) -> str:
    """2 h 30 min, 1 d 4 h, 45 min."""
    if minutes is None:
        return "–"
    whole = round(minutes)
    days, rest = divmod(whole, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return _("%(days)s d %(hours)s h", days=days, hours=hours)
    if hours:
        return _("%(hours)s h %(minutes)s min", hours=hours, minutes=mins)
    return _("%(minutes)s min", minutes=mins)


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    short_label: str
    value_text: str
    y: int
    width: float


@dataclass(frozen=True, slots=True)
class Chart:
    bars: list[Bar]
    width: int
    height: int
    bar_x: int
    bar_height: int


def bar_chart(
    items: Sequence[tuple[str, float | None, str]], maximum: float | None = None
) -> Chart:
    """Horizontal bars, one per (label, value, value text); no value draws no bar.

    `maximum` fixes the scale (100 for rates), else the largest value fills the width.
    """
    room = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH
    top = maximum or max((value or 0 for _, value, _ in items), default=0) or 1
    bars = [
        Bar(
            label=text,
            short_label=text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…",
            value_text=value_text,
            y=index * ROW_HEIGHT,
            width=round(room * max(0.0, min(value or 0, top)) / top, 1),
        )
        for index, (text, value, value_text) in enumerate(items)
    ]
    return Chart(
        bars=bars,
        width=CHART_WIDTH,
        height=max(len(bars), 1) * ROW_HEIGHT,
        bar_x=LABEL_WIDTH,
        bar_height=BAR_HEIGHT,
    )


@dataclass(frozen=True, slots=True)
class NamedChart:
    id: str
    title: str
    chart: Chart


def case_charts(report: CaseReport, name: Callable[[str], str]) -> list[NamedChart]:
    """Cases, CSAT and first responses in time per group, for the charts under the table."""
    rows = report.groups
    return [
        NamedChart(
            "chart-cases",
            _("Cases per group"),
            bar_chart([(name(r.group), r.cases, number(r.cases, 0)) for r in rows]),
        ),
        NamedChart(
            "chart-csat",
            _("CSAT per group (share of ratings 4 and 5)"),
            bar_chart(
                [(name(r.group), r.csat_percent, percent(r.csat_percent)) for r in rows], 100
            ),
        ),
        NamedChart(
            "chart-first-response",
            _("First response in time per group"),
            bar_chart(
                [
                    (
                        name(r.group),
                        r.first_response_sla_percent,
                        percent(r.first_response_sla_percent),
                    )
                    for r in rows
                ],
                100,
            ),
        ),
    ]


def gap_chart(report: FaqReport) -> NamedChart:
    return NamedChart(
        "chart-gaps",
        _("Knowledge gaps: searches without a good answer"),
        bar_chart(
            [(gap.query, gap.searches, number(gap.searches, 0)) for gap in report.knowledge_gaps]
        ),
    )


async def page(
    services: Services,
    month: str | None,
    date_from: str | None,
    date_to: str | None,
    group_by: str,
) -> dict:
    """What the report page shows: its form as sent (the month filled in when no dates are),
    and the figures of the period, or in `error` what is wrong with the period."""
    group_by = group_by if group_by in cases.GROUPS else DEFAULT_GROUPING
    form = {
        "month": month or "",
        "from": date_from or "",
        "to": date_to or "",
        "group_by": group_by,
    }
    page = {"form": form, "error": None, "cases": None, "faq": None}
    try:
        period = period_of(services, month, date_from, date_to)
    except InvalidPeriod as exc:
        return page | {"error": exc}
    if not (date_from or date_to):
        form["month"] = period.month or ""
    page["query"] = {key: value for key, value in form.items() if value}
    return page | await _figures(services, period, group_by)


async def _figures(services: Services, period: Period, group_by: str) -> dict:
    """The case and FAQ figures of the period with their group labels and charts."""
    case_figures = await cases.case_report(period, group_by)
    faq = await faq_report(period)
    classification = services.tracking.classification

    def name(key: str) -> str:
        return group_label(classification, group_by, key)

    return {
        "cases": case_figures,
        "faq": faq,
        "label": name,
        "charts": case_charts(case_figures, name),
        "gaps_chart": gap_chart(faq),
    }
