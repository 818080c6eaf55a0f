"""A full disk or an unwritable data directory: a clear answer, never a half-written case."""

from __future__ import annotations

import pytest
from tortoise import connections

from support import case_form
from support.cases import API_CASE
from support.client import on_app
from support.environment import PG_URL
from tracking.models import Attachment, Case, OutgoingMail


async def test_unwritable_attachment_directory_keeps_the_form_going(tmp_path, env) -> None:
    from litestar.testing import AsyncTestClient

    from portal.app import create_app
    from portal.settings import Settings

    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the attachment directory should be")
    settings = Settings.from_env({**env, "PORTAL_ATTACHMENT_DIR": str(blocker)})
    async with AsyncTestClient(create_app(settings), base_url="http://testserver.local") as client:
        _, token = await case_form.start(client)
        await case_form.post_step(client, 1, token, case_form.STEP1)
        page = await case_form.post_step(
            client, 2, token, case_form.STEP2, files=[("Foto.png", case_form.PNG)], action="upload"
        )
        assert page.url.path == "/case/new/2"
        assert (
            "Foto.png konnte gerade nicht gespeichert werden"
            in case_form.field_errors(page.text)["files"]
        )
        assert "Brüheinheit" in page.text  # what the customer typed is still there
        review, token = await case_form.fill(client)
        done = await case_form.submit(client, review.text, token)
        assert done.status_code == 200
        tid = case_form.tracking_id(done.text)
        assert await on_app(client, lambda: Attachment.filter(case__tracking_id=tid).count()) == 0


@pytest.mark.skipif(bool(PG_URL), reason="SQLite's page limit stands in for a full disk")
async def test_full_disk_gives_a_clear_answer_and_stores_nothing(client) -> None:
    async def disk_full(full: bool) -> None:
        db = connections.get("default")
        pages = (await db.execute_query_dict("PRAGMA page_count"))[0]["page_count"]
        await db.execute_script(f"PRAGMA max_page_count = {pages if full else 1073741823}")

    before = await on_app(client, lambda: Case.all().count())
    await on_app(client, lambda: disk_full(True))
    body = {**API_CASE, "description": "x" * 5000}
    for n in range(3):  # enough new pages to pass the limit
        api = await client.post(
            "/api/v1/cases", json=body, headers={"idempotency-key": f"full-{n}"}
        )
        if api.status_code != 201:
            break
    assert api.status_code == 503, api.text
    assert api.headers["content-type"].startswith("application/problem+json")
    assert api.headers["retry-after"] == "30"
    review, token = await case_form.fill(
        client, step2={**case_form.STEP2, "description": "Die Maschine " * 300}
    )
    page = await case_form.submit(client, review.text, token)
    assert page.status_code == 503 and "Es wurde nichts gespeichert" in page.text
    assert "Traceback" not in page.text

    await on_app(client, lambda: disk_full(False))
    stored = await on_app(client, lambda: Case.all().count())
    mails = await on_app(client, lambda: OutgoingMail.all().count())
    assert mails == stored and stored <= before + 3  # every stored case is whole: it has its mail
    again = await case_form.submit(client, review.text, token)  # the customer tries again: it works
    assert again.status_code == 200 and case_form.tracking_id(again.text)
