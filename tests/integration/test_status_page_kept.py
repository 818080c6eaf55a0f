"""The status page is served again from what the process rendered, but never out of date:
a reload right after any change shows it (portal/case_pages.py)."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap

from support.backoffice import bearer
from support.cases import file_case, personal_link
from support.client import csrf_token


async def opened_case(client) -> str:
    tracking_id = await file_case(client)
    assert (await client.get(await personal_link(client, tracking_id))).status_code == 200
    return tracking_id


def kept(client, tracking_id: str) -> bool:
    return client.app.state.case_pages.get(tracking_id, "de", 0.0) is not None


async def test_a_reload_is_served_from_the_kept_page_with_this_browsers_token(client):
    tracking_id = await opened_case(client)
    first = await client.get(f"/track/{tracking_id}")
    assert kept(client, tracking_id)
    again = await client.get(f"/track/{tracking_id}")
    assert again.text == first.text and again.headers["cache-control"] == "no-store"
    assert csrf_token(again.text) == client.cookies.get("portal_csrf")
    live = await client.get(f"/track/{tracking_id}?after=1")  # the live refresh: rendered anew
    assert live.status_code == 200 and "Deine Anfrage" in live.text


async def test_a_reload_right_after_each_back_office_change_shows_it(client):
    tracking_id = await opened_case(client)
    auth = await bearer(client, "cases:write")
    events = f"/api/v1/backoffice/cases/{tracking_id}/events"
    for round_ in range(5):
        for _ in range(50):  # the database's change notice may drop the page once more
            await client.get(f"/track/{tracking_id}")
            if kept(client, tracking_id):
                break
            await asyncio.sleep(0.1)
        assert kept(client, tracking_id)
        text = f"Antwort Nummer {round_} vom Service"
        response = await client.post(events, json={"kind": "reply", "text": text}, headers=auth)
        assert response.status_code in (200, 201), response.text
        assert text in (await client.get(f"/track/{tracking_id}")).text
    response = await client.post(
        events, json={"kind": "set_status", "status": "waiting_for_customer"}, headers=auth
    )
    assert response.status_code in (200, 201), response.text
    assert "Wartet auf dich" in (await client.get(f"/track/{tracking_id}")).text


async def test_the_customers_own_reply_shows_after_the_redirect(client):
    tracking_id = await opened_case(client)
    page = await client.get(f"/track/{tracking_id}")
    response = await client.post(
        f"/track/{tracking_id}/reply",
        data={"text": "Die Seriennummer ist KV-42.", "_csrf_token": csrf_token(page.text)},
    )
    assert response.status_code == 200 and "Die Seriennummer ist KV-42." in response.text


async def test_a_change_written_by_another_process_shows_within_the_watchers_poll(client, env):
    tracking_id = await opened_case(client)
    await client.get(f"/track/{tracking_id}")
    assert kept(client, tracking_id)
    script = textwrap.dedent(f"""
        import asyncio
        from portal.db import close_database, open_database
        from portal.settings import Settings
        from tracking.ids import parse_tracking_id
        from tracking.models import Case, CaseEvent

        async def main():
            await open_database(Settings.from_env())
            case = await Case.get(tracking_id=parse_tracking_id("{tracking_id}"))
            await CaseEvent.create(case=case, kind="reply", data={{"text": "Von nebenan"}})
            await close_database()

        asyncio.run(main())
    """)
    subprocess.run([sys.executable, "-c", script], env=env, check=True, timeout=60)
    for _ in range(50):  # the SQLite watcher looks every 0.25 s; PostgreSQL NOTIFYs at once
        if "Von nebenan" in (await client.get(f"/track/{tracking_id}")).text:
            break
        await asyncio.sleep(0.1)
    else:
        raise AssertionError("the kept page never showed the other process's reply")


async def test_an_unchanged_session_is_neither_stored_nor_sent_again(client):
    tracking_id = await opened_case(client)
    await client.get(f"/track/{tracking_id}")
    again = await client.get(f"/track/{tracking_id}")
    assert "portal_case=" not in again.headers.get("set-cookie", "")


async def test_the_case_form_and_the_status_page_share_one_session_lifetime(client):
    from support.case_form import fill, submit, tracking_id

    review, token = await fill(client)
    filed = await submit(client, review.text, token)
    cookie = filed.history[0].headers["set-cookie"]
    assert "portal_case=" in cookie and "Max-Age=2592000" in cookie  # 30 days, as shipped
    again = await client.get(f"/track/{tracking_id(filed.text)}")
    assert "portal_case=" not in again.headers.get("set-cookie", "")  # nothing to renew
