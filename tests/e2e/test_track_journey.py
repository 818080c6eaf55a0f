"""The personal link from the confirmation email opens the status page in another browser."""

import re

import pytest
from playwright.sync_api import Browser, expect

from support.browser import DESCALING_QUESTION, assert_accessible, file_case_in_browser
from support.served import back_office_event

pytestmark = pytest.mark.e2e


def test_email_link_opens_the_status_page(page, browser: Browser, mail_server, env):
    base, inbox = mail_server
    tracking_id = file_case_in_browser(
        page, base, inbox, *DESCALING_QUESTION, {"email": "erika@example.com"}
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
        assert_accessible(status_page)

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
