"""Chromium driven like a customer: the case form, the lookup on /track, axe-core checks."""

from __future__ import annotations

import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Locator, Page, expect

from support.mail import Inbox
from tracking.ids import parse_tracking_id

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 300
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


#: A question filed in several journeys: kind, product, details and description.
DESCALING_QUESTION = (
    "question",
    "coffee_machines",
    {},
    "Wie oft muss ich meinen Kaffeevollautomaten entkalken?",
)


def assert_accessible(page: Page) -> None:
    """axe-core finds no WCAG 2.1 A/AA violation on the page as it is now."""
    result = Axe().run(page, options=WCAG)
    assert result.violations_count == 0, result.generate_report()


def faq_search_box(page: Page, base: str) -> Locator:
    """The search box of the FAQ page, opened in German."""
    page.goto(base + "/faq")
    return page.get_by_role("combobox", name="FAQ durchsuchen")


def next_step(page: Page, step: int) -> None:
    page.get_by_role("button", name="Weiter").click()
    expect(page).to_have_url(re.compile(rf"/case/new/{step}$"))


def file_case_in_browser(
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
    """Walk the case form in Chromium and submit it; returns the tracking ID once the
    confirmation page and the mail with the personal link are there."""
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
        tracking_id in mail["Subject"]
        and f"/track/{tracking_id}?key=" in mail.get_body(("plain",)).get_content()
        for mail in mails
    )
    return tracking_id


def to_details(page: Page, base: str) -> None:
    """The case form's second step (details) of a coffee machine repair, in German."""
    page.goto(base + "/case/new")
    page.locator("input[name=type][value=repair_warranty]").check()
    page.locator("#f-product").select_option("coffee_machines")
    page.get_by_role("button", name="Weiter").click()
    expect(page).to_have_url(re.compile(r"/case/new/2$"))


def open_by_lookup(page: Page, base: str, tracking_id: str, email: str) -> None:
    """The customer's way without the mail: tracking ID and email on /track."""
    page.goto(base + "/track/")
    page.locator("#tracking_id").fill(tracking_id)
    page.locator("#email").fill(email)
    page.locator("form.lookup button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text(tracking_id)


def violations(page: Page, where: str) -> list[str]:
    result = Axe().run(page, options=WCAG)
    return [
        f"{where}: {v['id']} ({len(v['nodes'])}x) {v['help']}"
        for v in result.response["violations"]
    ]
