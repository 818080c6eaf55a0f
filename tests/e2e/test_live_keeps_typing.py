"""A live update of the status page never discards what the customer is typing: the back office
answers while every form on the page holds input, and the answer shows without taking it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from support.browser import open_by_lookup
from support.callbacks import EVERY_DAY
from support.cases import API_CASE
from support.served import back_office_event, file_by_api

pytestmark = pytest.mark.e2e
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def env(env: dict[str, str]) -> dict[str, str]:
    """Open every day, so there are callback times whenever the test runs."""
    return {**env, "PORTAL_CALLBACK_FILE": str(EVERY_DAY)}


def choose_first_slot(page: Page) -> str:
    """Open the first day of the slot picker and take its first time; returns the slot value."""
    picker = page.locator("#f-slot")
    picker.locator("summary").first.click()
    slot = picker.locator("input[name=slot]").first
    slot.check()
    return slot.get_attribute("value")


@pytest.mark.parametrize(
    ("locale", "width", "news"),
    [("de-DE", 1280, "Neue Nachricht oben"), ("en-GB", 390, "New message above")],
)
def test_typed_input_survives_a_back_office_reply(
    browser: Browser, live_server, env, locale: str, width: int, news: str
):
    context = browser.new_context(locale=locale, viewport={"width": width, "height": 800})
    try:
        typed_input_survives(context.new_page(), live_server, env, news)
    finally:
        context.close()


def typed_input_survives(page: Page, live_server: str, env: dict[str, str], news: str) -> None:
    tracking_id = file_by_api(live_server)
    open_by_lookup(page, live_server, tracking_id, API_CASE["email"])
    page.evaluate("window.notReloaded = true")

    page.locator("#f-text").fill("Die Seriennummer reiche ich nach.")
    page.locator("#f-reply-files").set_input_files(
        {"name": "beleg.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.locator("#f-phone").fill("0171 2345678")
    slot = choose_first_slot(page)
    page.locator("#f-language-en").check()
    page.locator("#f-note").fill("Am besten mittags.")
    page.locator("h1").click()  # no field has the focus: content alone must keep a form

    back_office_event(
        env, live_server, tracking_id, {"kind": "reply", "text": "Danke, wir prüfen das."}
    )
    expect(page.locator(".timeline")).to_contain_text("Danke, wir prüfen das.", timeout=5000)

    expect(page.locator("#f-text")).to_have_value("Die Seriennummer reiche ich nach.")
    assert (
        page.locator("#f-reply-files").evaluate("el => el.files.length && el.files[0].name")
        == "beleg.pdf"
    )
    expect(page.locator("#f-phone")).to_have_value("0171 2345678")
    expect(page.locator(f"input[name=slot][value='{slot}']")).to_be_checked()
    expect(page.locator("#f-language-en")).to_be_checked()
    expect(page.locator("#f-note")).to_have_value("Am besten mittags.")
    expect(page.locator("#live-status")).to_contain_text(news)
    assert page.evaluate("window.notReloaded") is True


def test_reopen_reason_survives_a_back_office_reply(page: Page, live_server, env):
    tracking_id = file_by_api(live_server)
    back_office_event(env, live_server, tracking_id, {"kind": "resolve", "text": "Erledigt."})
    open_by_lookup(page, live_server, tracking_id, API_CASE["email"])

    reason = page.locator("#f-reason")
    reason.fill("Der Kopfhörer ist noch nicht abgeholt worden.")  # and keeps the focus
    back_office_event(
        env, live_server, tracking_id, {"kind": "reply", "text": "Nachtrag vom Team."}
    )
    expect(page.locator(".timeline")).to_contain_text("Nachtrag vom Team.", timeout=5000)
    expect(reason).to_have_value("Der Kopfhörer ist noch nicht abgeholt worden.")
    expect(reason).to_be_focused()
