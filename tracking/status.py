"""What a customer may see of a case: access by personal link, the public timeline, the SLA light.

The status page calls only this module, so what counts as public is decided in one place.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import UTC, datetime

from tracking import states
from tracking.classification import Classification, option_label
from tracking.ids import InvalidTrackingId, parse_tracking_id
from tracking.intake import MAX_LENGTH
from tracking.models import Attachment, Case, CaseAccessKey, CaseEvent
from tracking.service import hash_secret
from tracking.sla import BusinessCalendar

#: Timeline entries the customer sees; everything else (e.g. mail bookkeeping) is internal.
PUBLIC_EVENTS = (
    "received",
    "status_changed",
    "routing_changed",
    "reply",
    "first_response",
    "resolved",
    "customer_reply",
    "reopened",
    "callback_scheduled",
    "callback_done",
    "rated",
    "callback_moved",
    "callback_cancelled",
    "callback_missed",
)
AMBER_SHARE = 0.75


@dataclass(frozen=True, slots=True)
class SlaLight:
    """green: on time, amber: most of the time used, red: overdue, none: nothing is due."""

    colour: str
    target: str  # "first_response" or "resolution"
    due: datetime | None


@dataclass(frozen=True, slots=True)
class CustomerRequest:
    """The customer's own request in their words and the portal's customer-facing labels."""

    topic: str
    product: str
    team: str
    description: str
    fields: tuple[tuple[str, str], ...]  # (label, value) of the request type's extra fields


def customer_request(case: Case, classification: Classification, lang: str) -> CustomerRequest:
    """Labels come from the classification, as on the form and its confirmation: no keys."""
    return CustomerRequest(
        topic=option_label(classification.request_types, case.request_type, lang),
        product=option_label(classification.products, case.product, lang),
        team=classification.department_label(case.department, lang),
        description=case.description,
        fields=tuple(
            classification.field_text(key, str(value), lang)
            for key, value in (case.details or {}).items()
            if value not in (None, "")
        ),
    )


async def case_files(case: Case) -> list[Attachment]:
    """The files the customer sent with the case and later, oldest first."""
    return await Attachment.filter(case_id=case.id).order_by("id")


async def case_file(case: Case, attachment_id: int) -> Attachment | None:
    """One of the case's own files; another case's file is None, like an unknown one."""
    return await Attachment.get_or_none(id=attachment_id, case_id=case.id)


def last_team_message(timeline: list[CaseEvent]) -> str:
    """What the team last wrote to the customer (the question a waiting case is about)."""
    for event in reversed(timeline):
        if event.kind in ("reply", "resolved") and event.data.get("text"):
            return str(event.data["text"])
    return ""


async def case_for_link(tracking_id: str, key: str) -> Case | None:
    """The case when the personal link is right; None for a wrong id or key alike.

    The first link's hash is on the case; links sent again later are CaseAccessKey rows.
    """
    case = await case_by_id(tracking_id)
    if case is None or not key:
        return None
    hashed = hash_secret(key)
    if hmac.compare_digest(case.access_token_hash, hashed):
        return case
    return case if await CaseAccessKey.exists(case_id=case.id, key_hash=hashed) else None


async def case_by_id(tracking_id: str) -> Case | None:
    try:
        return await Case.get_or_none(tracking_id=parse_tracking_id(tracking_id))
    except InvalidTrackingId:
        return None


async def public_timeline(case: Case) -> list[CaseEvent]:
    return await CaseEvent.filter(case_id=case.id, kind__in=PUBLIC_EVENTS).order_by(
        "created_at", "id"
    )


def sla_light(
    case: Case, timeline: list[CaseEvent], calendar: BusinessCalendar, now: datetime | None = None
) -> SlaLight:
    """Which promise is running and how close it is to breaking, in business time."""
    now = now or datetime.now(UTC)
    if case.status in (states.RESOLVED, states.CLOSED):
        return SlaLight("none", "resolution", None)
    answered = any(event.kind in ("first_response", "reply") for event in timeline)
    target, due = (
        ("resolution", case.resolution_due)
        if answered
        else ("first_response", case.first_response_due)
    )
    if now > due:
        return SlaLight("red", target, due)
    if now >= calendar.share_point(case.created_at, due, AMBER_SHARE):
        return SlaLight("amber", target, due)
    return SlaLight("green", target, due)


#: The most a lookup takes of each field: a tracking ID as typed (with hyphens and spaces)
#: and an email address as the case form takes it. A longer entry is refused, never cut.
LOOKUP_LENGTH = {"tracking_id": 40, "email": MAX_LENGTH["email"]}


def too_long_for_lookup(**typed: str) -> dict[str, str | int] | None:
    """The first entry longer than LOOKUP_LENGTH allows (`field`, `length`, `max`), or None."""
    for field, text in typed.items():
        if (length := len(text.strip())) > LOOKUP_LENGTH[field]:
            return {"field": field, "length": length, "max": LOOKUP_LENGTH[field]}
    return None


async def case_for_lookup(tracking_id: str, email: str) -> Case | None:
    """The case when tracking ID and contact email belong together; None for every mismatch."""
    case = await case_by_id(tracking_id)
    if case is None:
        return None
    given, stored = email.strip().casefold().encode(), case.email.strip().casefold().encode()
    return case if hmac.compare_digest(given, stored) else None


async def public_events_after(case: Case, after_id: int) -> list[CaseEvent]:
    """Timeline entries newer than `after_id`: what a reconnecting live page has missed."""
    return await CaseEvent.filter(
        case_id=case.id, id__gt=after_id, kind__in=PUBLIC_EVENTS
    ).order_by("id")


async def last_public_event_id(case: Case) -> int:
    last = await CaseEvent.filter(case_id=case.id, kind__in=PUBLIC_EVENTS).order_by("-id").first()
    return last.id if last else 0


async def cases_by_ids(tracking_ids: list[str]) -> list[Case]:
    """The cases a browser has access to, newest first."""
    if not tracking_ids:
        return []
    return await Case.filter(tracking_id__in=list(dict.fromkeys(tracking_ids))).order_by(
        "-created_at"
    )
