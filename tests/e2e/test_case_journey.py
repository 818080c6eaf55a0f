"""Customers file cases of different types through the guided form in Chromium, with and
without JavaScript: FAQ suggestions, an attachment, the tracking ID and the email."""

import re
from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller
from playwright.sync_api import Browser, Page, expect

from support.mail import Inbox
from support.served import free_port, portal_process
from tracking.ids import parse_tracking_id

pytestmark = pytest.mark.e2e
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 300


@pytest.fixture
def mail_server(env: dict[str, str]) -> Iterator[tuple[str, Inbox]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with portal_process(
            {**env, "PORTAL_SMTP_HOST": "127.0.0.1", "PORTAL_SMTP_PORT": str(port)}
        ) as base:
            yield base, inbox
    finally:
        controller.stop()


def next_step(page: Page, step: int) -> None:
    page.get_by_role("button", name="Weiter").click()
    expect(page).to_have_url(re.compile(rf"/case/new/{step}$"))


def file_case(
    page: Page,
    base: str,
    inbox: Inbox,
    kind: str,
    product: str,
    details: dict,
    description: str,
    contact: dict,
    upload: bool = False,
    live: str | None = None,
) -> str:
    page.goto(base + "/")
    page.get_by_role("link", name="Kontakt / Anfrage stellen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Anfrage stellen")
    page.locator(f"input[name=type][value={kind}]").check()
    page.locator("#f-product").select_option(product)
    next_step(page, 2)
    suggestions = page.locator(".case-suggestions")
    expect(suggestions.get_by_role("heading")).to_have_text("Vielleicht hilft dir das schon weiter")
    expect(suggestions.get_by_role("button").first).to_be_visible()
    for name, value in details.items():
        field = page.locator(f"[name='details.{name}']")
        if field.evaluate("el => el.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    page.locator("#f-description").fill(description)
    if live:
        expect(suggestions.get_by_role("button", name=re.compile(live))).to_be_visible()
    if upload:
        page.locator("#f-files").set_input_files(
            {"name": "defekt.png", "mimeType": "image/png", "buffer": PNG}
        )
        page.get_by_role("button", name="Hochladen").click()
        expect(page.get_by_role("list", name="Angehängte Dateien")).to_contain_text("defekt.png")
    next_step(page, 3)
    page.get_by_label("Dein Name").fill("Erika Mustermann")
    page.get_by_label("E-Mail-Adresse").fill(contact["email"])
    page.locator(f"input[name=channel][value={contact.get('channel', 'email')}]").check()
    for name, value in contact.items():
        if name not in ("email", "channel"):
            page.locator(f"#f-{name}").fill(value)
    next_step(page, 4)
    expect(page.get_by_role("heading", name="Bitte prüfe deine Anfrage")).to_be_visible()
    page.get_by_role("button", name="Anfrage absenden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Danke, deine Anfrage ist bei uns eingegangen"
    )
    tracking_id = page.locator(".tracking-id").inner_text()
    assert parse_tracking_id(tracking_id) == tracking_id
    expect(page.locator(".received")).to_contain_text("spätestens am")
    mails = inbox.wait(count=len(inbox.messages) + 1)
    assert any(
        tracking_id in mail["Subject"] and f"/track/{tracking_id}?key=" in mail.get_body(("plain",)).get_content()
        for mail in mails
    )
    return tracking_id


def test_three_request_types_with_javascript(page: Page, mail_server):
    base, inbox = mail_server
    ids = {
        file_case(page, base, inbox, "technical_problem", "vacuum_robots", {"device_serial": "SR-7730045"},
                  "Der Saugroboter findet seine Ladestation nicht mehr.", {"email": "erika@example.com"}, upload=True),
        file_case(page, base, inbox, "return_exchange", "headphones_audio",
                  {"order_number": "LH-20261234", "return_reason": "changed_mind"},
                  "Ich möchte den Kopfhörer zurückschicken, das Rücksendeetikett ist weg.",
                  {"email": "erika@example.com", "channel": "phone", "phone": "030 1234567"}, live="Rücksendeetikett"),
        file_case(page, base, inbox, "data_protection", "no_product", {},
                  "Bitte schickt mir eine Auskunft über meine gespeicherten Daten.",
                  {"email": "erika@example.com", "channel": "letter", "street": "Lindenallee 5", "postcode": "10115", "city": "Berlin"}),
    }  # fmt: skip
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
        file_case(page, base, inbox, "billing_payment", "gift_cards", {"invoice_number": "RE-2026-123456"},
                  "Mir wurde ein Betrag doppelt abgebucht, bitte prüft das.", {"email": "erika@example.com"}, upload=True)  # fmt: skip
    finally:
        context.close()
