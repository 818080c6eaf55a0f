"""Every kind of customer mail, sent through a real SMTP server and read as a mail client does.

Each one must be a mail a real server accepts (valid sender, Date, unique Message-ID), and
each one's personal link must open the case on another device (a client without a session).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from email.utils import parseaddr, parsedate_to_datetime
from pathlib import Path

import icalendar
import pytest
from email_validator import validate_email
from litestar.testing import AsyncTestClient

import portal
from portal.app import create_app
from portal.settings import Settings
from support.callbacks import EVERY_DAY
from support.cases import API_CASE
from support.client import on_app
from tracking.backoffice.cases import AddReply, BackofficeCases, Resolve, SetStatus
from tracking.models import Case, OutgoingMail

KINDS = sorted(
    path.name
    for path in (Path(portal.__file__).parent / "templates" / "email").iterdir()
    if path.is_dir()
)
PERSONAL = re.compile(r"http://testserver\.local(/track/[\w-]+\?key=[\w-]+)")


def by_row(rows, messages) -> list:
    """(row, message) pairs: background sending may deliver in any order, subjects differ."""
    subjects = {row.subject: row for row in rows}
    assert len(subjects) == len(rows) == len(messages)
    # a subject longer than a header line is folded after "Subject:"; unfolded, the space
    # that starts the next line is not part of it
    pairs = [(subjects[str(mail["Subject"]).strip()], mail) for mail in messages]
    return sorted(pairs, key=lambda pair: pair[0].id)


async def send_every_kind(client, services) -> str:
    """Drive each use case that mails the customer; returns the tracking ID."""
    response = await client.post(
        "/api/v1/cases", json={**API_CASE, "channel": "phone", "phone": "0171 2345678"}
    )
    assert response.status_code == 201, response.text
    tid = response.json()["tracking_id"]
    backoffice, callbacks = (
        BackofficeCases(services.tracking, services.callbacks),
        services.callbacks,
    )
    case = await on_app(client, lambda: Case.get(tracking_id=tid))
    free = [start for day in await on_app(client, callbacks.free_slots) for start, _ in day.slots]
    first, later = free[-2], free[-1]

    async def run() -> None:
        for event in (
            AddReply(text="Welche Seriennummer hat das Gerät? <b>fett</b>"),
            SetStatus(status="waiting_for_customer"),
            Resolve(text="Ersatzteil ist eingebaut."),
        ):
            await backoffice.apply_event(tid, event, client_id="test")
        fresh = await Case.get(tracking_id=tid)
        await services.customer.reopen(fresh, "Es klemmt wieder.")
        await services.customer.send_links(case.email)
        booked = await callbacks.request(fresh, slot=first, phone="0171 2345678", language="de")
        await callbacks.move(fresh, booked.id, later)
        await callbacks.send_reminders(later - timedelta(minutes=60))
        await callbacks.cancel(fresh, booked.id, now=later - timedelta(minutes=90))
        other = await callbacks.request(fresh, slot=first, phone="0171 2345678", language="en")
        await callbacks.report(other.id, "missed", offer_new_slots=True)

    await on_app(client, run)
    return tid


@pytest.fixture
async def every_mail(env, smtp) -> AsyncIterator[tuple[AsyncTestClient, str, list]]:
    """Every kind of mail queued and sent through the SMTP server: the client (its app still
    running), the case's tracking ID, and (row, message) pairs."""
    port, inbox = smtp
    settings = Settings.from_env(
        {
            **env,
            "PORTAL_SMTP_HOST": "127.0.0.1",
            "PORTAL_SMTP_PORT": str(port),
            "PORTAL_CALLBACK_FILE": str(EVERY_DAY),
        }
    )
    app = create_app(settings)
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as client:
        services = app.dependencies["services"].dependency()
        tid = await send_every_kind(client, services)
        await on_app(client, services.tracking.mailer.send_due, 50)
        rows = await on_app(client, lambda: OutgoingMail.all().order_by("id"))
        messages = await asyncio.to_thread(inbox.wait, len(rows))
        yield client, tid, by_row(rows, messages)


async def test_every_mail_is_valid_and_its_personal_link_opens_the_case(every_mail) -> None:
    client, tid, mails = every_mail
    assert sorted({row.kind for row, _ in mails}) == KINDS, "a kind of mail was not exercised"
    ids = set()
    for row, mail in mails:
        name, address = parseaddr(mail["From"])
        assert name == "Lindenhof Living", (row.kind, mail["From"])
        validate_email(address, check_deliverability=False, test_environment=True)
        sent = parsedate_to_datetime(mail["Date"])
        assert abs(sent - datetime.now(UTC)) < timedelta(minutes=5), row.kind
        assert re.fullmatch(r"<[^<>@\s]+@lindenhof-living\.example>", mail["Message-ID"])
        ids.add(mail["Message-ID"])
        text = mail.get_body(("plain",)).get_content()
        html = mail.get_body(("html",)).get_content()
        assert tid in mail["Subject"] + text, row.kind
        assert "<b>fett</b>" not in html, "customer and agent text is escaped in HTML"
        if row.kind == "callback_missed":  # booked in English: an English date
            assert re.search(r"on \w+day, \d+ [A-Z][a-z]+ 20\d\d, \d\d:\d\d at ", text), text
        if row.kind == "callback_moved":  # booked in German: a German date
            assert re.search(r"Wann: \w+, \d+\. [A-Z][a-zä]+ 20\d\d, \d\d:\d\d Uhr\s", text), text
        if row.kind == "callback_missed":  # its link opens the booking form instead
            assert f"/track/{tid}/callbacks/rebook?" in text
            continue
        [link] = set(PERSONAL.findall(text)) or [None]
        assert link, (row.kind, text)
        assert link.replace("&", "&amp;") in html or link in html, row.kind
        client.cookies.clear()  # another device: no session
        page = await client.get(link)
        assert page.status_code == 200, row.kind
        assert 'name="email"' not in page.text, (row.kind, "landed on the lookup form")
        assert tid in page.text
    assert len(ids) == len(mails), "Message-IDs repeat"


async def test_callback_mails_carry_the_calendar_file(every_mail) -> None:
    _, _, mails = every_mail
    events = {}
    for row, mail in mails:
        files = [part for part in mail.iter_attachments()]
        if row.kind not in ("callback_booked", "callback_moved", "callback_cancelled"):
            assert not files, row.kind
            continue
        [ics] = files
        assert ics.get_content_type() == "text/calendar"
        assert ics.get_content_charset() == "utf-8", "the .ics names its charset"
        assert "\ufffd" not in ics.get_content(), "umlauts of the summary survive"
        [event] = icalendar.Calendar.from_ical(ics.get_content()).walk("VEVENT")
        events.setdefault(row.kind, event)  # the first callback: booked, moved, cancelled
        if row.kind != "callback_cancelled":
            text = mail.get_body(("plain",)).get_content()
            assert "+49 171 2345678" in text, "the phone number is shown grouped"
    assert len({str(e["uid"]) for e in events.values()}) == 1, "one calendar entry, updated"
    assert events["callback_moved"]["dtstart"].dt > events["callback_booked"]["dtstart"].dt
    assert str(events["callback_cancelled"]["status"]) == "CANCELLED"
    for field in ("summary", "description"):  # a calendar that keeps the entry shows it
        booked, cancelled = (
            str(events[k][field]) for k in ("callback_booked", "callback_cancelled")
        )
        assert cancelled != booked, f"the cancelled entry's {field} still promises the call"
    sequence = [int(events[kind]["sequence"]) for kind in ("callback_booked", "callback_moved")]
    assert sequence == sorted(sequence)
