"""Changing the FAQ search index: upserts and deletes are visible at once, a rebuild replaces
everything and persists, and searches run safely while the index is written."""

from __future__ import annotations

import threading

from faq.search import FaqSearch
from support.faq import DOCS, doc, ids


def test_upsert_and_delete_are_visible_immediately(tmp_path):
    e = FaqSearch(tmp_path)
    e.rebuild(DOCS)
    assert e.search("Gutscheincode einlösen", "de").hits == []
    e.upsert(
        doc(
            "gutschein",
            "Wie löse ich einen Gutscheincode ein?",
            "Gib den Gutscheincode an der Kasse ein.",
        )
    )
    assert ids(e.search("Gutscheincode einlösen", "de"))[:1] == ["gutschein"]
    # replace: the old title words no longer find it
    e.upsert(
        doc("gutschein", "Kaffeemaschine entkalken", "Entkalke die Kaffeemaschine jeden Monat.")
    )
    assert "gutschein" not in ids(e.search("Gutscheincode einlösen", "de"))
    assert ids(e.search("Kaffeemaschine entkalken", "de"))[:1] == ["gutschein"]
    e.delete("gutschein", "de")
    assert "gutschein" not in ids(e.search("Kaffeemaschine entkalken", "de"))
    # same id in the other language is a separate article
    e.delete("returns", "de")
    assert ids(e.search("return label", "en"))[:1] == ["returns"]
    e.close()


def test_typo_of_word_added_by_upsert(tmp_path):
    e = FaqSearch(tmp_path)
    e.rebuild(DOCS)
    e.search("Rücksedung", "de")  # loads the fuzzy vocabulary
    e.upsert(
        doc("entkalken", "Kaffeevollautomat entkalken", "So entkalkst du den Kaffeevollautomaten.")
    )
    assert ids(e.search("Kaffeevollautomt entkalken", "de"))[:1] == ["entkalken"]
    e.close()


def test_rebuild_replaces_everything_and_index_persists(tmp_path):
    e = FaqSearch(tmp_path)
    e.rebuild(DOCS)
    e.rebuild([DOCS[0]])
    assert ids(e.search("Zahlungsarten", "de")) == []
    e.close()
    e2 = FaqSearch(tmp_path)
    assert ids(e2.search("Rücksendung", "de"))[:1] == ["ruecksendung"]
    e2.close()


def test_concurrent_searches_and_writes(tmp_path):
    e = FaqSearch(tmp_path)
    e.rebuild(DOCS)
    errors: list[BaseException] = []

    def reader() -> None:
        try:
            for _ in range(30):
                assert ids(e.search("Rücksendung", "de"))[:1] == ["ruecksendung"]
                e.search("delivery time", "en")
        except BaseException as exc:
            errors.append(exc)

    def writer() -> None:
        try:
            for i in range(5):
                e.upsert(doc(f"extra-{i}", f"Zusatzartikel Nummer {i}", "Etwas ganz anderes."))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=reader) for _ in range(3)] + [
        threading.Thread(target=writer)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert ids(e.search("Zusatzartikel Nummer", "de"))
    e.close()


def test_empty_index(tmp_path):
    e = FaqSearch(tmp_path)
    assert e.search("Rücksedung kaputt", "de").hits == []
    assert e.related("ruecksendung", "de") == []
    e.upsert(doc("lieferzeit", "Wie lange dauert die Lieferung?", "Meist zwei Werktage."))
    res = e.search("Lieferunng", "de")
    assert ids(res) == ["lieferzeit"] and res.did_you_mean == "Lieferung"
    e.close()
