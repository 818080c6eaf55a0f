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

from portal import i18n, uploads
from portal.case_access import FILED
from portal.services import Services
from tracking import intake
from tracking.attachments import MAX_FILES, AttachmentRejected, StoredFile
from tracking.classification import Classification, FieldSpec, label
from tracking.service import Deflection, Intake

DRAFT = "case_draft"
ERRORS = "case_errors"
STEP_PARTS = {1: "classification", 2: "details", 3: "contact"}
TEXT_FIELDS = (*intake.CLASSIFICATION, *intake.DETAILS, *intake.CONTACT)
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


async def from_article(
    services: Services, draft: dict[str, Any], slug: str, lang: str, voter: str
) -> None:
    """A request opened from an article: it is not suggested again, and the description
    starts from what the customer wrote with their "not helpful" vote (not asked twice)."""
    if not await services.faq.article(slug, lang):
        return
    ruled_out = [known for known in draft.get("ruled_out", ()) if known != slug]
    draft["ruled_out"] = [*ruled_out, slug][-5:]  # the latest five
    if not draft["values"].get("description"):
        draft["values"]["description"] = await services.faq.not_helpful_comment(slug, lang, voter)


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


async def save_step(
    services: Services, draft: dict[str, Any], step: int, data: dict[str, Any]
) -> tuple[int, list[intake.FieldError]]:
    """Take a step's posted form into the draft: the step to show next and the errors to show
    there. Next validates the step, Back and Upload do not; "Remove <file>" stays on it."""
    # kept whole: a text over its limit is refused by `intake.validate` naming its length and
    # shown back as typed (the request's size limit bounds what a draft can hold)
    for name in TEXT_FIELDS:
        if name in data and isinstance(data[name], str):
            draft["values"][name] = data[name]
    for name, value in data.items():
        if name.startswith("details.") and isinstance(value, str) and len(draft["details"]) < 20:
            draft["details"][name.removeprefix("details.")[:40]] = value
    action = data.get("action") if isinstance(data.get("action"), str) else "next"
    if data.get("remove") and "action" not in data:
        action = "remove"
    errors: list[intake.FieldError] = []
    if step == 2:
        errors += await _attach(services, draft, data)
        if action == "upload" and not errors and not uploads.uploaded(data.get("files")):
            errors.append(intake.FieldError("files", "no_file"))  # Upload, nothing chosen
    if action == "back":
        return (step - 1 if step > 1 else 1), []
    if action == "next" and not errors:
        _, errors = intake.validate(
            services.tracking.classification, raw(draft), parts=(STEP_PARTS[step],)
        )
        return (step if errors else step + 1), errors
    return step, errors


async def _attach(services: Services, draft: dict, data: dict) -> list[intake.FieldError]:
    """Remove the file asked for, then store the uploaded ones (MAX_FILES at most)."""
    errors = []
    remove = data.get("remove")
    if isinstance(remove, str) and remove:
        kept = [f for f in draft["files"] if f["storage_name"] != remove]
        if len(kept) != len(draft["files"]):
            services.tracking.delete_files(
                [f for f in draft["files"] if f["storage_name"] == remove]
            )
            draft["files"] = kept
    for upload in uploads.uploaded(data.get("files")):
        if len(draft["files"]) >= MAX_FILES:
            errors.append(intake.FieldError("files", "too_many", {"max": MAX_FILES}))
            break
        try:
            stored = await uploads.save(services.tracking.attachments, upload)
        except AttachmentRejected as exc:
            errors.append(intake.FieldError("files", exc.code, exc.params))
            continue
        draft["files"].append(stored.to_dict())
    return errors


async def file(services: Services, draft: dict[str, Any]) -> Intake:
    """File the (valid) draft as a case, once per draft, with what the customer was shown and
    opened on the way; a case filed after a search counts as its outcome."""
    case_input, _ = intake.validate(
        services.tracking.classification, {**raw(draft), "faq_query": draft["query"]}
    )
    result = await services.tracking.create_case(
        case_input,
        submission_key=_submission(draft["key"]),
        source="form",
        deflection=Deflection(
            draft["query"], tuple(draft["shown"]), tuple(draft["opened"]), draft["draft_id"]
        ),
        files=[StoredFile.from_dict(f) for f in draft["files"]],
    )
    if result.created and draft["query"]:
        lang = case_input.language
        found = await services.faq.search(draft["query"], lang, record=False)
        services.outcomes.case_filed(draft.get("search"), draft["query"], lang, found.total)
    return result


async def filed_before(services: Services, request: Request, key: str) -> str | None:
    """The tracking ID of the case this browser already filed from the draft with this `key`
    (a second submit of the same form), else None."""
    existing = await services.tracking.find_by_submission(_submission(key)) if key else None
    filed_here = (request.session or {}).get(FILED) or []
    return existing.tracking_id if existing and existing.tracking_id in filed_here else None


def filed(request: Request, tracking_id: str) -> None:
    """The draft became this case: forget the draft, let this browser see the case (the ten
    most recent it filed)."""
    session = without_draft(request.session or {})
    request.set_session({**session, FILED: [*(session.get(FILED) or []), tracking_id][-10:]})


def _submission(key: str) -> str:
    return f"form:{key}"


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
    an" towards the chosen product; the kind of request only steers (`FaqService.suggest`).
    The article the customer came from did not help."""
    values = draft["values"]
    product = classification.products.get(values.get("product", ""))
    request_type = classification.request_types.get(values.get("type", ""))
    product_terms = label(product.faq_terms, lang) if product else ""
    queries = (
        (values.get("description", ""), 1.0),
        (draft.get("query", ""), 0.8),
        (product_terms, 0.7),
    )
    # with a product the answers are about it, and the kind of request only steers among
    # them; without one ("no product"), the kind of request is the topic
    kind = ((label(request_type.faq_terms, lang) if request_type else "", 0.5),)
    return await services.faq.suggest(
        queries if product_terms else (*queries, *kind),
        lang,
        limit=MAX_SUGGESTIONS,
        exclude=draft.get("ruled_out", ()),
        steer=kind if product_terms else (),
    )
