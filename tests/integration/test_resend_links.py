"""'Send my links again': the same answer for every address, fresh links that work next to the
old ones, at most three mails per address and hour; mails carry a safe HTML part."""

from __future__ import annotations

import asyncio
import re

from litestar.testing import AsyncTestClient

from portal.app import create_app
from portal.settings import Settings
from support.cases import API_CASE as GOOD
from support.client import csrf_token, on_app
from support.html import heading
from tracking.models import OutgoingMail

LINK = re.compile(r"http://testserver\.local/track/[\w-]+\?key=[\w-]+")


async def resend(client, email: str):
    page = await client.get("/track/resend")
    return await client.post(
        "/track/resend", data={"email": email, "_csrf_token": csrf_token(page.text)}
    )


async def test_links_are_sent_again_identically_and_limited(env, smtp) -> None:
    port, inbox = smtp
    settings = Settings.from_env(
        {**env, "PORTAL_SMTP_HOST": "127.0.0.1", "PORTAL_SMTP_PORT": str(port)}
    )
    async with AsyncTestClient(create_app(settings), base_url="http://testserver.local") as client:
        payload = {**GOOD, "name": "Max <b>Muster</b>"}
        tid = (await client.post("/api/v1/cases", json=payload)).json()["tracking_id"]
        [confirmation] = await asyncio.to_thread(inbox.wait, 1)
        old_link = LINK.search(confirmation.get_body(("plain",)).get_content()).group(0)

        known = await resend(client, "MAX@example.com ")
        unknown = await resend(client, "niemand@example.com")
        assert known.status_code == unknown.status_code == 200
        assert known.text == unknown.text  # byte for byte: nothing is revealed
        mails = await asyncio.to_thread(inbox.wait, 2)
        assert len(mails) == 2
        links_mail = mails[1]
        assert (
            links_mail["To"] == GOOD["email"]
            and tid in links_mail.get_body(("plain",)).get_content()
        )
        html = links_mail.get_body(("html",)).get_content()
        assert "Max &lt;b&gt;Muster&lt;/b&gt;" in html and "<b>Muster" not in html
        new_link = LINK.search(links_mail.get_body(("plain",)).get_content()).group(0)
        assert new_link != old_link

        for link in (new_link, old_link):  # both open the status page in a fresh browser
            client.cookies.clear()
            page = await client.get(link.removeprefix("http://testserver.local"))
            assert heading(page.text) == f"Deine Anfrage {tid}"

        for _ in range(4):  # two more mails, then the limit: the answer stays the same
            assert (await resend(client, GOOD["email"])).text.count("Falls wir Anfragen") == 1
        # the mail queue holds what was accepted: nothing beyond it can go out later
        queued = await on_app(client, lambda: OutgoingMail.filter(kind="links").count())
        assert queued == 3
        await asyncio.to_thread(inbox.wait, 4)  # the confirmation and the three link mails
        sent_links = [m for m in inbox.messages if "Links" in m["Subject"]]
        assert len(sent_links) == 3

        invalid = await resend(client, "kein-at-zeichen")
        assert invalid.status_code == 400 and "gültige E-Mail-Adresse" in invalid.text
