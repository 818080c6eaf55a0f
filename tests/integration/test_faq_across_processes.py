"""Two portal processes on one database: an article imported by the CLI is found by both."""

import json
import os
import subprocess
import sys
import time
import urllib.parse
import urllib.request

from support.served import portal_process

ARTICLE = """---
id: regenschirm-verleih
lang: de
title: Kann ich bei Regen einen Schirm im Laden leihen?
category: Service & Kontakt
tags: [schirm, regen]
---
Ja, in jeder Filiale liegen Leihschirme an der Kasse bereit.
"""


def found(base: str, query: str) -> list[str]:
    url = f"{base}/api/v1/faq/search?" + urllib.parse.urlencode({"q": query, "lang": "de"})
    with urllib.request.urlopen(url, timeout=5) as response:
        return [hit["id"] for hit in json.load(response)["results"]]


def test_edit_reaches_every_process_within_seconds(env, tmp_path):
    with portal_process(env) as first, portal_process(env) as second:
        assert "regenschirm-verleih" not in found(first, "Leihschirm Regen")
        assert "regenschirm-verleih" not in found(second, "Leihschirm Regen")
        content = tmp_path / "new"
        content.mkdir()
        (content / "regenschirm-verleih.de.md").write_text(ARTICLE)
        subprocess.run(
            [sys.executable, "-m", "portal", "faq", "import", str(content)],
            env={**os.environ, **env},
            check=True,
            capture_output=True,
            timeout=60,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if all(
                "regenschirm-verleih" in found(base, "Leihschirm Regen") for base in (first, second)
            ):
                break
            time.sleep(0.25)
        else:
            raise AssertionError("the new article did not reach both processes within 10 s")


async def test_processes_starting_together_on_an_empty_database_load_the_faq_once(
    settings, tmp_path
):
    """The race of `portal serve --workers 2` on a new database, without the processes."""
    import asyncio

    from faq.importer import parse_directory
    from faq.search import FaqSearch
    from faq.service import FaqService
    from portal.db import close_database, open_database

    docs = parse_directory(settings.faq_content_dir).docs
    first, second = (FaqService(FaqSearch(tmp_path / name)) for name in ("a", "b"))
    await open_database(settings)
    try:
        reports = await asyncio.gather(first.load_if_empty(docs), second.load_if_empty(docs))
        assert await first.article_count() == len(docs)
        assert sorted(report.created for report in reports if report) in (
            [0, len(docs)],  # both saw it empty: the loser created nothing
            [len(docs)],  # the second came after the first had committed
        )
        for service in (first, second):
            await service.rebuild_index()
            assert (await service.search("Rücksendung kostenlos", "de", record=False)).total
    finally:
        for service in (first, second):
            service.search_index.close()
        await close_database()
