"""The FAQ report of a period: deflection, the least helpful articles, the newest "not
helpful" comments and the biggest knowledge gaps."""

from __future__ import annotations

from dataclasses import dataclass

from feedback.reports.articles import (
    ArticleFeedback,
    VoteComment,
    not_helpful_articles,
    not_helpful_comments,
)
from feedback.reports.deflection import Deflection, deflection
from feedback.reports.knowledge_gaps import KnowledgeGap, knowledge_gaps
from feedback.reports.period import Period, PeriodInfo

#: Rows of each FAQ table: by default and at most (the API's `limit`).
TOP_DEFAULT = 10
TOP_MAX = 100


@dataclass(frozen=True, slots=True)
class FaqReport:
    period: PeriodInfo
    deflection: Deflection
    not_helpful: list[ArticleFeedback]
    comments: list[VoteComment]
    knowledge_gaps: list[KnowledgeGap]


async def faq_report(period: Period, limit: int = TOP_DEFAULT) -> FaqReport:
    """Deflection, the `limit` least helpful articles, the `limit` newest "not helpful"
    comments and the `limit` biggest knowledge gaps."""
    return FaqReport(
        period.info,
        await deflection(period),
        await not_helpful_articles(period, limit),
        await not_helpful_comments(period, limit),
        await knowledge_gaps(period, limit),
    )
