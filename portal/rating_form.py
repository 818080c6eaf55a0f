"""The rating form's answers: read from the posted form, checked, and stored; what a refused
form shows again. The rating controller only reads the request and answers with a page."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from feedback.models import Rating
from feedback.service import RatingInput, RatingRefused, RatingService
from portal import i18n, refusals
from tracking.models import Case

#: The questions in the form's order, each with its first answer: an error summary entry
#: leads there, as a click on the question would.
FIRST_ANSWER = {"satisfaction": "1", "solved": "yes", "effort": "1"}


@dataclass(frozen=True, slots=True)
class Rated:
    """A stored rating (`rating`, `low`), or what the refused form keeps (`kept`)."""

    rating: Rating | None = None
    low: bool = False
    kept: dict[str, Any] = field(default_factory=dict)


async def submit(ratings: RatingService, case: Case, data: dict[str, Any]) -> Rated:
    """Store the answers of the posted form; a refusal keeps all that was typed."""
    typed = {name: str(data.get(name) or "") for name in (*FIRST_ANSWER, "comment")}
    given, errors = parse(data)
    if given is None:
        return Rated(kept={"errors": errors, "values": typed})
    try:
        return Rated(rating=await ratings.rate(case, given), low=given.low)
    except RatingRefused as refused:
        if refused.code == "too_long":  # the comment, shown back whole beside the message
            errors = {"comment": refusals.message(refused.code, refused.params)}
            return Rated(kept={"errors": errors, "values": typed})
        return Rated(kept={"refused": refused.code})


def parse(data: dict[str, Any]) -> tuple[RatingInput | None, dict[str, str]]:
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for name, message in (
        ("satisfaction", i18n.gettext_("Please choose how satisfied you are.")),
        ("effort", i18n.gettext_("Please choose how easy it was.")),
    ):
        raw = str(data.get(name) or "")
        if raw not in {"1", "2", "3", "4", "5"}:
            errors[name] = message
        else:
            values[name] = int(raw)
    solved = str(data.get("solved") or "")
    if solved not in {"yes", "no"}:
        errors["solved"] = i18n.gettext_("Please tell us whether your problem was solved.")
    if errors:
        return None, errors
    comment = str(data.get("comment") or "")
    return RatingInput(values["satisfaction"], solved == "yes", values["effort"], comment), {}
