"""The personal link from the confirmation email opens the status page in another browser."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, expect

from tests.e2e.test_case_journey import file_case, mail_server  # noqa: F401 (fixture)

pytestmark = pytest.mark.e2e


def test_email_link_opens_the_status_page(page, browser: Browser, mail_server, env):  # noqa: F811
    base, inbox = mail_server
    tracking_id = file_case(
        page, base, inbox, "question", "coffee_machines", {},
        "Wie oft muss ich meinen Kaffeevollautomaten entkalken?", {"email": "erika@example.com"},
    )  # fmt: skip
    mail = next(m for m in reversed(inbox.messages) if tracking_id in m["Subject"])
    link = re.search(r"https?://\S+\?key=[\w-]+", mail.get_body(("plain",)).get_content()).group(0)
    other = browser.new_context(locale="de-DE")
    try:
        status_page = other.new_page()
        status_page.goto(link)
        expect(status_page.get_by_role("heading", level=1)).to_have_text(f"Deine Anfrage {tracking_id}")
        expect(status_page.locator(".case-facts")).to_contain_text("Eingegangen")
        expect(status_page.locator(".timeline")).to_contain_text("Anfrage eingegangen")
        result = Axe().run(status_page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa"]}})
        assert result.violations_count == 0, result.generate_report()

        # the back office answers through its API: the open page shows it without a reload
        status_page.evaluate("window.notReloaded = true")
        reply_from_back_office(env, base, tracking_id, "Wir melden uns morgen telefonisch.")
        expect(status_page.locator(".timeline")).to_contain_text("Wir melden uns morgen telefonisch.", timeout=5000)
        assert status_page.evaluate("window.notReloaded") is True
    finally:
        other.close()


def reply_from_back_office(env: dict[str, str], base: str, tracking_id: str, text: str) -> None:
    back_office_event(env, base, tracking_id, {"kind": "reply", "text": text})


def back_office_event(env: dict[str, str], base: str, tracking_id: str, event: dict) -> None:
    """A real OAuth client, made with the CLI on the served portal's database, posts an event."""
    import base64
    import json
    import os
    import subprocess
    import sys
    import urllib.request

    created = subprocess.run(
        [sys.executable, "-m", "portal", "clients", "create", "e2e", "--scopes", "cases:write", "--json"],
        env={**os.environ, **env}, capture_output=True, text=True, check=True, timeout=60,
    )
    client = json.loads(created.stdout)
    basic = base64.b64encode(f"{client['client_id']}:{client['client_secret']}".encode()).decode()
    token_request = urllib.request.Request(
        base + "/oauth/token", data=b"grant_type=client_credentials",
        headers={"authorization": f"Basic {basic}", "content-type": "application/x-www-form-urlencoded"},
    )
    with urllib.request.urlopen(token_request, timeout=10) as response:
        token = json.load(response)["access_token"]
    event = urllib.request.Request(
        f"{base}/api/v1/backoffice/cases/{tracking_id}/events",
        data=json.dumps(event).encode(),
        headers={"authorization": f"Bearer {token}", "content-type": "application/json"},
    )
    with urllib.request.urlopen(event, timeout=10) as response:
        assert response.status in (200, 201)

