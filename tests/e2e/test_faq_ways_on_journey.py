"""In Chromium: a German query with the English interface, the language switch of an
article, a "not helpful" vote that shows itself and leads to the case form, and Escape in
the search box."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from support.browser import assert_accessible, faq_search_box

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_german_query_english_interface_vote_and_request(
    browser: Browser, live_server: str, viewport: dict
):
    context = browser.new_context(locale="en-GB", viewport=viewport)
    page = context.new_page()
    page.goto(live_server + "/faq")
    page.get_by_role("combobox", name="Search the FAQ").fill("Gerät defekt")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("heading", name="Answers in German")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Mein Gerät ist defekt – was soll ich tun?").click()
    expect(page).to_have_url(re.compile(r"/faq/de/geraet-defekt\?s=[\w-]+$"))
    expect(page.get_by_role("link", name="Read in English")).to_have_attribute("lang", "en")

    page.get_by_role("button", name="English").click()  # the header's language switch
    expect(page).to_have_url(re.compile(r"/faq/en/geraet-defekt$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Auf Deutsch lesen")).to_be_visible()

    page.get_by_label("Comment (optional)").fill("My TV shows stripes")
    page.get_by_role("button", name="No, not helpful").click()
    expect(page.locator("#vote-state")).to_have_text(
        "Thank you for your feedback! You said: not helpful."
    )
    expect(page.locator("#vote-state")).to_be_focused()
    expect(page).to_have_url(re.compile(r"/faq/en/geraet-defekt$"))  # no page load
    expect(page.get_by_role("button", name="No, not helpful")).to_have_count(0)
    expect(page.get_by_role("heading", name="Still need help?")).to_be_hidden()
    assert_accessible(page)
    page.get_by_role("link", name="Open a request", exact=True).click()
    expect(page).to_have_url(re.compile(r"/case/new\?q="))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    context.close()


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_without_javascript_the_vote_is_shown_after_the_redirect(page: Page, live_server: str):
    page.goto(live_server + "/faq/search?q=R%C3%BCcksendeetikett+verloren")
    expect(page.get_by_role("heading", name="Noch Fragen offen?")).to_be_visible()
    page.locator("ol.results a").first.click()
    page.get_by_role("button", name="Nein, nicht hilfreich").click()
    expect(page.get_by_role("status")).to_have_text(
        "Danke für deine Rückmeldung! Deine Antwort: nicht hilfreich."
    )
    expect(page.get_by_role("link", name="Anfrage stellen", exact=True)).to_have_attribute(
        "href", re.compile(r"^/case/new\?q=.+&s=[\w-]+$")
    )


def test_escape_closes_the_suggestions_and_keeps_the_query(page: Page, live_server: str):
    box = faq_search_box(page, live_server)
    box.press_sequentially("paket kaputt", delay=20)
    expect(page.get_by_role("listbox")).to_be_visible()
    box.press("Escape")
    expect(page.get_by_role("listbox")).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_value("paket kaputt")
    box.press("Escape")  # the second press is the browser's own: it clears the field
    expect(box).to_have_value("")
