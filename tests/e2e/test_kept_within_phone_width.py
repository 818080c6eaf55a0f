"""What a customer pasted (a long link, a long address) wraps on a phone instead of widening
the page, which made Chromium zoom the whole status page out until it was unreadable."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from support.browser import open_by_lookup
from support.cases import API_CASE
from support.served import file_by_api

pytestmark = pytest.mark.e2e
LINK = "https://example.com/support/" + "a" * 150


def test_long_words_in_the_request_and_a_reply_stay_within_a_phone(browser: Browser, live_server):
    context = browser.new_context(locale="de-DE", viewport={"width": 390, "height": 844})
    page = context.new_page()
    case = {**API_CASE, "description": f"Siehe das Video unter {LINK} bitte."}
    open_by_lookup(page, live_server, file_by_api(live_server, case), API_CASE["email"])
    page.locator("#f-text").fill(f"Noch ein Link: {LINK}")
    page.get_by_role("button", name="An unser Team senden").click()
    expect(page.locator("#timeline")).to_contain_text("Noch ein Link")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
