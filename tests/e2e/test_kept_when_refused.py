"""In Chromium: files the portal would refuse as a whole request are refused before they are
sent, and a form sent after the cookies were deleted shows back what was written; in both
cases the customer keeps their text."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from support.browser import open_by_lookup, to_details
from support.callbacks import EVERY_DAY
from support.cases import API_CASE
from support.served import file_by_api

pytestmark = pytest.mark.e2e
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 300
TEXT = "Der Wasserbehälter leckt seit Montag, ich habe die Dichtung schon getauscht."
PHONE = {"locale": "de-DE", "viewport": {"width": 390, "height": 844}}


@pytest.fixture
def env(env: dict[str, str]) -> dict[str, str]:
    """Open every day, so there are callback times whenever the test runs."""
    return {**env, "PORTAL_CALLBACK_FILE": str(EVERY_DAY)}


def test_more_files_than_the_form_takes_are_refused_before_sending(browser: Browser, live_server):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    to_details(page, live_server)
    page.locator("#f-description").fill(TEXT)
    files = [{"name": f"foto{n}.png", "mimeType": "image/png", "buffer": PNG} for n in range(6)]
    page.locator("#f-files").set_input_files(files)
    expect(page.locator("#f-files-check")).to_have_text(
        "Du kannst hier höchstens 5 Dateien hinzufügen."
    )
    assert page.locator("#f-files").evaluate("input => input.files.length") == 0
    expect(page.locator("#f-description")).to_have_value(TEXT)
    context.close()


def test_a_reply_file_over_the_limit_is_refused_before_sending(browser: Browser, live_server):
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    open_by_lookup(page, live_server, file_by_api(live_server), API_CASE["email"])
    page.locator("#f-text").fill(TEXT)
    big = {"name": "scan.png", "mimeType": "image/png", "buffer": PNG + b"\x00" * (10 * 2**20)}
    page.locator("#f-reply-files").set_input_files(big)
    expect(page.locator("#f-reply-files-check")).to_have_text("scan.png is larger than 10 MB.")
    assert page.locator("#f-reply-files").evaluate("input => input.files.length") == 0
    expect(page.locator("#f-text")).to_have_value(TEXT)
    context.close()


def test_a_form_sent_after_the_cookies_were_deleted_shows_the_text_back(
    browser: Browser, live_server
):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    to_details(page, live_server)
    page.locator("#f-description").fill(TEXT)
    context.clear_cookies()
    page.get_by_role("button", name="Weiter").last.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Diese Seite ist abgelaufen.")
    expect(page.get_by_role("textbox")).to_have_value(TEXT)
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    page.get_by_role("link", name="Zurück zum Formular").click()
    expect(page).to_have_url(re.compile(r"/case/new/1$"))  # the draft went with the cookies
    context.close()


def test_a_refused_callback_puts_the_focus_on_what_to_correct(browser: Browser, live_server):
    """The form posts to #callback; landing there took the focus from the error summary."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    open_by_lookup(page, live_server, file_by_api(live_server), API_CASE["email"])
    page.locator("#f-note").fill("Bitte mittags.")
    page.get_by_role("button", name="Rückruf buchen").click()  # no time chosen
    expect(page.locator("#form-errors")).to_be_focused()
    expect(page.locator("#f-note")).to_have_value("Bitte mittags.")
    page.locator("#form-errors a").click()
    expect(page.locator("#f-slot")).to_be_focused()
    context.close()
