"""What the FAQ suggestions on the case form achieved: drafts whose customer opened one and
filed no case count as deflected."""

from __future__ import annotations

from dataclasses import dataclass

from feedback.reports.period import Period
from feedback.reports.rates import percent
from tracking.models import Case, SuggestionOpened


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


async def deflection(period: Period) -> Deflection:
    """Suggestions shown to and opened by the customers who wrote a case in `period`."""
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
        deflected_percent=percent(deflected, len(drafts)),
    )
