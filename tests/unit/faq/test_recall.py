"""Recall aids that use general language, not the FAQ's own words (faq/search/language.py)."""

from __future__ import annotations

import dataclasses

import pytest

from faq import text
from faq.documents import ArticleDoc
from faq.search import TUNING, FaqSearch
from faq.search.language import colloquial, thesaurus, word_frequencies


def _doc(id: str, title: str, body: str) -> ArticleDoc:
    return ArticleDoc(id=id, lang="de", title=title, category="Hilfe", body=body)


DOCS = [
    _doc(
        "newsletter",
        "Wie melde ich mich vom Newsletter ab?",
        "Du kannst dich jederzeit über den Link am Ende jeder Mail abmelden.",
    ),
    _doc(
        "ruecksendung",
        "Wie funktioniert die Rücksendung?",
        "Melde die Rücksendung im Kundenkonto an und drucke das Etikett aus.",
    ),
    _doc("zahlung", "Welche Zahlungsarten gibt es?", "PayPal, Kreditkarte oder Rechnung."),
]
#: articles whose words make up longer compounds
PARTS = [
    _doc(
        "termin",
        "Techniker-Termin verschieben",
        "Den Termin kannst du bis zwei Tage vorher online verschieben.",
    ),
    _doc("zaehler", "Wie melde ich meinen Zählerstand?", "Gib den Zählerstand im Portal ein."),
    _doc("nummer", "Kann ich meine Rufnummer mitnehmen?", "Ja, gib dazu die alte Nummer an."),
]


def engine_with(tmp_path, docs=DOCS, **knobs) -> FaqSearch:
    search = FaqSearch(tmp_path / "idx", tuning=dataclasses.replace(TUNING, **knobs))
    search.rebuild(docs)
    return search


def ids(search: FaqSearch, query: str) -> list[str]:
    return [hit.id for hit in search.search(query, "de").hits]


def test_general_word_list_and_thesaurus_are_shipped():
    common = word_frequencies("de")
    assert common["heute"] > 5 > common[text.fold("Rücksendung", "de")]
    assert text.norm("verzögert", "de") in thesaurus("de")[text.norm("verspätet", "de")]


@pytest.mark.parametrize("split", [True, False])
def test_unknown_compound_is_split_against_general_german(tmp_path, split):
    # neither "Newsletterabmeldung" nor its tail as a noun is in the articles
    search = engine_with(tmp_path, general_split=split)
    assert (ids(search, "Newsletterabmeldung")[:1] == ["newsletter"]) is split


@pytest.mark.parametrize("split", [True, False])
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Technikerterminverschiebung", "termin"),  # three parts: Techniker|termin|verschiebung
        ("Zählerstandsmeldung", "zaehler"),  # linking -s-: Zählerstand|s|meldung
        ("Terminverschiebungswunsch", "termin"),  # a general word the FAQ lacks as third part
        ("Nummernmitnahme", "nummer"),  # a part a vowel away from the FAQ's verb (mitnehmen)
    ],
)
def test_unknown_compound_is_split_into_several_words(tmp_path, split, query, expected):
    search = engine_with(tmp_path, DOCS + PARTS, general_split=split)
    assert (ids(search, query)[:1] == [expected]) is split


def test_a_compound_of_no_words_is_not_split(tmp_path):
    # "Terminqxzverschiebung": "qxz" is no word, so the pieces are not taken for one
    assert ids(engine_with(tmp_path, DOCS + PARTS), "Terminqxzverschiebung") == []


def test_colloquial_words_map_to_standard_ones_of_the_same_sense():
    assert text.norm("Geld", "de") in colloquial("de")[text.norm("Knete", "de")]
    assert text.norm("verstehen", "de") in colloquial("de")[text.norm("kapieren", "de")]
    assert colloquial("en") == {}  # no source for English


@pytest.mark.parametrize("weight", [0.8, 0.0])
def test_a_colloquial_word_the_faq_lacks_finds_the_standard_one(tmp_path, weight):
    money = _doc("geld", "Wann bekomme ich mein Geld?", "Wir überweisen es binnen fünf Tagen.")
    search = engine_with(tmp_path, [*DOCS, money], w_colloquial=weight)
    assert (ids(search, "Knete")[:1] == ["geld"]) is bool(weight)


def test_without_any_hit_the_weakest_word_is_dropped_and_the_hits_are_only_maybe(tmp_path):
    # three things asked, each in a different article or none: no article covers enough
    query = "Rücksendung Zahlungsarten Pfandflaschen"
    assert ids(engine_with(tmp_path / "strict", relaxations=0), query) == []
    hits = engine_with(tmp_path / "relaxed").search(query, "de").hits
    assert hits and all(hit.confidence == "low" for hit in hits)
