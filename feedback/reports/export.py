"""The reports as CSV downloads (RFC 4180): the case summary and each table of the FAQ report."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import asdict, fields
from datetime import UTC, datetime
from typing import Literal, get_args

from feedback.reports.articles import ArticleFeedback, VoteComment
from feedback.reports.cases import CaseReport, Figures
from feedback.reports.deflection import Deflection
from feedback.reports.faq import FaqReport
from feedback.reports.knowledge_gaps import KnowledgeGap

#: The tables of the FAQ report, each also a CSV download.
FaqTable = Literal["deflection", "not_helpful", "comments", "knowledge_gaps"]
FAQ_TABLES: tuple[str, ...] = get_args(FaqTable)


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
