"""The report period and CSV downloads, as the report API and the report page both take them.

A period is a calendar month (`month`, this month by default) or a span of days (`from`,
`to`), in the business-hours time zone; an invalid one raises `feedback.reports.period.InvalidPeriod`.
"""

from __future__ import annotations

from typing import Annotated

from litestar import Response
from litestar.di import NamedDependency
from litestar.params import QueryParameter

from feedback.reports import export
from feedback.reports.cases import CaseReport
from feedback.reports.faq import FaqReport
from feedback.reports.period import Period
from portal.services import Services

CSV = "text/csv"  # Litestar adds "; charset=utf-8" to text types
NO_STORE = {"cache-control": "private, no-store"}

Month = Annotated[
    str | None,
    QueryParameter(
        description="a calendar month, e.g. 2026-11 (default: this month)", max_length=7
    ),
]
DateFrom = Annotated[
    str | None,
    QueryParameter(
        name="from", description="first day, e.g. 2026-11-01 (with `to`)", max_length=10
    ),
]
DateTo = Annotated[
    str | None,
    QueryParameter(name="to", description="last day, included (with `from`)", max_length=10),
]


def period_of(
    services: Services, month: str | None, date_from: str | None, date_to: str | None
) -> Period:
    """Local days in the business-hours time zone (Europe/Berlin as shipped)."""
    tz = services.tracking.classification.business_hours.timezone
    return Period.parse(month, date_from, date_to, tz=tz)


def summary_download(report: CaseReport) -> Response:
    """The case figures as a CSV file named by grouping and period."""
    return _csv(export.summary_csv(report), f"report-{report.group_by}-{report.period.label}.csv")


def faq_download(report: FaqReport, table: str) -> Response:
    """One table of the FAQ figures as a CSV file named by table and period."""
    return _csv(export.faq_csv(report, table), f"faq-{table}-{report.period.label}.csv")


def _csv(text: str, filename: str) -> Response:
    return Response(
        text,
        media_type=CSV,
        headers={**NO_STORE, "content-disposition": f'attachment; filename="{filename}"'},
    )


async def period(
    services: NamedDependency[Services],
    month: Month = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
) -> Period:
    """The period of the request's query, as a dependency (`Provide(period)`)."""
    return period_of(services, month, date_from, date_to)
