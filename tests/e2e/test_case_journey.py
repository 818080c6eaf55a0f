"""Customers file cases of different types through the guided form in Chromium, with and
without JavaScript: FAQ suggestions, an attachment, the tracking ID and the email."""

import pytest
from playwright.sync_api import Browser, Page, expect

from support.browser import file_case_in_browser

pytestmark = pytest.mark.e2e


def test_three_request_types_with_javascript(page: Page, mail_server):
    base, inbox = mail_server
    ids = {
        file_case_in_browser(
            page,
            base,
            inbox,
            "technical_problem",
            "vacuum_robots",
            {"device_serial": "SR-7730045"},
            "Der Saugroboter findet seine Ladestation nicht mehr.",
            {"email": "erika@example.com"},
            upload=True,
        ),
        file_case_in_browser(
            page,
            base,
            inbox,
            "return_exchange",
            "headphones_audio",
            {"order_number": "LH-20261234", "return_reason": "changed_mind"},
            "Ich möchte den Kopfhörer zurückschicken, das Rücksendeetikett ist weg.",
            {"email": "erika@example.com", "channel": "phone", "phone": "030 1234567"},
            live="Rücksendeetikett",
        ),
        file_case_in_browser(
            page,
            base,
            inbox,
            "data_protection",
            "no_product",
            {},
            "Bitte schickt mir eine Auskunft über meine gespeicherten Daten.",
            {
                "email": "erika@example.com",
                "channel": "letter",
                "street": "Lindenallee 5",
                "postcode": "10115",
                "city": "Berlin",
            },
        ),
    }
    assert len(ids) == 3


def test_a_case_without_javascript(browser: Browser, mail_server):
    base, inbox = mail_server
    context = browser.new_context(java_script_enabled=False, locale="de-DE")
    page = context.new_page()
    try:
        page.goto(base + "/case/new")
        page.get_by_role("button", name="Weiter").click()
        expect(page.locator("#f-type-error")).to_have_text("Bitte wähle eine der Möglichkeiten.")
        expect(page.locator("input[name=type]").first).to_have_attribute("aria-invalid", "true")
        file_case_in_browser(
            page,
            base,
            inbox,
            "billing_payment",
            "gift_cards",
            {"invoice_number": "RE-2026-123456"},
            "Mir wurde ein Betrag doppelt abgebucht, bitte prüft das.",
            {"email": "erika@example.com"},
            upload=True,
        )
    finally:
        context.close()
