"""Unit tests of the FAQ search engine (faq/search/) on small hand-made articles: what a
question finds. Odd input: test_search_input.py; changing the index: test_search_index.py."""

from __future__ import annotations

import pytest

from faq.search import FaqSearch, Hit, SearchResult
from support.faq import article, doc, ids, indexed


def test_result_types(engine):
    res = engine.search("Rücksendung", "de")
    assert isinstance(res, SearchResult)
    assert res.query == "Rücksendung"
    assert res.hits and all(isinstance(h, Hit) for h in res.hits)
    assert res.total >= len(res.hits)
    scores = [h.score for h in res.hits]
    assert scores == sorted(scores, reverse=True)
    assert res.hits[0].title == "Wie funktioniert die Rücksendung?"
    assert res.hits[0].lang == "de" and res.hits[0].category == "Rückgabe"


@pytest.mark.parametrize(
    "query, expected",
    [
        ("Zahlungsarten", "zahlungsarten"),  # exact title word
        ("Rücksedung", "ruecksendung"),  # typo (one letter missing)
        ("Pasword vergesen", "passwort"),  # two typos
        ("ruecksendung", "ruecksendung"),  # umlaut typed as ue
        ("rucksendung", "ruecksendung"),  # umlaut left out
        ("Rücksendungen", "ruecksendung"),  # inflection
        ("zurückgeschickt", "ruecksendung"),  # participle of a tag word
        ("Etikett verloren", "etikett-verloren"),  # compound part (Rücksendeetikett)
        ("Paket kaputt", "transportschaden"),  # synonym kaputt -> beschädigt
        ("paket kaputt angekommen was tun", "transportschaden"),  # colloquial
        ("Wie lange dauert die Lieferung", "lieferzeit"),
    ],
)
def test_german_matching(engine, query, expected):
    assert ids(engine.search(query, "de"))[:1] == [expected]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("return label", "returns"),
        ("sending back an item", "returns"),
        ("delivery tiem", "delivery-time"),  # swapped letters
    ],
)
def test_english_matching(engine, query, expected):
    assert ids(engine.search(query, "en"))[:1] == [expected]


def test_languages_do_not_mix(engine):
    assert "returns" not in ids(engine.search("return", "de"))
    assert all(h.lang == "en" for h in engine.search("return", "en").hits)


@pytest.mark.parametrize(
    "query",
    [
        "Kfz-Versicherung kündigen",
        "Wie wird das Wetter morgen in Hamburg?",
        "Rezept für Apfelkuchen",
    ],
)
def test_no_answer_returns_no_hits(engine, query):
    res = engine.search(query, "de")
    assert res.hits == [] and res.total == 0


def test_out_of_scope_word_beats_shared_word(engine):
    # "Rücksendung" is in the FAQ, "Pfandflaschen" is not: the FAQ does not answer this
    hits = engine.search("Rücksendung von Pfandflaschen", "de").hits
    assert all(hit.confidence == "low" for hit in hits)


def test_did_you_mean(engine):
    assert engine.search("Rücksedung", "de").did_you_mean == "Rücksendung"
    assert (
        engine.search("wie lange dauert die lieferunng", "de").did_you_mean
        == "wie lange dauert die lieferung"
    )
    assert engine.search("Rücksendung", "de").did_you_mean is None
    assert engine.search("ruecksendung", "de").did_you_mean is None  # umlaut spelling is no typo


def test_snippet_escapes_html_and_marks_terms(engine):
    res = engine.search("Formular Code", "de")
    assert ids(res)[:1] == ["transportschaden"]
    snip = res.hits[0].snippet
    assert "&lt;script&gt;" in snip
    assert "<script>" not in snip
    assert "<mark>Formular</mark>" in snip
    assert "**" not in snip and "##" not in snip  # no Markdown syntax
    assert len(snip) < 260


def test_snippet_marks_synonyms_and_inflections(engine):
    snip = engine.search("Rücksendungen", "de").hits[0].snippet
    assert "<mark>Rücksendung</mark>" in snip


def test_pagination(engine):
    full = engine.search("Paket", "de", limit=10)
    assert full.total == len(full.hits) >= 2
    page = engine.search("Paket", "de", limit=1, offset=1)
    assert page.total == full.total
    assert ids(page) == ids(full)[1:2]
    assert engine.search("Paket", "de", limit=0).hits == []


def test_related(engine):
    rel = engine.related("ruecksendung", "de")
    assert rel and "ruecksendung" not in [h.id for h in rel]
    assert rel[0].id == "etikett-verloren"
    assert all(h.lang == "de" for h in rel)
    assert engine.related("does-not-exist", "de") == []


def test_phrase_in_several_synonym_groups_is_one_concept(engine):
    # "geld zurück" stands in two synonym groups; it must not count twice
    concepts = engine.explain("Wann bekomme ich mein Geld zurück", "de")["concepts"]
    words = [c[0] for c in concepts]
    assert len(words) == len(set(words))


def test_fuzzy_does_not_turn_a_real_word_into_another(engine):
    # two changed letters in a seven-letter word: another word, not a typo
    # ("Freibad" is not "Freitag"); a left-out letter still is ("Pasword")
    concepts = engine.explain("Passwort Freibad", "de")["concepts"]
    assert all(c[2] is None for c in concepts)
    assert ids(engine.search("Pasword vergesen", "de"))[:1] == ["passwort"]


def test_english_unknown_word_is_not_split_on_a_short_known_tail(engine):
    # "apprenticeship" is not "apprentice" + "ship" (ship -> delivery)
    assert engine.search("apprenticeship", "en").hits == []


def test_narrative_filler_does_not_block_an_answer(engine):
    assert ids(engine.search("return label since yesterday", "en"))[:1] == ["returns"]


def test_function_and_framing_words_do_not_count_as_topic():
    from faq import text as T

    # "whether", "think" are function/filler words; "bedeuten", "worth" frame a question
    assert T.is_stopword("whether", "en") and T.is_stopword("thinking", "en")
    assert T.is_stopword("dachte", "de") and T.is_stopword("anscheinend", "de")
    assert T.is_light_word("bedeuten", "de") and T.is_light_word("worth", "en")
    # topic words stay content words
    assert not T.is_stopword("Rechnung", "de") and not T.is_stopword("meter", "en")


def test_one_way_synonym_phrase_from_the_project_list(tmp_path):
    eng = FaqSearch(tmp_path)
    try:
        eng.rebuild(
            [
                doc(
                    "esim",
                    "eSIM aktivieren",
                    "Scanne den QR-Code in den Einstellungen deines Telefons.",
                ),
                doc("pin", "PIN vergessen", "Mit der PUK entsperrst du die SIM-Karte."),
            ]
        )
        assert [h.id for h in eng.search("digitale SIM", "de").hits][:1] == ["esim"]
    finally:
        eng.close()


def test_instalment_and_installation_are_different_terms():
    from faq import text as T

    assert T.norm("instalments", "en") == T.norm("installment", "en")
    assert T.norm("instalment", "en") != T.norm("installation", "en")
    assert T.norm("installed", "en") == T.norm("installation", "en")


def test_no_did_you_mean_for_a_word_of_its_own(tmp_path):
    # "stripes" is a word of general English, one letter from the FAQ's "strips": the search
    # may try the near word, but the customer did not misspell it; "stirps" they did
    descale = article(
        "descale", "Descaling", "Use the test strips supplied with the machine.", lang="en"
    )
    with indexed(tmp_path, [descale]) as search:
        assert search.search("my tv shows stripes", "en").did_you_mean is None
        assert search.search("test stirps", "en").did_you_mean == "test strips"
