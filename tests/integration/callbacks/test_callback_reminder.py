"""The reminder email reaches a real SMTP server once, in the language of the callback."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from litestar.testing import AsyncTestClient

from portal.app import create_app
from portal.settings import Settings
from support.callbacks import book, booked, open_case, slots
from support.client import on_app
from tracking.callbacks.models import Callback
from tracking.models import OutgoingMail


async def test_one_reminder_in_english_before_the_callback(env, smtp):
    port, inbox = smtp
    settings = Settings.from_env(
        {**env, "PORTAL_SMTP_HOST": "127.0.0.1", "PORTAL_SMTP_PORT": str(port)}
    )
    app = create_app(settings)
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as client:
        callbacks = app.dependencies["services"].dependency().callbacks
        tracking_id, html = await open_case(client)
        slot = slots(html)[-1]  # the latest offered: no reminder is due for it yet
        assert (await book(client, tracking_id, html, slot=slot, language="en")).status_code == 303
        [(callback_id, _)] = booked((await client.get(f"/track/{tracking_id}")).text)
        await asyncio.to_thread(inbox.wait, 2)  # the confirmations of the case and the booking
        assert await on_app(client, callbacks.send_reminders) == 0

        start = datetime.fromisoformat(slot)
        early = start - timedelta(hours=3)
        assert await on_app(client, lambda: callbacks.send_reminders(early)) == 0
        due = start - timedelta(minutes=90)
        # two processes' loops at once: the conditional update lets only one write the mail
        sent = await on_app(
            client,
            lambda: asyncio.gather(callbacks.send_reminders(due), callbacks.send_reminders(due)),
        )
        assert sorted(sent) == [0, 1]
        messages = await asyncio.to_thread(inbox.wait, 3)
        reminder = messages[-1]
        assert reminder["Subject"].startswith("Reminder: we will call you on")
        body = reminder.get_body(("plain",)).get_content()
        assert "+49 30 1234567" in body and f"/track/{tracking_id}?key=" in body
        row = await on_app(client, lambda: Callback.get(id=int(callback_id)))
        assert row.reminded_at is not None
        assert (
            await on_app(client, lambda: OutgoingMail.filter(kind="callback_reminder").count()) == 1
        )
