"""The customer adds information (with files) and reopens a resolved case; the back office
hears of both by webhook, the customer by email."""

from __future__ import annotations

from datetime import timedelta

from support.backoffice import back_office
from support.case_form import PNG
from support.cases import file_case
from support.client import csrf_token, on_app, shown_again
from support.webhooks import subscribe, webhooks
from tracking.models import Attachment, Case, CaseEvent, OutgoingMail


async def post_form(client, tid: str, action: str, fields: dict, files=()) -> object:
    page = await client.get(f"/track/{tid}")
    parts = [(k, (None, v)) for k, v in {**fields, "_csrf_token": csrf_token(page.text)}.items()]
    parts += [("files", (name, content, "application/octet-stream")) for name, content in files]
    return await client.post(f"/track/{tid}/{action}", files=parts, follow_redirects=False)


async def test_waiting_case_gets_information_and_goes_back_to_the_team(client, receiver) -> None:
    await on_app(client, lambda: subscribe(receiver, ["case.updated"]))
    tid = await file_case(client, form=True)
    await back_office(client, tid, {"kind": "reply", "text": "Welche Seriennummer hat das Gerät?"})
    await back_office(client, tid, {"kind": "set_status", "status": "waiting_for_customer"})
    page = await client.get(f"/track/{tid}")
    assert "Wir brauchen Informationen von dir" in page.text
    mail = await on_app(
        client, lambda: OutgoingMail.filter(case__tracking_id=tid, kind="waiting").first()
    )
    assert mail and "Statusseite" in mail.body and mail.recipient == "erika@example.com"

    empty = await shown_again(client, await post_form(client, tid, "reply", {"text": "  "}))
    assert "Bitte schreib etwas" in empty.text
    sent = await post_form(
        client, tid, "reply", {"text": "Seriennummer KV2000-88341"}, [("typenschild.png", PNG)]
    )
    assert sent.status_code == 303, (
        sent.status_code,
        sent.headers.get("location"),
        sent.text[:300],
    )
    case = await on_app(client, lambda: Case.get(tracking_id=tid))
    assert case.status == "in_progress"
    assert await on_app(client, lambda: Attachment.filter(case_id=case.id).count()) == 1
    page = await client.get(f"/track/{tid}")
    assert "Seriennummer KV2000-88341" in page.text and "typenschild.png" in page.text
    assert "Wir brauchen Informationen von dir" not in page.text
    # the timeline says why the status changed: the answer took the case back to the team
    assert "Deine Anfrage ist wieder bei unserem Team: In Bearbeitung." in page.text

    [hook] = await webhooks(receiver, 1)
    assert hook["type"] == "case.updated" and hook["data"]["status"] == "in_progress"
    assert hook["data"]["update"] == {
        "text": "Seriennummer KV2000-88341",
        "attachments": ["typenschild.png"],
    }
    assert hook["data"]["attachments"][0]["url"].startswith(
        "http://testserver.local/api/v1/backoffice/attachments/"
    )

    client.cookies.clear()  # another browser: it cannot post to the case
    assert (
        await client.post(f"/track/{tid}/reply", files=[("text", (None, "x"))])
    ).status_code in (403, 404)


async def test_reopen_within_the_window_and_not_after(client, receiver) -> None:
    await on_app(client, lambda: subscribe(receiver, ["case.reopened"]))
    tid = await file_case(client, form=True)
    await back_office(client, tid, {"kind": "resolve", "text": "Erledigt."})
    closed = await shown_again(
        client, await post_form(client, tid, "reply", {"text": "Noch eine Frage"})
    )
    assert "abgeschlossen" in closed.text
    page = await client.get(f"/track/{tid}")
    assert "Anfrage wieder öffnen" in page.text

    no_reason = await shown_again(client, await post_form(client, tid, "reopen", {"reason": ""}))
    assert "warum du die Anfrage wieder öffnest" in no_reason.text
    reopened = await post_form(client, tid, "reopen", {"reason": "Die Maschine klemmt wieder."})
    assert reopened.status_code == 303
    case = await on_app(client, lambda: Case.get(tracking_id=tid))
    assert case.status == "reopened"
    assert await on_app(
        client, lambda: OutgoingMail.filter(case_id=case.id, kind="reopened").exists()
    )
    [hook] = await webhooks(receiver, 1)
    assert (
        hook["type"] == "case.reopened"
        and hook["data"]["reopen"]["reason"] == "Die Maschine klemmt wieder."
    )
    assert "Die Maschine klemmt wieder." in (await client.get(f"/track/{tid}")).text

    # resolved again, but 15 days ago: too late (PORTAL_REOPEN_DAYS is 14)
    await back_office(client, tid, {"kind": "resolve"})
    resolved = await on_app(
        client, lambda: CaseEvent.filter(case_id=case.id, kind="resolved").order_by("-id").first()
    )
    await on_app(
        client,
        lambda: CaseEvent.filter(id=resolved.id).update(
            created_at=resolved.created_at - timedelta(days=15)
        ),
    )
    page = await client.get(f"/track/{tid}")
    assert "kann nicht mehr wieder geöffnet werden" in page.text
    late = await shown_again(
        client, await post_form(client, tid, "reopen", {"reason": "Noch immer kaputt"})
    )
    assert "kann nicht mehr wieder geöffnet werden" in late.text
    assert (await on_app(client, lambda: Case.get(tracking_id=tid))).status == "resolved"
