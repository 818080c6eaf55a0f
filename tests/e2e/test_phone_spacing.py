"""On a 390 px phone the boxes of the customer's path stand apart, the tracking ID stays on
one line, and the review's "change" links do not run into the values they follow
("keine Details ändern" read as "change no details")."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from support.browser import next_step
from support.served import back_office_event

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}


def box(page: Page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


def lines(page: Page, selector: str) -> int:
    """How many lines the text of the element takes."""
    return page.locator(selector).evaluate(
        """el => { const r = document.createRange(); r.selectNodeContents(el);
                   return new Set([...r.getClientRects()].map(q => Math.round(q.top))).size; }"""
    )


def id_lines(heading: Locator) -> int:
    """How many lines the tracking ID within the heading takes, whatever elements hold it."""
    return heading.evaluate(
        r"""h => { const walker = document.createTreeWalker(h, NodeFilter.SHOW_TEXT);
                   const nodes = []; while (walker.nextNode()) nodes.push(walker.currentNode);
                   const text = nodes.map(n => n.data).join("");
                   const start = text.search(/\w{4}-\w{4}-\w{5}/), end = start + 15;
                   const at = i => { for (const n of nodes) { if (i <= n.data.length) return [n, i];
                                                           i -= n.data.length; } };
                   const r = document.createRange(); r.setStart(...at(start)); r.setEnd(...at(end));
                   return new Set([...r.getClientRects()].filter(q => q.width > 0)
                                  .map(q => Math.round(q.top))).size; }"""
    )


def test_case_form_review_and_confirmation(browser: Browser, live_server, env):
    context = browser.new_context(locale="de-DE", viewport=PHONE)
    page = context.new_page()
    page.goto(live_server + "/case/new")
    page.locator("input[name=type][value=technical_problem]").check()
    page.locator("#f-product").select_option("coffee_machines")
    next_step(page, 2)
    page.locator("#f-description").fill("Die Maschine zeigt dauernd Entkalken an.")
    next_step(page, 3)
    page.get_by_label("Dein Name").fill("Erika Mustermann")
    page.get_by_label("E-Mail-Adresse").fill("erika@example.org")
    next_step(page, 4)
    links = page.locator(".review dd > a").all()
    assert len(links) == 3
    for link in links:
        value = link.evaluate(
            "a => { const r = document.createRange(); r.setStart(a.parentNode, 0);"
            " r.setEndBefore(a); const q = [...r.getClientRects()].filter(q => q.width > 4);"
            " return Math.max(...q.map(q => q.bottom)); }"
        )
        assert link.bounding_box()["y"] >= value - 1, "a change link on its own line"
    review, submit = box(page, ".review"), box(page, ".submit-form")
    assert submit["y"] - (review["y"] + review["height"]) >= 8, "review and submit apart"
    page.get_by_role("button", name="Anfrage absenden").click()
    expect(page.locator(".tracking-id")).to_be_visible()
    assert lines(page, ".tracking-id") == 1, "the tracking ID is not broken at a hyphen"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    header, received = box(page, ".site-header"), box(page, ".received")
    assert received["y"] - (header["y"] + header["height"]) >= 16, "card below the header"
    footer = box(page, ".site-footer")
    assert footer["y"] - (received["y"] + received["height"]) >= 16, "card above the footer"
    page.get_by_role("link", name="Den Stand deiner Anfrage verfolgen").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(re.compile(r"^Deine Anfrage \w{4}-\w{4}-\w{5}$"))
    assert id_lines(heading) == 1, "the status page's heading keeps the ID whole"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    tracking_id = page.url.split("/track/")[1].split("?")[0].split("#")[0]
    back_office_event(env, live_server, tracking_id, {"kind": "resolve", "text": "Erledigt."})
    page.reload()
    page.get_by_role("link", name="Unseren Service bewerten").click()
    expect(heading).to_contain_text("Wie waren wir bei deiner Anfrage")
    assert id_lines(heading) == 1, "the rating page's heading keeps the ID whole"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    context.close()


def test_article_vote_box_and_no_answer_buttons(browser: Browser, live_server):
    context = browser.new_context(locale="de-DE", viewport=PHONE)
    page = context.new_page()
    page.goto(live_server + "/faq/de/passwort-vergessen")
    prose, feedback = box(page, ".prose"), box(page, "#feedback")
    assert feedback["y"] - (prose["y"] + prose["height"]) >= 16, "article and vote apart"
    page.goto(live_server + "/faq/search?q=Kann+ich+mit+Bitcoin+zahlen")
    first, second = page.locator(".no-answer .button").all()
    one, two = first.bounding_box(), second.bounding_box()
    if two["y"] > one["y"]:  # wrapped onto a second row
        assert two["y"] - (one["y"] + one["height"]) >= 8, "wrapped buttons do not touch"
    context.close()
