"""What a customer does to their own case: add information (and files), reopen it.

Each action is one transaction: the case's status (changed only if it still is what the
customer saw, so a concurrent back-office change wins cleanly), a timeline entry the
status page shows live, the files, the customer's email and the back office's webhook.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from tortoise.transactions import in_transaction

from shared.refused import Refused
from shared.text import clean_text
from tracking import states
from tracking.attachments import StoredFile
from tracking.models import Attachment, Case, CaseAccessKey, CaseEvent
from tracking.service import TrackingService, hash_secret
from tracking.status import PUBLIC_EVENTS

MAX_TEXT = 5000
MAX_REASON = 2000
#: "Send me my links" covers the cases of this many days.
LINKS_FOR_DAYS = 365


class ActionRefused(Refused):
    """Nothing was changed; `code` says why: empty, empty_reason, too_long (`max`, `length`),
    closed, not_resolved, too_late, changed, already_sent."""

    topic = "action"


class CustomerActions:
    def __init__(self, tracking: TrackingService, reopen_days: int) -> None:
        self.tracking = tracking
        self.reopen_days = reopen_days

    async def add_information(
        self, case: Case, text: str, files: Sequence[StoredFile] = ()
    ) -> CaseEvent:
        """A case waiting for the customer goes back to the team (in progress).

        The same text and files sent again while nothing else happened on the case (a second
        click, the browser's Back and send) are refused as already sent, not stored twice.
        """
        text = _within(clean_text(text, multiline=True), MAX_TEXT)
        if not text and not files:
            raise ActionRefused("empty")
        if case.status not in states.OPEN:
            raise ActionRefused("closed")
        previous = case.status
        new_status = states.IN_PROGRESS if previous == states.WAITING_FOR_CUSTOMER else previous
        names = [f.filename for f in files]
        async with in_transaction():
            await Case.filter(id=case.id).select_for_update().first()  # one reply at a time
            if await _same_as_last(case, text, names):
                raise ActionRefused("already_sent")
            await self._move(case, new_status)
            for stored in files:
                await Attachment.create(case=case, **stored.to_dict())
            event = await CaseEvent.create(
                case=case,
                kind="customer_reply",
                data={"text": text, "attachments": names, "status": new_status}
                | ({"from": previous} if new_status != previous else {}),
            )
            await self.tracking.publish(
                case, "case.updated", update={"text": text, "attachments": names}
            )
        return event

    def reopen_deadline(self, resolved_at: datetime) -> datetime:
        return resolved_at + timedelta(days=self.reopen_days)

    async def resolved_at(self, case: Case) -> datetime | None:
        last = await CaseEvent.filter(case_id=case.id, kind="resolved").order_by("-id").first()
        return last.created_at if last else None

    async def can_reopen(self, case: Case, now: datetime | None = None) -> bool:
        if case.status not in (states.RESOLVED, states.CLOSED):
            return False
        resolved = await self.resolved_at(case) or case.updated_at
        return (now or datetime.now(UTC)) <= self.reopen_deadline(resolved)

    async def reopen(self, case: Case, reason: str, now: datetime | None = None) -> CaseEvent:
        if case.status not in (states.RESOLVED, states.CLOSED):
            raise ActionRefused("not_resolved")
        if not await self.can_reopen(case, now):
            raise ActionRefused("too_late")
        reason = _within(clean_text(reason, multiline=True), MAX_REASON)
        if not reason:
            raise ActionRefused("empty_reason")
        previous = case.status
        async with in_transaction():
            await self._move(case, states.REOPENED)
            event = await CaseEvent.create(
                case=case, kind="reopened", data={"reason": reason, "from": previous}
            )
            await self.notify(case, "reopened", reason)
            await self.tracking.publish(
                case, "case.reopened", reopen={"reason": reason, "from": previous}
            )
        self.tracking.send_mail_soon()
        return event

    async def send_links(self, email: str, now: datetime | None = None) -> int:
        """Email fresh personal links to every recent case of this address; returns how many.

        The caller answers the same whatever this returns, so nobody learns whether an
        address has cases.
        """
        since = (now or datetime.now(UTC)) - timedelta(days=LINKS_FOR_DAYS)
        address = email.strip()
        cases = (
            await Case.filter(email__iexact=address, created_at__gte=since)
            .order_by("-created_at")
            .limit(10)
        )
        if not cases or "@" not in address:
            return 0
        async with in_transaction():
            listed = []
            for case in cases:
                token = secrets.token_urlsafe(24)
                await CaseAccessKey.create(case=case, key_hash=hash_secret(token))
                listed.append(
                    {
                        "tracking_id": case.tracking_id,
                        "created_at": case.created_at,
                        "link": self.tracking.personal_url(case.tracking_id, token),
                    }
                )
            await self.tracking.queue_mail(cases[0], "links", link="", cases=listed)
        self.tracking.send_mail_soon()
        return len(cases)

    async def notify(self, case: Case, kind: str, text: str = "") -> None:
        """Inside the caller's transaction: the customer's email, in their language."""
        await self.tracking.queue_mail(case, kind, text=text)

    async def _move(self, case: Case, new_status: str) -> None:
        now = datetime.now(UTC)
        updated = await Case.filter(id=case.id, status=case.status).update(
            status=new_status, updated_at=now
        )
        if not updated:
            raise ActionRefused("changed")
        case.status, case.updated_at = new_status, now


def _within(text: str, limit: int) -> str:
    """Over-long text is refused, never cut: the page shows it back whole."""
    if len(text) > limit:
        raise ActionRefused("too_long", max=limit, length=len(text))
    return text


async def _same_as_last(case: Case, text: str, names: list[str]) -> bool:
    """Whether the case's latest public entry is this very reply (same text, same files)."""
    last = await CaseEvent.filter(case_id=case.id, kind__in=PUBLIC_EVENTS).order_by("-id").first()
    return (
        last is not None
        and last.kind == "customer_reply"
        and last.data.get("text") == text
        and list(last.data.get("attachments") or []) == names
    )
