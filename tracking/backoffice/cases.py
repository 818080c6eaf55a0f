"""Cases as the back office sees them: list, look up, and change them with events.

Every change is one transaction: the case, a timeline entry the customer sees and, for a
reply or a resolution, the customer's email (`TrackingService.queue_mail`). A client's
Idempotency-Key is stored with
the first answer in that same transaction, so a retry gets that answer and changes nothing.
Refusals are not stored: they changed nothing, so a retry is judged afresh.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any

import msgspec
from msgspec import Meta, Struct
from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from tracking import states
from tracking.backoffice.models import IdempotentRequest
from tracking.backoffice.payloads import case_data, summary
from tracking.callbacks.service import CallbackService
from tracking.ids import InvalidTrackingId, parse_tracking_id
from tracking.links import RATE_LINK_TTL, RATE_PATH, RATE_PURPOSE
from tracking.models import Case, CaseEvent
from tracking.service import TrackingService

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200

Text = Annotated[str, Meta(min_length=1, max_length=10_000)]


# -- events the back office sends ------------------------------------------------------------
class SetStatus(Struct, tag="set_status", tag_field="kind", forbid_unknown_fields=True):
    """Move the case to another status (see tracking.states for the legal moves)."""

    status: Annotated[str, Meta(max_length=40)]


class SetRouting(Struct, tag="set_routing", tag_field="kind", forbid_unknown_fields=True):
    """Hand the case to another support level and/or department."""

    level: Annotated[int, Meta(ge=1, le=3)] | None = None
    department: Annotated[str, Meta(min_length=1, max_length=40)] | None = None


class AddReply(Struct, tag="reply", tag_field="kind", forbid_unknown_fields=True):
    """A public answer: shown on the case page and emailed to the customer."""

    text: Text


class MarkFirstResponse(Struct, tag="first_response", tag_field="kind", forbid_unknown_fields=True):
    """The customer got a first answer by another channel (phone, chat)."""


class Resolve(Struct, tag="resolve", tag_field="kind", forbid_unknown_fields=True):
    """The case is solved; the customer is told, with an optional closing note."""

    text: Annotated[str, Meta(max_length=10_000)] = ""


Event = SetStatus | SetRouting | AddReply | MarkFirstResponse | Resolve


# -- errors ----------------------------------------------------------------------------------
class CaseNotFound(LookupError):
    """No case has this tracking ID."""


class InvalidEvent(ValueError):
    """The event itself is wrong (an unknown status or department); nothing was changed."""


class IllegalTransition(Exception):
    """The event does not fit the case's current state; nothing was changed."""


class IdempotencyKeyReused(ValueError):
    """The key was used before for a different request."""


class InvalidCursor(ValueError):
    """The pagination cursor was not made by `list_cases`."""


# -- results ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Page:
    cases: list[Case]
    next_cursor: str | None


@dataclass(frozen=True, slots=True)
class Applied:
    """The answer to an event; `replayed` when an earlier request with the key produced it."""

    response: dict[str, Any]
    replayed: bool = False


def timeline_entry(event: CaseEvent) -> dict[str, Any]:
    return {"kind": event.kind, "data": event.data, "created_at": event.created_at}


