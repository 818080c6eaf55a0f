"""Customer emails: written into `OutgoingMail` with the case, sent after commit, retried.

An SMTP server that is down never costs a case: the row stays pending and is retried on a
growing schedule; after the last attempt it is marked failed for someone to look at.
"""

from __future__ import annotations

import asyncio
import base64
import html
import logging
import re
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from typing import Any, Protocol

from tortoise.expressions import Q

from tracking.models import OutgoingMail

log = logging.getLogger("tracking.mail")

RETRY_MINUTES = (1, 5, 30, 120, 360, 720)
LEASE = timedelta(minutes=2)


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    host: str = ""
    port: int = 25
    sender: str = "Lindenhof Living <service@lindenhof-living.example>"
    username: str = ""
    password: str = ""
    starttls: bool = False
    timeout: float = 10.0

    @property
    def configured(self) -> bool:
        return bool(self.host)


@dataclass(frozen=True, slots=True)
class MailAttachment:
    """A file sent with a mail (the callback's .ics); kept in the row until it is sent."""

    filename: str
    content_type: str
    data: bytes

    def to_dict(self) -> dict[str, str]:
        return {
            "filename": self.filename,
            "content_type": self.content_type,
            "data": base64.b64encode(self.data).decode(),
        }


@dataclass(frozen=True, slots=True)
class RenderedMail:
    subject: str
    text: str
    html: str


class MailRenderer(Protocol):
    """Turns a kind of mail, a language and its values into subject, text and HTML.

    The words of a mail are presentation, like a page's: they live in the portal's templates
    (`portal/templates/email/<kind>/`) and gettext catalogs, which the portal hands to the
    tracking service at start-up (`portal.mail_templates`). So tracking never imports
    portal, and a mail and the page it links to are translated from one catalog.
    """

    def render(self, kind: str, language: str, values: Mapping[str, Any]) -> RenderedMail: ...


_LINK = re.compile(r"https?://[^\s<>\"']+")


def html_body(text: str, title: str) -> str:
    """An HTML part made from the text, for rows queued before mails had their own HTML
    (`queue_mail` renders `body.html`): escaped, paragraphs, clickable links.

    Every piece of customer or agent text is escaped before the links are marked up, so
    nothing typed into a form or a reply can become markup in a mail client.
    """

    def paragraph(block: str) -> str:
        parts, last = [], 0
        for match in _LINK.finditer(block):
            parts.append(html.escape(block[last : match.start()]))
            url = html.escape(match.group(0))
            parts.append(f'<a href="{url}">{url}</a>')
            last = match.end()
        parts.append(html.escape(block[last:]))
        return "<p>" + "".join(parts).replace("\n", "<br>\n") + "</p>"

    blocks = [b for b in text.split("\n\n") if b.strip()]
    body = "\n".join(paragraph(b) for b in blocks)
    return (
        f'<!doctype html>\n<html><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f'</head>\n<body style="font-family: sans-serif; line-height: 1.5">\n{body}\n</body></html>\n'
    )


class Mailer:
    """Sends due rows of `OutgoingMail`; several processes may run it at once."""

    def __init__(self, config: SmtpConfig) -> None:
        self.config = config

    def message(self, row: OutgoingMail) -> EmailMessage:
        """The MIME message of a row: text, its HTML alternative, files; dated and identified."""
        message = EmailMessage()
        message["From"] = self.config.sender
        message["To"] = row.recipient
        message["Subject"] = row.subject
        message["Date"] = format_datetime(datetime.now(UTC))
        domain = parseaddr(self.config.sender)[1].rpartition("@")[2] or "localhost"
        message["Message-ID"] = make_msgid(domain=domain)
        message.set_content(row.body)
        message.add_alternative(row.html or html_body(row.body, row.subject), subtype="html")
        for item in row.attachments or []:
            maintype, _, subtype = item["content_type"].partition("/")
            # our text files (the .ics) are UTF-8; without the charset a mail client reads
            # them as US-ASCII (RFC 2046) and shows "Rückruf" as "R��ckruf"
            charset = {"charset": "utf-8"} if maintype == "text" else {}
            message.add_attachment(
                base64.b64decode(item["data"]),
                maintype=maintype,
                subtype=subtype,
                filename=item["filename"],
                params=charset,
            )
        return message

    def _send_sync(self, row: OutgoingMail) -> None:
        message = self.message(row)
        with smtplib.SMTP(self.config.host, self.config.port, timeout=self.config.timeout) as smtp:
            if self.config.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if self.config.username:
                smtp.login(self.config.username, self.config.password)
            smtp.send_message(message)

    async def send_due(self, limit: int = 20) -> int:
        """Send what is due now; returns how many were sent."""
        if not self.config.configured:
            return 0
        now = datetime.now(UTC)
        due = (
            await OutgoingMail.filter(
                Q(status="pending", next_attempt_at__lte=now)
                | Q(status="sending", next_attempt_at__lte=now - LEASE)
            )
            .order_by("id")
            .limit(limit)
        )
        sent = 0
        for row in due:
            # claim: only one process moves the row from its current state
            claimed = await OutgoingMail.filter(
                id=row.id, status=row.status, attempts=row.attempts
            ).update(status="sending", attempts=row.attempts + 1, next_attempt_at=now)
            if not claimed:
                continue
            try:
                await asyncio.to_thread(self._send_sync, row)
            except (OSError, smtplib.SMTPException) as exc:
                await self._failed(row, exc)
                continue
            await OutgoingMail.filter(id=row.id).update(
                status="sent",
                sent_at=datetime.now(UTC),
                body="",
                html="",
                attachments=[],
                last_error="",
            )
            sent += 1
        return sent

    async def _failed(self, row: OutgoingMail, exc: Exception) -> None:
        attempt = row.attempts + 1
        error = f"{type(exc).__name__}: {exc}"[:300]
        if attempt > len(RETRY_MINUTES):
            log.error("giving up on mail %s to case %s: %s", row.id, row.case_id, error)
            await OutgoingMail.filter(id=row.id).update(status="failed", last_error=error)
            return
        log.warning("mail %s not sent (attempt %s), will retry: %s", row.id, attempt, error)
        await OutgoingMail.filter(id=row.id).update(
            status="pending",
            last_error=error,
            next_attempt_at=datetime.now(UTC) + timedelta(minutes=RETRY_MINUTES[attempt - 1]),
        )
