"""The case form's draft: what was typed so far, kept in the `portal_case` session, with
the errors of the last step and the FAQ answers suggested on the way.

The draft is checked step by step against `tracking.intake`, so a step cannot be skipped by
typing its URL, and the submit checks every step again. It holds personal data, so it lasts
a day from its last save (DRAFT_MAX_AGE), while the session around it lasts as long as the
browser's access to its cases.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from litestar import Request

from portal import i18n
from portal.services import Services
from tracking import intake
from tracking.classification import Classification, FieldSpec, label

DRAFT = "case_draft"
ERRORS = "case_errors"
STEP_PARTS = {1: "classification", 2: "details", 3: "contact"}
MAX_SUGGESTIONS = 3
DRAFT_MAX_AGE = 24 * 3600


def load(request: Request, create: bool = False, query: str = "") -> dict[str, Any] | None:
    """The browser's draft; a new, empty one with `create`; `query` is the FAQ search it came
    from."""
    draft = request.session.get(DRAFT) if request.session else None
    if draft is not None and time.time() - draft.get("saved_at", time.time()) > DRAFT_MAX_AGE:
        request.set_session(without_draft(request.session))
        draft = None
    if draft is None and create:
        draft = {
            "key": secrets.token_urlsafe(24),
            "draft_id": secrets.token_urlsafe(18),
            "values": {},
            "details": {},
            "files": [],
            "shown": [],
            "opened": [],
            "query": "",
        }
    if draft is not None and query:
        draft["query"] = query  # read through `portal.params.search_query`
    return draft


def save(
    request: Request, draft: dict[str, Any], errors: list | None = None, step: int = 0
) -> None:
    """Keep the draft, and the errors to show once on `step` (0: none)."""
    draft["saved_at"] = int(time.time())
    request.set_session(
        {**(request.session or {}), DRAFT: draft, ERRORS: {"step": step, "errors": errors or []}}
    )


def without_draft(session: dict[str, Any]) -> dict[str, Any]:
    """The session without the draft and its errors (filed, or a day old)."""
    return {k: v for k, v in session.items() if k not in (DRAFT, ERRORS)}


def raw(draft: dict[str, Any]) -> dict[str, Any]:
    """The draft as `intake.validate` reads it."""
    return {**draft["values"], "details": draft["details"], "language": i18n.current_language()}


def first_invalid_step(
    classification: Classification, draft: dict[str, Any], upto: int
) -> tuple[int, list]:
    """The first step before `upto` that is not valid yet, and its errors; (0, []) if none."""
    for step in range(1, upto):
        _, errors = intake.validate(classification, raw(draft), parts=(STEP_PARTS[step],))
        if errors:
            return step, errors
    return 0, []


def error_list(errors: list[intake.FieldError]) -> list[list]:
    """Field errors as the session stores them (JSON)."""
    return [[e.field, e.code, dict(e.params)] for e in errors]


def error_summary(
    classification: Classification,
    errors: dict[str, str],
    names: dict[str, str],
    type_fields: list[tuple[FieldSpec, bool]],
) -> list[dict[str, str]]:
    """The error summary's entries in the order of the page: name, message, link target."""
    order = [
        *intake.CLASSIFICATION,
        *(f"details.{spec.key}" for spec, _ in type_fields),
        *intake.DETAILS,
        "files",
        *intake.CONTACT,
    ]
    radios = {
        "type": classification.request_types,
        "customer_type": classification.customer_types,
        "channel": classification.channels,
    }
    entries = []
    for name in sorted(errors, key=lambda n: order.index(n) if n in order else len(order)):
        anchor = "f-" + name.replace(".", "-")
        if name in radios:  # the first radio button, as a click on its label would
            anchor += "-" + next(iter(radios[name]))
        entries.append({"name": names.get(name, name), "message": errors[name], "anchor": anchor})
    return entries


async def suggestions(
    services: Services, classification: Classification, draft: dict, lang: str
) -> list:
    """The best FAQ answers for what the customer told us so far: the description, the search
    carried over from the FAQ and the chosen product and type (their `faq_terms`), weighted so
    the topic alone never outranks the customer's own words, yet steers "Er geht nicht mehr
    an" towards the chosen product. The article the customer came from did not help."""
    values = draft["values"]
    product = classification.products.get(values.get("product", ""))
    request_type = classification.request_types.get(values.get("type", ""))
    queries = (
        (values.get("description", ""), 1.0),
        (draft.get("query", ""), 0.8),
        (label(product.faq_terms, lang) if product else "", 0.7),
        (label(request_type.faq_terms, lang) if request_type else "", 0.5),
    )
    return await services.faq.suggest(
        queries, lang, limit=MAX_SUGGESTIONS, exclude=draft.get("ruled_out", ())
    )