def _cursor(case: Case) -> str:
    raw = json.dumps([case.updated_at.isoformat(), case.id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _position(cursor: str) -> tuple[datetime, int]:
    try:
        stamp, case_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        return datetime.fromisoformat(stamp), int(case_id)
    except (binascii.Error, ValueError, TypeError) as exc:
        raise InvalidCursor("this cursor is not valid") from exc


class BackofficeCases:
    """The back office's use cases; mail goes out through the tracking service after commit."""

    def __init__(self, tracking: TrackingService, callbacks: CallbackService) -> None:
        self.tracking = tracking
        self.callbacks = callbacks
        self.departments = frozenset(tracking.classification.departments)

    async def list_cases(
        self,
        *,
        status: str | None = None,
        request_type: str | None = None,
        updated_since: datetime | None = None,
        cursor: str | None = None,
        limit: int = PAGE_SIZE,
    ) -> Page:
        """Oldest change first, so a back office can poll with the last cursor it saw."""
        query = Case.all()
        if status:
            query = query.filter(status=status)
        if request_type:
            query = query.filter(request_type=request_type)
        if updated_since:
            query = query.filter(updated_at__gte=updated_since)
        if cursor:
            stamp, case_id = _position(cursor)
            query = query.filter(Q(updated_at__gt=stamp) | Q(updated_at=stamp, id__gt=case_id))
        limit = max(1, min(limit, MAX_PAGE_SIZE))
        rows = await query.order_by("updated_at", "id").limit(limit + 1)
        more = len(rows) > limit
        rows = rows[:limit]
        return Page(rows, _cursor(rows[-1]) if more else None)

    async def get_case(self, tracking_id: str) -> tuple[Case, list[CaseEvent]]:
        case = await self._find(tracking_id)
        return case, await CaseEvent.filter(case_id=case.id).order_by("id")

    async def detail(self, tracking_id: str) -> dict[str, Any]:
        """The full case with its timeline, as the API shows it."""
        case, events = await self.get_case(tracking_id)
        data = await case_data(
            case, self.tracking.links, self.tracking.status_url(case.tracking_id)
        )
        return {**data, "timeline": [timeline_entry(event) for event in events]}

    async def apply_event(
        self, tracking_id: str, event: Event, *, client_id: str, idempotency_key: str | None = None
    ) -> Applied:
        """Apply `event` in one transaction; raises CaseNotFound or IllegalTransition."""
        fingerprint = hashlib.sha256(
            tracking_id.encode() + b"\n" + msgspec.json.encode(event)
        ).hexdigest()
        if idempotency_key:
            earlier = await self._earlier(client_id, idempotency_key, fingerprint)
            if earlier is not None:
                return earlier
        try:
            async with in_transaction():
                response, mails = await self._apply(tracking_id, event)
                if idempotency_key:
                    await IdempotentRequest.create(
                        client_id=client_id,
                        key=idempotency_key,
                        fingerprint=fingerprint,
                        status_code=200,
                        response=_jsonable(response),
                    )
        except IntegrityError:
            # a concurrent retry with the same key committed first: its answer stands
            earlier = await self._earlier(client_id, idempotency_key or "", fingerprint)
            if earlier is None:
                raise
            return earlier
        if mails:
            self.tracking.send_mail_soon()
        return Applied(_jsonable(response))

    async def _earlier(self, client_id: str, key: str, fingerprint: str) -> Applied | None:
        row = await IdempotentRequest.get_or_none(client_id=client_id, key=key)
        if row is None:
            return None
        if row.fingerprint != fingerprint:
            raise IdempotencyKeyReused("this Idempotency-Key was used for a different request")
        return Applied(row.response, replayed=True)

    async def _find(self, tracking_id: str) -> Case:
        try:
            canonical = parse_tracking_id(tracking_id)
        except InvalidTrackingId:
            raise CaseNotFound(f"no case has the tracking ID {tracking_id}") from None
        case = await Case.get_or_none(tracking_id=canonical)
        if case is None:
            raise CaseNotFound(f"no case has the tracking ID {tracking_id}")
        return case

    async def _apply(self, tracking_id: str, event: Event) -> tuple[dict[str, Any], int]:
        """Inside the transaction: change the case, add the timeline entry, queue mail."""
        case = await self._find(tracking_id)
        now = datetime.now(UTC)
        changes: dict[str, Any] = {}
        mails = 0
        match event:
            case SetStatus(status=new) if new == states.RESOLVED:
                return await self._apply(tracking_id, Resolve())
            case SetStatus(status=new):
                self._check(case, new)
                changes["status"] = new
                kind, data = "status_changed", {"from": case.status, "to": new}
                if new == states.WAITING_FOR_CUSTOMER:  # the customer must act: tell them
                    await self._mail(case, "waiting", "")
                    mails += 1
            case SetRouting(level=level, department=department):
                if level is None and department is None:
                    raise InvalidEvent("set a level, a department or both")
                if department is not None and department not in self.departments:
                    raise InvalidEvent(f"unknown department {department!r}")
                if level is not None:
                    changes["level"] = level
                if department is not None:
                    changes["department"] = department
                kind, data = (
                    "routing_changed",
                    {"level": level or case.level, "department": department or case.department},
                )
            case AddReply(text=text):
                if case.status == states.CLOSED:
                    raise IllegalTransition("a closed case takes no replies, reopen it first")
                if (moved := states.after_team_answer(case.status)) != case.status:
                    changes["status"] = moved
                kind, data = "reply", {"text": text, "status": moved}
                await self._mail(case, "reply", text)
                mails += 1
            case MarkFirstResponse():
                if await CaseEvent.filter(case_id=case.id, kind="first_response").exists():
                    raise IllegalTransition("the first response is already marked")
                if (moved := states.after_team_answer(case.status)) != case.status:
                    changes["status"] = moved
                kind, data = "first_response", {"status": changes.get("status", case.status)}
            case Resolve(text=text):
                self._check(case, states.RESOLVED)
                changes["status"] = states.RESOLVED
                kind, data = "resolved", {"from": case.status, "text": text}
                await self._mail(case, "resolved", text)
                mails += 1
        # the status we read must still hold: a concurrent change makes this one a conflict
        updated = await Case.filter(id=case.id, status=case.status).update(
            **changes, updated_at=now
        )
        if not updated:
            raise IllegalTransition("the case changed meanwhile, read it again")
        entry = await CaseEvent.create(case=case, kind=kind, data=data)
        for name, value in changes.items():
            setattr(case, name, value)
        case.updated_at = now
        if changes.get("status") in (states.RESOLVED, states.CLOSED):  # no call about it now
            mails += await self.callbacks.cancel_for_closing(case, changes["status"], now=now)
        return {"case": summary(case), "event": timeline_entry(entry)}, mails

    @staticmethod
    def _check(case: Case, new: str) -> None:
        if new not in states.STATUSES:
            raise InvalidEvent(f"unknown status {new!r}")
        if not states.can_transition(case.status, new):
            raise IllegalTransition(f"a case that is {case.status} cannot become {new}")

    async def _mail(self, case: Case, kind: str, text: str) -> None:
        extra = {}
        if kind == "resolved":
            extra["rate_link"] = rating_link(self.tracking, case.tracking_id)
        await self.tracking.queue_mail(case, kind, text=text, **extra)


def rating_link(tracking: TrackingService, tracking_id: str) -> str:
    """The single-purpose rating link of the resolution email (served by the portal's /rate)."""
    path = RATE_PATH.format(tracking_id=tracking_id)
    return tracking.links.url(RATE_PURPOSE, path, RATE_LINK_TTL)


def _jsonable(value: Any) -> Any:
    """Datetimes as ISO text, so a stored answer and a fresh one look the same."""
    return msgspec.json.decode(msgspec.json.encode(value))
