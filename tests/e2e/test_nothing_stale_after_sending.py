"""In Chromium: after a refused reply was shortened and sent, going back shows nothing of the
refused text, while a refused reply stays in its box until it is sent."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserType, expect

from support.browser import open_by_lookup
from support.cases import API_CASE
from support.chromium import launch_args
from support.served import file_by_api

pytestmark = pytest.mark.e2e
PHONE = {"locale": "de-DE", "viewport": {"width": 390, "height": 844}}
SHORT = "Das Gerät piept dreimal, dann geht es aus."


def test_back_after_a_sent_reply_brings_no_refused_text_back(
    browser_type: BrowserType, live_server
):
    # as a customer's Chromium: with the back/forward cache, which Playwright turns off
    browser = browser_type.launch(
        **launch_args(), ignore_default_args=["--disable-back-forward-cache"]
    )
    context = browser.new_context(**PHONE)
    page = context.new_page()
    open_by_lookup(page, live_server, file_by_api(live_server), API_CASE["email"])
    too_long = "Zu lang. " * 700  # 6300 characters, over the 5000 a reply takes
    page.locator("#f-text").fill(too_long)
    page.get_by_role("button", name="An unser Team senden").click()
    expect(page.locator("#reply-errors")).to_be_visible()
    assert page.locator("#f-text").input_value() == too_long  # kept whole until sent
    page.locator("#f-text").fill(SHORT)
    page.get_by_role("button", name="An unser Team senden").click()
    expect(page.locator("#timeline")).to_contain_text(SHORT)
    expect(page.locator("#f-text")).to_have_value("")
    page.go_back()
    expect(page.locator("#timeline")).to_contain_text(SHORT)
    assert page.locator("#f-text").input_value() == ""
    browser.close()


def test_text_typed_and_not_sent_comes_back_after_going_back(
    browser_type: BrowserType, live_server
):
    browser = browser_type.launch(**launch_args())
    page = browser.new_context(**PHONE).new_page()
    open_by_lookup(page, live_server, file_by_api(live_server), API_CASE["email"])
    page.locator("#f-text").fill("Zu lang. " * 700)
    page.get_by_role("button", name="An unser Team senden").click()
    expect(page.locator("#reply-errors")).to_be_visible()
    page.locator("#f-text").fill(SHORT)  # shortened, not sent yet
    page.goto(live_server + "/faq")
    page.go_back()
    expect(page.locator("#f-text")).to_have_value(SHORT)
    browser.close()
