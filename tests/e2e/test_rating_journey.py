"""From a search without an answer to the rating, by keyboard alone, in Chromium; the
rating link from the resolution email works in another browser and a low score offers
the way back."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from support.browser import assert_accessible
from support.served import back_office_event

pytestmark = pytest.mark.e2e


def tab_to(page: Page, selector: str, limit: int = 60) -> None:
    """Press Tab until the focused element matches `selector`: proof it is reachable by keyboard."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            "s => document.activeElement && document.activeElement.matches(s)", selector
        ):
            return
    raise AssertionError(f"{selector} cannot be reached with the Tab key")


def activate(page: Page, selector: str) -> None:
    """Tab to a link or button and press Enter."""
    tab_to(page, selector)
    page.keyboard.press("Enter")


def type_into(page: Page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.type(text)


def next_by_keyboard(page: Page, step: int) -> None:
    """Step on in the case form with the "Next" button."""
    activate(page, "button[value=next]")
    expect(page).to_have_url(re.compile(rf"/case/new/{step}$"))


def choose_radio(page: Page, name: str, value: str) -> None:
    """Tab into the radio group, then arrow keys, as a keyboard user chooses."""
    tab_to(page, f"input[name='{name}']")
    page.keyboard.press("Space")
    for _ in range(12):
        if page.evaluate(
            f"document.querySelector(\"input[name='{name}'][value='{value}']\").checked"
        ):
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{name}={value} cannot be chosen by keyboard")


def choose_option(page: Page, selector: str, value: str) -> None:
    tab_to(page, selector)
    for _ in range(40):
        if page.evaluate(f'document.querySelector("{selector}").value') == value:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{value} cannot be chosen in {selector} by keyboard")


def test_keyboard_only_from_search_to_rating(page: Page, browser: Browser, mail_server, env):
    base, inbox = mail_server
    page.goto(base + "/")
    type_into(page, "#faq-q", "Finanzamt Öffnungszeiten")
    page.keyboard.press("Enter")
    # no hit, or only weak ones: either way the page says it has no answer
    expect(page.locator("#no-answer-title, #unsure-title")).to_contain_text(
        re.compile("Keine (sichere )?Antwort")
    )

    activate(page, "a[href^='/case/new']")
    expect(page.get_by_role("heading", level=1)).to_have_text("Anfrage stellen")
    choose_radio(page, "type", "question")
    choose_option(page, "#f-product", "coffee_machines")
    next_by_keyboard(page, 2)
    tab_to(page, "#f-description")
    page.keyboard.press("Control+A")
    page.keyboard.type("Wie entkalke ich den Kaffeevollautomaten richtig?")
    next_by_keyboard(page, 3)
    type_into(page, "#f-name", "Erika Mustermann")
    type_into(page, "#f-email", "erika@example.com")
    next_by_keyboard(page, 4)
    activate(page, "main button[data-once]")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Danke, deine Anfrage ist bei uns eingegangen"
    )
    tracking_id = page.locator(".tracking-id").inner_text()

    activate(page, f"a[href^='/track/{tracking_id}']")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Deine Anfrage {tracking_id}")
    back_office_event(env, base, tracking_id, {"kind": "resolve", "text": "Anleitung liegt bei."})
    rate_link = page.get_by_role("link", name="Unseren Service bewerten")
    expect(rate_link).to_be_visible(timeout=5000)  # arrives live, without a reload

    activate(page, "a[href^='/rate/']")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Wie waren wir")
    assert_accessible(page)
    choose_radio(page, "satisfaction", "4")
    choose_radio(page, "solved", "yes")
    choose_radio(page, "effort", "5")
    type_into(page, "#f-comment", "Alles gut erklärt.")
    activate(page, "main form button[type=submit]")
    expect(page.get_by_role("heading", level=1)).to_have_text("Danke für deine Bewertung")
    assert_accessible(page)
    page.goto(f"{base}/track/{tracking_id}")
    expect(page.locator("#rating")).to_contain_text("Deine Bewertung: 4 von 5.")
    expect(page.locator(".timeline")).to_contain_text("Du hast unseren Service bewertet")

    # the resolution email's link: another browser, a low score, and the way back
    mail = next(m for m in reversed(inbox.wait(count=2)) if "gelöst" in m["Subject"])
    link = re.search(r"https?://\S+/rate/\S+", mail.get_body(("plain",)).get_content()).group(0)
    other = browser.new_context(locale="de-DE")
    try:
        rating = other.new_page()
        rating.goto(link)
        expect(rating.get_by_text("Du kannst deine Bewertung bis")).to_be_visible()
        rating.get_by_label("1 – sehr unzufrieden").check()
        rating.get_by_label("Nein").check()
        rating.get_by_label("2 – schwer").check()
        rating.get_by_role("button", name="Bewertung ändern").click()
        expect(rating.get_by_role("link", name=re.compile("Anfrage wieder öffnen"))).to_be_visible()
    finally:
        other.close()
    expect(page.locator("#rating")).to_contain_text("Deine Bewertung: 1 von 5.", timeout=5000)
