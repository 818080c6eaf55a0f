"""The signed-in report page, with figures, charts and a period error, is valid HTML."""

from __future__ import annotations

from support import report_data as data
from support.client import on_app
from support.html import assert_valid_html, needs_vnu
from support.reports import ADMIN_TOKEN, sign_in


@needs_vnu
async def test_report_pages_are_valid_html(client, tmp_path):
    await on_app(client, data.seed)
    pages = [(await client.get("/reports")).text]
    await sign_in(client, token=ADMIN_TOKEN)
    for params in (
        {"month": data.MONTH},
        {"month": data.MONTH, "group_by": "level"},
        {"month": "2026-08"},
        {"from": "2026-10-05", "to": "2026-10-01"},
    ):
        pages.append((await client.get("/reports", params=params)).text)
    assert_valid_html(pages, tmp_path)
