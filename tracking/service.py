"""Case intake: one transaction writes the case, its first timeline entry, files, mail and event."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from tracking.attachments import AttachmentStore, StoredFile
from tracking.backoffice.payloads import case_data
from tracking.classification import Classification
from tracking.db_errors import once_more_if_disconnected
from tracking.ids import new_tracking_id
from tracking.intake import CaseInput
from tracking.links import LinkSigner
from tracking.mail import MailAttachment, Mailer, MailRenderer
from tracking.models import (
    Attachment,
    Case,
    CaseAccessKey,
    CaseEvent,
    OutgoingMail,
    SuggestionOpened,
)
from tracking.sla import BusinessCalendar, due_times
from webhooks import outbox

log = logging.getLogger("tracking")

#: Public paths of a case, relative to the portal's base URL (served by the tracking pages).
STATUS_PATH = "/track/{tracking_id}"
PERSONAL_LINK_PATH = "/track/{tracking_id}?key={token}"


def hash_secret(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Deflection:
    """What the FAQ offered before the case was opened."""

    query: str = ""
    shown: tuple[str, ...] = ()
    opened: tuple[str, ...] = ()
    draft_id: str = ""

    def to_dict(self) -> dict:
        return {"query": self.query, "shown": list(self.shown), "opened": list(self.opened)}


@dataclass(frozen=True, slots=True)
class Intake:
    """The outcome of `create_case`: `created` is False when a repeated submission found its case."""

    case: Case
    created: bool
    status_url: str
    attachments: list[StoredFile] = field(default_factory=list)


class TrackingService:
    def __init__(
        self,
        classification: Classification,
        attachments: AttachmentStore,
        mailer: Mailer,
        links: LinkSigner,
        renderer: MailRenderer,
        company: str = "Lindenhof Living",
    ) -> None:
        self.classification = classification
        self.renderer = renderer
        self.attachments = attachments
        self.mailer = mailer
        self.links = links
        self.base_url = links.base_url
        self.company = company
        self.calendar = BusinessCalendar(classification.business_hours)
        self._mail_task: asyncio.Task | None = None
        self._mail_again = False

    def status_url(self, tracking_id: str) -> str:
        """The status page without a key: only a browser that has opened the case sees it."""
        return self.base_url + STATUS_PATH.format(tracking_id=tracking_id)

    def personal_url(self, tracking_id: str, token: str) -> str:
        return self.base_url + PERSONAL_LINK_PATH.format(tracking_id=tracking_id, token=token)

    async def personal_link(self, case: Case) -> str:
        """A fresh personal link that opens this case's status page on any device.

        Each mail gets its own key (only its hash is stored), as the confirmation does, so a
        customer reading the mail on a phone lands on the case, not on the lookup form.
        """
        token = secrets.token_urlsafe(24)
        await CaseAccessKey.create(case_id=case.id, key_hash=hash_secret(token))
        return self.personal_url(case.tracking_id, token)

    async def queue_mail(
        self,
        case: Case,
        kind: str,
        *,
        language: str | None = None,
        attachments: Iterable[MailAttachment] = (),
        **values: object,
    ) -> OutgoingMail:
        """Render `kind` in the customer's language and queue it, in the caller's transaction.

        Every mail knows the case, the customer's name, the company and a personal `link`
        (a fresh one unless the caller passes its own); `send_mail_soon` after commit sends it.
        """
        if "link" not in values:
            values["link"] = await self.personal_link(case)
        rendered = self.renderer.render(
            kind,
            language or case.language,
            {
                "case": case,
                "name": case.name,
                "tracking_id": case.tracking_id,
                "company": self.company,
                **values,
            },
        )
        return await OutgoingMail.create(
            case_id=case.id,
            kind=kind,
            recipient=case.email,
            subject=rendered.subject,
            body=rendered.text,
            html=rendered.html,
            attachments=[item.to_dict() for item in attachments],
            next_attempt_at=datetime.now(UTC),
        )

    async def publish(self, case: Case, event_type: str, **extra: Any) -> None:
        """Tell the back office: the full case plus `extra`, queued in the caller's transaction."""
        data = await case_data(case, self.links, self.status_url(case.tracking_id))
        await outbox.enqueue(event_type, {**data, **extra}, case_key=case.tracking_id)

    async def find_by_submission(self, submission_key: str) -> Case | None:
        return await Case.get_or_none(submission_key=hash_secret(submission_key))

    async def create_case(
        self,
        data: CaseInput,
        *,
        submission_key: str,
        source: str,
        deflection: Deflection = Deflection(),
        files: Iterable[StoredFile] = (),
        now: datetime | None = None,
    ) -> Intake:
        """Store a validated case; the same `submission_key` twice gives the first case back.

        A connection lost on the way is tried once more: the key keeps it to one case.
        """
        return await once_more_if_disconnected(
            lambda: self._store_case(data, submission_key, source, deflection, files, now),
            "storing a case",
        )

    async def _store_case(
        self,
        data: CaseInput,
        submission_key: str,
        source: str,
        deflection: Deflection,
        files: Iterable[StoredFile],
        now: datetime | None,
    ) -> Intake:
        key = hash_secret(submission_key)
        existing = await Case.get_or_none(submission_key=key)
        if existing is not None:
            return Intake(existing, False, self.status_url(existing.tracking_id))
        files = list(files)
        now = now or datetime.now(UTC)
        conditions = data.conditions()
        routing = self.classification.route(conditions)
        due = due_times(self.classification, conditions, now, self.calendar)
        token = secrets.token_urlsafe(24)  # 192 bits, only its hash is kept
        for _ in range(5):
            tracking_id = new_tracking_id()
            try:
                case = await self._write(
                    data, key, token, tracking_id, source, routing, due, deflection, files
                )
                break
            except IntegrityError:
                existing = await Case.get_or_none(submission_key=key)
                if existing is not None:  # a concurrent double submit won the race
                    return Intake(existing, False, self.status_url(existing.tracking_id))
                # otherwise a tracking ID collision (60 random bits): draw again
        else:
            raise RuntimeError("could not store the case")
        self.send_mail_soon()
        return Intake(case, True, self.status_url(case.tracking_id), files)

    async def _write(
        self, data, key, token, tracking_id, source, routing, due, deflection, files
    ) -> Case:
        async with in_transaction():
            case = await Case.create(
                tracking_id=tracking_id,
                submission_key=key,
                access_token_hash=hash_secret(token),
                source=source,
                language=data.language,
                request_type=data.type,
                product=data.product,
                urgency=data.urgency,
                customer_type=data.customer_type,
                channel=data.channel,
                level=routing.level,
                department=routing.department,
                priority=routing.priority,
                name=data.name,
                email=data.email,
                phone=data.phone,
                street=data.street,
                postcode=data.postcode,
                city=data.city,
                company=data.company,
                customer_number=data.customer_number,
                description=data.description,
                details=dict(data.details),
                deflection=deflection.to_dict(),
                first_response_due=due.first_response,
                resolution_due=due.resolution,
            )
            await CaseEvent.create(
                case=case,
                kind="received",
                data={
                    "status": case.status,
                    "level": routing.level,
                    "department": routing.department,
                    "priority": routing.priority,
                    "attachments": len(files),
                },
            )
            for stored in files:
                await Attachment.create(case=case, **stored.to_dict())
            if deflection.draft_id:
                await SuggestionOpened.filter(
                    draft=hash_secret(deflection.draft_id), case_id=None
                ).update(case_id=case.id)
            await self.queue_mail(
                case,
                "confirmation",
                link=self.personal_url(tracking_id, token),
                first_response=due.first_response,
            )
            await self.publish(case, "case.created")
        return case

    # -- deflection ----------------------------------------------------------------------
    async def record_opened(self, draft_id: str, slug: str, lang: str) -> None:
        """The customer opened a suggested FAQ answer while filling in the form."""
        await SuggestionOpened.create(draft=hash_secret(draft_id), slug=slug[:120], lang=lang[:2])

    # -- mail ----------------------------------------------------------------------------
    def send_mail_soon(self) -> None:
        """Send pending mail in the background, after the case has committed."""
        self._mail_again = True
        if self._mail_task is None or self._mail_task.done():
            self._mail_task = asyncio.get_running_loop().create_task(self.send_pending_mail())

    async def send_pending_mail(self) -> None:
        """Send what is due; a failure is logged and left for the next round."""
        self._mail_again = True
        while self._mail_again:  # mail queued while a send ran is sent in the next round
            self._mail_again = False
            try:
                await self.mailer.send_due()
            except Exception:  # the retry loop picks it up later
                log.warning("sending mail failed", exc_info=True)
                return

    async def wait_for_mail(self) -> None:
        """Tests and shutdown: let a running send finish."""
        if self._mail_task is not None:
            await asyncio.shield(self._mail_task)

    def delete_files(self, files: Iterable[StoredFile | Mapping]) -> None:
        for item in files:
            name = (
                item.storage_name if isinstance(item, StoredFile) else item.get("storage_name", "")
            )
            with contextlib.suppress(ValueError):
                self.attachments.delete(name)


def attachment_root(data_dir: Path) -> Path:
    return data_dir / "attachments"
