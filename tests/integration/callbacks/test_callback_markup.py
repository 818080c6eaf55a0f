"""The callback section, its error state, the move and cancel pages are valid HTML (Nu HTML checker)."""

from __future__ import annotations

from support.callbacks import book, booked, open_case
from support.client import shown_again
from support.html import assert_valid_html, needs_vnu


@needs_vnu
async def test_callback_pages_are_valid_html(client, tmp_path):
    tracking_id, html = await open_case(client)
    refused = await shown_again(client, await book(client, tracking_id, html, phone="12"))
    await book(client, tracking_id, html)
    page = await client.get(f"/track/{tracking_id}")
    [(callback_id, _)] = booked(page.text)
    move = await client.get(f"/track/{tracking_id}/callbacks/{callback_id}/move")
    cancel = await client.get(f"/track/{tracking_id}/callbacks/{callback_id}/cancel")
    assert_valid_html([html, refused.text, page.text, move.text, cancel.text], tmp_path)
