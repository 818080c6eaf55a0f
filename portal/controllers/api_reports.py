"""The back-office report API: case figures and FAQ figures for a period, JSON or CSV."""

from __future__ import annotations

from typing import Annotated, Literal

from litestar import Request, Response, Router, get
from litestar.di import NamedDependency, Provide
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromQuery, QueryParameter

from feedback.reports.cases import CaseReport, GroupBy, case_report
from feedback.reports.export import FaqTable
from feedback.reports.faq import TOP_DEFAULT, TOP_MAX, FaqReport, faq_report
from feedback.reports.period import InvalidPeriod, Period
from portal import report_period
from portal.api_auth import AUTH, Problem, require_scope
from portal.errors import problem
from portal.report_period import NO_STORE, faq_download, summary_download

Format = Annotated[
    Literal["json", "csv"] | None,
    QueryParameter(name="format", description="csv: the same as `Accept: text/csv`"),
]
PERIOD_ERRORS = {
    400: ResponseSpec(Problem, description="The period or another parameter is not valid")
}


def wants_csv(request: Request, format_: str | None) -> bool:
    if format_:
        return format_ == "csv"
    return request.accept.best_match(["application/json", "text/csv"]) == "text/csv"


@get(
    "/summary",
    name="report_summary",
    summary="Case figures of a period by request type, product, channel or level",
    responses={**AUTH, **PERIOD_ERRORS},
)
async def summary(
    request: Request,
    period: NamedDependency[Period],
    group_by: FromQuery[GroupBy] = "request_type",
    format_: Format = None,
) -> Response[CaseReport]:
    """Cases opened in the period with their CSAT (share of 4 and 5), average CES, solved
    rate, SLA met rates and median response and resolution times, per group and in total.

    CSV (one row per group, then a `total` row) with `Accept: text/csv` or `format=csv`.
    """
    report = await case_report(period, group_by)
    if wants_csv(request, format_):
        return summary_download(report)
    return Response(report, headers=NO_STORE)


@get(
    "/faq",
    name="report_faq",
    summary="FAQ figures of a period: deflection, least helpful articles, knowledge gaps",
    responses={**AUTH, **PERIOD_ERRORS},
)
async def faq(
    request: Request,
    period: NamedDependency[Period],
    limit: Annotated[int, QueryParameter(ge=1, le=TOP_MAX)] = TOP_DEFAULT,
    table: Annotated[
        FaqTable, QueryParameter(description="the table a CSV download holds")
    ] = "knowledge_gaps",
    format_: Format = None,
) -> Response[FaqReport]:
    """FAQ suggestions shown and opened on the case form and the drafts not filed after one
    (deflected), the articles with the most "not helpful" votes, the newest comments left
    with them, and the knowledge gaps: queries most often searched without an answer, with
    answers never opened, answers voted "not helpful", or a case filed anyway.

    CSV with `Accept: text/csv` or `format=csv`: the table named by `table`.
    """
    report = await faq_report(period, limit)
    if wants_csv(request, format_):
        return faq_download(report, table)
    return Response(report, headers=NO_STORE)


def invalid_period(_: Request, exc: InvalidPeriod) -> Response:
    return problem(400, str(exc), errors=[{"name": exc.field, "reason": str(exc)}])


def router() -> Router:
    return Router(
        "/api/v1/backoffice/reports",
        route_handlers=[summary, faq],
        guards=[require_scope("reports:read")],
        dependencies={"period": Provide(report_period.period)},
        exception_handlers={InvalidPeriod: invalid_period},
        tags=["back office"],
    )
