"""Customer emails: written into `OutgoingMail` with the case, sent after commit, retried.

An SMTP server that is down never costs a case: the row stays pending and is retried on a
growing schedule; after the last attempt it is marked failed for someone to look at.
"""

from __future__ import annotations

import asyncio
import html
import logging
import re
import smtplib
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid

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


CONFIRMATION = {
    "de": (
        "Deine Anfrage {tracking_id} ist bei uns eingegangen",
        "Hallo {name},\n\n"
        "vielen Dank für deine Nachricht. Deine Anfrage ist bei uns eingegangen.\n\n"
        "Vorgangsnummer: {tracking_id}\n"
        "Erste Antwort spätestens: {first_response}\n\n"
        "Über diesen persönlichen Link siehst du jederzeit, wie es um deine Anfrage steht:\n"
        "{link}\n\n"
        "Bitte gib den Link nicht weiter. Wenn du uns schreibst oder anrufst, nenne einfach "
        "die Vorgangsnummer.\n\n"
        "Viele Grüße\ndein Kundenservice von {company}\n",
    ),
    "en": (
        "We have received your request {tracking_id}",
        "Hello {name},\n\n"
        "thank you for your message. We have received your request.\n\n"
        "Tracking ID: {tracking_id}\n"
        "First response by: {first_response}\n\n"
        "Follow your request at any time with this personal link:\n"
        "{link}\n\n"
        "Please do not share the link. When you write or call us, just quote the tracking ID.\n\n"
        "Kind regards\nCustomer service, {company}\n",
    ),
}


def confirmation_text(lang: str, **values: str) -> tuple[str, str]:
    subject, body = CONFIRMATION.get(lang, CONFIRMATION["de"])
    return subject.format(**values), body.format(**values)


_LINK = re.compile(r"https?://[^\s<>\"']+")


def html_body(text: str, title: str) -> str:
    """The HTML part of a mail, made from its text: escaped, paragraphs, clickable links.

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

    def _send_sync(self, row: OutgoingMail) -> None:
        message = EmailMessage()
        message["From"] = self.config.sender
        message["To"] = row.recipient
        message["Subject"] = row.subject
        message["Message-ID"] = make_msgid(domain="lindenhof-portal")
        message.set_content(row.body)
        message.add_alternative(html_body(row.body, row.subject), subtype="html")
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
                status="sent", sent_at=datetime.now(UTC), body="", last_error=""
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
