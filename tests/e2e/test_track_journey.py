"""The personal link from the confirmation email opens the status page in another browser."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, expect

from support.browser import file_case_in_browser
from support.served import back_office_event

pytestmark = pytest.mark.e2e


def test_email_link_opens_the_status_page(page, browser: Browser, mail_server, env):
    base, inbox = mail_server
    tracking_id = file_case_in_browser(
        page,
        base,
        inbox,
        "question",
        "coffee_machines",
        {},
        "Wie oft muss ich meinen Kaffeevollautomaten entkalken?",
        {"email": "erika@example.com"},
    )
    mail = next(m for m in reversed(inbox.messages) if tracking_id in m["Subject"])
    link = re.search(r"https?://\S+\?key=[\w-]+", mail.get_body(("plain",)).get_content()).group(0)
    other = browser.new_context(locale="de-DE")
    try:
        status_page = other.new_page()
        status_page.goto(link)
        expect(status_page.get_by_role("heading", level=1)).to_have_text(
            f"Deine Anfrage {tracking_id}"
        )
        expect(status_page.locator(".case-facts")).to_contain_text("Eingegangen")
        expect(status_page.locator(".timeline")).to_contain_text("Anfrage eingegangen")
        result = Axe().run(
            status_page,
            options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa"]}},
        )
        assert result.violations_count == 0, result.generate_report()

        # the back office answers through its API: the open page shows it without a reload
        status_page.evaluate("window.notReloaded = true")
        reply_from_back_office(env, base, tracking_id, "Wir melden uns morgen telefonisch.")
        expect(status_page.locator(".timeline")).to_contain_text(
            "Wir melden uns morgen telefonisch.", timeout=5000
        )
        assert status_page.evaluate("window.notReloaded") is True
    finally:
        other.close()


def reply_from_back_office(env: dict[str, str], base: str, tracking_id: str, text: str) -> None:
    back_office_event(env, base, tracking_id, {"kind": "reply", "text": text})
