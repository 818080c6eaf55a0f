"""Parsing article files: valid ones load, broken ones are named with a reason."""

from pathlib import Path

from faq.importer import parse_directory, parse_text
from portal.settings import DEMO_FAQ_DIR

GOOD = """---
id: ruecksendung-kostenlos
lang: de
title: Ist die Rücksendung kostenlos?
category: Rückgabe & Umtausch
tags: [retoure, rücksendung, kosten]
---
Ja, innerhalb von **30 Tagen**.
"""


def write(directory: Path, name: str, text: str) -> None:
    (directory / name).write_text(text, encoding="utf-8")


def test_parses_front_matter_and_body():
    doc = parse_text(GOOD)
    assert (doc.id, doc.lang, doc.title) == (
        "ruecksendung-kostenlos",
        "de",
        "Ist die Rücksendung kostenlos?",
    )
    assert doc.tags == ("retoure", "rücksendung", "kosten")
    assert doc.body == "Ja, innerhalb von **30 Tagen**.\n"


def test_broken_files_are_reported_and_skipped(tmp_path):
    write(tmp_path, "ruecksendung-kostenlos.de.md", GOOD)
    write(tmp_path, "bad-yaml.de.md", "---\nid: [unclosed\n---\ntext\n")
    write(
        tmp_path,
        "no-title.de.md",
        GOOD.replace("title: Ist die Rücksendung kostenlos?\n", "").replace(
            "ruecksendung-kostenlos", "no-title"
        ),
    )
    write(
        tmp_path,
        "lang.fr.md",
        GOOD.replace("lang: de", "lang: fr").replace("ruecksendung-kostenlos", "lang"),
    )
    write(tmp_path, "copy.de.md", GOOD)  # duplicate id, and the name does not match
    write(tmp_path, "no-front-matter.de.md", "Just text\n")
    parsed = parse_directory(tmp_path)
    assert [(d.id, d.lang) for d in parsed.docs] == [("ruecksendung-kostenlos", "de")]
    reasons = {path.name: reason for path, reason in parsed.errors}
    assert set(reasons) == {
        "bad-yaml.de.md",
        "no-title.de.md",
        "lang.fr.md",
        "copy.de.md",
        "no-front-matter.de.md",
    }
    assert "bad YAML" in reasons["bad-yaml.de.md"]
    assert "missing field(s): title" in reasons["no-title.de.md"]
    assert "unknown lang 'fr'" in reasons["lang.fr.md"]
    assert "file name must be ruecksendung-kostenlos.de.md" in reasons["copy.de.md"]
    assert "front matter" in reasons["no-front-matter.de.md"]


def test_shipped_demo_faq_is_complete_and_valid():
    parsed = parse_directory(DEMO_FAQ_DIR)
    assert parsed.errors == []
    ids = {doc.id for doc in parsed.docs}
    assert len(ids) >= 40
    assert {(i, lang) for i in ids for lang in ("de", "en")} == {
        (d.id, d.lang) for d in parsed.docs
    }
