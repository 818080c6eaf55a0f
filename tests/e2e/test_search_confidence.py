"""Only a sure hit is presented as the answer; otherwise "maybe" and the way to the case form."""

import re

import pytest
from playwright.sync_api import Page, expect

from support.browser import assert_accessible, faq_search_box

pytestmark = pytest.mark.e2e


def labels(page: Page) -> list[str]:
    return page.locator("ol.results .confidence").all_inner_texts()


def test_the_exact_question_gets_the_answer(page: Page, live_server: str):
    page.goto(live_server + "/faq/search?q=Rücksendeetikett+verloren")
    first = page.locator("ol.results > li").first
    expect(first.locator(".confidence")).to_have_text("Antwort")
    expect(first.get_by_role("heading")).to_contain_text("Rücksendeetikett")
    expect(page.get_by_role("heading", name=re.compile("Keine sichere Antwort"))).to_have_count(0)


def test_a_match_on_one_weak_word_is_no_sure_answer(page: Page, live_server: str):
    # the only match is "Teststreifen" in the coffee machine article
    page.goto(live_server + "/faq/search?q=Mein+Fernseher+zeigt+Streifen+im+Bild")
    expect(
        page.get_by_role(
            "heading", name="Keine sichere Antwort auf „Mein Fernseher zeigt Streifen im Bild“"
        )
    ).to_be_visible()
    assert labels(page) and set(labels(page)) == {"Vielleicht"}
    assert_accessible(page)
    page.get_by_role("link", name="Anfrage stellen", exact=True).click()
    expect(page).to_have_url(re.compile(r"/case/new\?q=Mein%20Fernseher%20zeigt"))


@pytest.mark.browser_context_args(locale="en-GB")
def test_in_english_too(page: Page, live_server: str):
    page.goto(live_server + "/faq/search?q=Are+returns+free")
    expect(page.locator("ol.results > li").first.locator(".confidence")).to_have_text("Answer")
    page.goto(live_server + "/faq/search?q=TV+shows+stripes")
    expect(
        page.get_by_role("heading", name="No sure answer for “TV shows stripes”")
    ).to_be_visible()
    assert labels(page) and set(labels(page)) == {"Maybe"}
    expect(page.get_by_role("link", name="Open a request", exact=True)).to_have_attribute(
        "href", re.compile(r"^/case/new\?q=TV")
    )


def test_live_suggestions_say_maybe_and_lead_to_the_case_form(page: Page, live_server: str):
    box = faq_search_box(page, live_server)
    box.press_sequentially("Rücksendeetikett verloren", delay=10)
    expect(page.get_by_role("option").first).to_contain_text("Rücksendeetikett")
    expect(page.get_by_role("option").first.locator(".maybe")).to_have_count(0)
    expect(page.get_by_role("option", name=re.compile("Keine sichere Antwort"))).to_have_count(0)
    box.fill("")
    box.press_sequentially("Fernseher zeigt Streifen", delay=10)
    ask = page.get_by_role("option", name="Keine sichere Antwort: frag unser Team")
    expect(ask).to_be_visible()
    expect(page.get_by_role("option").first.locator(".maybe")).to_have_text("Vielleicht")
    box.press("ArrowUp")  # the last option
    expect(ask).to_have_attribute("aria-selected", "true")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/case/new\?q=Fernseher%20zeigt%20Streifen$"))
