"""In Chromium: a pasted text longer than a field's limit is kept whole and counted, then
refused with a message and shown back; a refused reply survives a reload without the browser
asking to send the form again; the browser's Back after a sent reply cannot send it twice."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from support.browser import open_by_lookup, to_details
from support.cases import API_CASE
from support.served import file_by_api
from tracking.customer import MAX_TEXT
from tracking.intake import MAX_LENGTH

pytestmark = pytest.mark.e2e
PHONE = {"locale": "de-DE", "viewport": {"width": 390, "height": 844}}
DESKTOP = {"locale": "en-GB", "viewport": {"width": 1280, "height": 900}}
SENTENCE = "The machine shows error E4 after descaling although the tank is full. "


def long_text(limit: int, over: int) -> str:
    return (SENTENCE * ((limit + over) // len(SENTENCE) + 1))[: limit + over - 1] + "!"


def test_a_pasted_description_over_the_limit_is_kept_counted_and_refused(
    browser: Browser, live_server
):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    to_details(page, live_server)
    text = long_text(MAX_LENGTH["description"], 300)
    page.locator("#f-description").focus()
    page.keyboard.insert_text(text)  # as a paste arrives
    expect(page.locator("#f-description")).to_have_value(text)
    limit = MAX_LENGTH["description"]
    expect(page.locator("#f-description-count")).to_have_text(
        f"{len(text)} von {limit} Zeichen: Bitte um 300 kürzen."
    )
    page.get_by_role("button", name="Weiter").last.click()
    expect(page).to_have_url(re.compile(r"/case/new/2#form-errors$"))
    expect(page.locator("#f-description-error")).to_contain_text(
        f"Dieser Text hat {len(text)} Zeichen, {limit} passen hinein."
    )
    expect(page.locator("#f-description")).to_have_value(text)
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    context.close()


def test_a_refused_reply_survives_a_reload_without_a_resend(browser: Browser, live_server):
    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    open_by_lookup(page, live_server, file_by_api(live_server), API_CASE["email"])
    text = long_text(MAX_TEXT, 12)
    page.locator("#f-text").focus()
    page.keyboard.insert_text(text)
    expect(page.locator("#f-text-count")).to_have_text(
        f"{len(text)} of {MAX_TEXT} characters: please shorten by 12."
    )
    page.get_by_role("button", name="Send to our team").click()
    expect(page.locator("#reply-errors")).to_contain_text(f"This text has {len(text)} characters")
    assert not page.url.endswith("/reply")  # the refusal is a page of its own, not a POST
    page.reload()  # a POST answer would make Chromium ask to send it again
    expect(page.locator("#f-text")).to_have_value(text)
    context.close()


def test_back_after_a_sent_reply_cannot_send_it_twice(browser: Browser, live_server):
    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    open_by_lookup(page, live_server, file_by_api(live_server), API_CASE["email"])
    reply = "The serial number is KV2000-88341."
    page.locator("#f-text").fill(reply)
    page.get_by_role("button", name="Send to our team").click()
    expect(page.locator("#timeline")).to_contain_text(reply)
    page.go_back()  # the browser would put the sent text back: portal.js takes it out
    expect(page.locator("#timeline")).to_contain_text(reply)
    expect(page.locator("#f-text")).to_have_value("")
    page.locator("#f-text").fill(reply)  # a page without JavaScript: the same text again
    page.get_by_role("button", name="Send to our team").click()
    expect(page.locator("#reply .notice")).to_have_text(
        "You had already sent this message; it was not sent a second time."
    )
    expect(page.locator("#timeline").get_by_text(reply)).to_have_count(1)
    context.close()
