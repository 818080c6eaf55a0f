"""A customer books, moves and cancels a callback in Chromium; the back office's "done" shows live."""

from __future__ import annotations

import json
import re
import urllib.request

import pytest
from playwright.sync_api import Page, expect

from support.browser import DESCALING_QUESTION, assert_accessible, file_case_in_browser
from support.callbacks import EVERY_DAY
from support.served import api_token

pytestmark = pytest.mark.e2e


@pytest.fixture
def env(env: dict[str, str]) -> dict[str, str]:
    """Open every day, so the journey does not depend on when it runs."""
    return {**env, "PORTAL_CALLBACK_FILE": str(EVERY_DAY)}


def book_first_free(page: Page, note: str) -> None:
    form = page.locator("form.callback-form")
    form.locator("details.slot-day summary").first.click()  # the days come collapsed
    form.locator("input[name=slot]").first.check()
    form.get_by_label("English").check()
    form.get_by_label("Notiz für unser Team").fill(note)
    form.get_by_role("button", name="Rückruf buchen").click()


def test_book_move_cancel_and_see_done_live(page: Page, mail_server, env):
    base, inbox = mail_server
    tracking_id = file_case_in_browser(
        page,
        base,
        inbox,
        *DESCALING_QUESTION,
        {"email": "erika@example.com", "channel": "phone", "phone": "030 1234567"},
    )
    page.get_by_role("link", name="Wähle eine Zeit für unseren Rückruf").click()
    expect(page.get_by_role("heading", name="Rückruf", exact=True)).to_be_visible()
    expect(page.get_by_label("Telefonnummer")).to_have_value("+49 30 1234567")

    book_first_free(page, "Bitte zur Entkalkung")
    item = page.locator(".callback-item").first
    expect(item).to_contain_text("Gebucht")
    expect(page.locator(".timeline")).to_contain_text("Rückruf gebucht")
    first_time = item.locator("strong").inner_text()
    assert_accessible(page)

    item.get_by_role("link", name="Andere Zeit wählen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Andere Zeit wählen")
    for day in page.locator("details.slot-day summary").all():
        day.click()
    page.locator("input[name=slot]").nth(3).check()
    page.get_by_role("button", name="Rückruf verschieben").click()
    expect(page.locator(".timeline")).to_contain_text("Rückruf verschoben")
    expect(page.locator(".callback-item strong")).not_to_have_text(first_time)

    page.locator(".callback-item").get_by_role("button", name="Rückruf absagen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rückruf absagen")
    expect(page.locator("main")).to_contain_text("wirklich absagen?")
    page.get_by_role("button", name="Ja, Rückruf absagen").click()
    expect(page.locator(".timeline")).to_contain_text("Rückruf abgesagt")
    expect(page.locator(".callback-item")).to_have_count(0)
    # each change was confirmed by mail, in the callback's language, with the calendar file
    subjects = [str(m["Subject"]) for m in inbox.wait(4)]
    for done in ("Callback booked", "Callback moved", "Callback cancelled"):
        [mail] = [m for m in inbox.messages if str(m["Subject"]).startswith(done)]
        [ics] = list(mail.iter_attachments())
        assert ics.get_content_type() == "text/calendar", subjects

    book_first_free(page, "Zweiter Versuch")
    expect(page.locator(".callback-item")).to_have_count(1)
    callback_id = page.locator(".callback-item").get_attribute("data-callback-id")
    page.evaluate("window.notReloaded = true")
    report(env, base, callback_id, {"kind": "done"})
    expect(page.locator(".timeline")).to_contain_text("Rückruf erledigt", timeout=5000)
    expect(page.locator(".callback-item")).to_have_attribute("data-status", "done")
    assert page.evaluate("window.notReloaded") is True
    assert tracking_id in page.url


def report(env: dict[str, str], base: str, callback_id: str, event: dict) -> None:
    """A real OAuth client, made with the CLI, reports the callback through the API."""
    token = api_token(env, base)
    request = urllib.request.Request(
        f"{base}/api/v1/backoffice/callbacks/{callback_id}/events",
        data=json.dumps(event).encode(),
        headers={"authorization": f"Bearer {token}", "content-type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
    assert re.fullmatch(r"\d+", callback_id)
