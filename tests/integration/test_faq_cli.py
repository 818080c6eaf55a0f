"""`portal faq import` and `reindex` as an operator runs them."""

import os
import shutil
import subprocess
from pathlib import Path

from portal.settings import DEMO_FAQ_DIR
from support.cli import run_portal


def portal(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return run_portal({**os.environ, **env, "PORTAL_DEMO_CONTENT": "false"}, *args, timeout=120)


def test_import_is_idempotent(env):
    first = portal(env, "faq", "import", str(DEMO_FAQ_DIR))
    assert first.returncode == 0, first.stderr
    count = len(list(DEMO_FAQ_DIR.glob("*.md")))
    assert f"{count} created, 0 updated, 0 unchanged" in first.stdout
    second = portal(env, "faq", "import", str(DEMO_FAQ_DIR))
    assert f"0 created, 0 updated, {count} unchanged, 0 removed" in second.stdout


def test_import_updates_prunes_and_reports_broken_files(env, tmp_path: Path):
    content = tmp_path / "content"
    content.mkdir()
    for name in ("versandkosten.de.md", "versandkosten.en.md", "lieferzeit.de.md"):
        shutil.copy(DEMO_FAQ_DIR / name, content)
    assert portal(env, "faq", "import", str(content)).returncode == 0

    (content / "lieferzeit.de.md").unlink()
    text = (content / "versandkosten.de.md").read_text().replace("title: ", "title: Neu – ", 1)
    (content / "versandkosten.de.md").write_text(text)
    (content / "kaputt.de.md").write_text("---\nid: kaputt\nlang: de\n---\n")
    (content / "versandkosten.en.md").write_text("---\nid: [oops\n---\n")  # broken, not pruned
    result = portal(env, "faq", "import", "--prune", str(content))
    assert result.returncode == 1
    assert "skipped kaputt.de.md: missing field(s): title, category" in result.stderr
    assert "skipped versandkosten.en.md: bad YAML" in result.stderr
    assert "0 created, 1 updated, 0 unchanged, 1 removed, 2 skipped" in result.stdout


def test_reindex(env):
    portal(env, "faq", "import", str(DEMO_FAQ_DIR))
    result = portal(env, "faq", "reindex")
    assert result.returncode == 0, result.stderr
    assert f"reindexed {len(list(DEMO_FAQ_DIR.glob('*.md')))} articles" in result.stdout


def test_import_of_a_missing_directory_is_a_clear_error(env, tmp_path):
    result = portal(env, "faq", "import", str(tmp_path / "nope"))
    assert result.returncode == 2
    assert "is not a directory" in result.stderr
