"""The confirmation email reaches a real SMTP server; an SMTP outage never costs a case."""

import asyncio
import hashlib
import re
from datetime import UTC, datetime

from litestar.testing import AsyncTestClient

from portal.app import create_app
from portal.settings import Settings
from support.cases import API_CASE as GOOD
from support.client import on_app
from support.served import free_port
from tracking.models import Case, OutgoingMail


async def test_confirmation_email_has_the_personal_tracking_link(env, smtp):
    port, inbox = smtp
    settings = Settings.from_env(
        {**env, "PORTAL_SMTP_HOST": "127.0.0.1", "PORTAL_SMTP_PORT": str(port)}
    )
    async with AsyncTestClient(
        app=create_app(settings), base_url="http://testserver.local"
    ) as client:
        response = await client.post("/api/v1/cases", json=GOOD)
        tid = response.json()["tracking_id"]
        [mail] = await asyncio.to_thread(inbox.wait)
        assert mail["To"] == "max@example.com"
        assert tid in mail["Subject"]
        body = mail.get_body(("plain",)).get_content()
        link = re.search(rf"http://testserver\.local/track/{tid}\?key=([\w-]+)", body)
        assert link, body
        case = await on_app(client, lambda: Case.get(tracking_id=tid))
        assert len(link.group(1)) >= 22  # at least 128 bits, url-safe base64
        assert hashlib.sha256(link.group(1).encode()).hexdigest() == case.access_token_hash
        await asyncio.sleep(0.2)
        row = await on_app(client, lambda: OutgoingMail.get(case_id=case.id))
        assert row.status == "sent" and row.body == "", "the link secret is not kept once sent"


async def test_smtp_down_keeps_the_case_and_retries_later(env, smtp):
    port, inbox = smtp
    dead_port = free_port()
    settings = Settings.from_env(
        {**env, "PORTAL_SMTP_HOST": "127.0.0.1", "PORTAL_SMTP_PORT": str(dead_port)}
    )
    app = create_app(settings)
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as client:
        response = await client.post("/api/v1/cases", json=GOOD)
        assert response.status_code == 201
        tracking = app.dependencies["services"].dependency().tracking
        await on_app(client, tracking.wait_for_mail)
        row = await on_app(client, lambda: OutgoingMail.first())
        assert (row.status, row.attempts) == ("pending", 1)
        assert "ConnectionRefusedError" in row.last_error
        # the server is back and the retry is due
        tracking.mailer.config = type(tracking.mailer.config)(host="127.0.0.1", port=port)
        await on_app(client, lambda: OutgoingMail.all().update(next_attempt_at=datetime.now(UTC)))
        assert await on_app(client, tracking.mailer.send_due) == 1
        [mail] = inbox.messages
        assert response.json()["tracking_id"] in mail["Subject"]
