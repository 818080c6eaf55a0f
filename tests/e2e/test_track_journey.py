"""The personal link from the confirmation email opens the status page in another browser."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, expect

from tests.e2e.test_case_journey import file_case, mail_server  # noqa: F401 (fixture)

pytestmark = pytest.mark.e2e


def test_email_link_opens_the_status_page(page, browser: Browser, mail_server):  # noqa: F811
    base, inbox = mail_server
    tracking_id = file_case(
        page, base, inbox, "question", "coffee_machines", {},
        "Wie oft muss ich meinen Kaffeevollautomaten entkalken?", {"email": "erika@example.com"},
    )  # fmt: skip
    mail = next(m for m in reversed(inbox.messages) if tracking_id in m["Subject"])
    link = re.search(r"https?://\S+\?key=[\w-]+", mail.get_content()).group(0)
    other = browser.new_context(locale="de-DE")
    try:
        status_page = other.new_page()
        status_page.goto(link)
        expect(status_page.get_by_role("heading", level=1)).to_have_text(f"Deine Anfrage {tracking_id}")
        expect(status_page.locator(".case-facts")).to_contain_text("Eingegangen")
        expect(status_page.locator(".timeline")).to_contain_text("Anfrage eingegangen")
        result = Axe().run(status_page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa"]}})
        assert result.violations_count == 0, result.generate_report()
    finally:
        other.close()
