"""Unit tests of the FAQ search engine (faq/search/) on small hand-made articles."""

from __future__ import annotations

import threading
from functools import partial

import pytest

from faq.search import FaqSearch, Hit, SearchResult
from support.faq import article, indexed

_doc = partial(article, category="Allgemein")  # unless an article says otherwise

DOCS = [
    _doc(
        "ruecksendung",
        "Wie funktioniert die Rücksendung?",
        "Melde die Rücksendung im Kundenkonto an. Du bekommst ein Rücksendeetikett per E-Mail, "
        "klebst es auf den Karton und gibst das Paket in einer Filiale ab.",
        ("retoure", "zurückschicken"),
        category="Rückgabe",
    ),
    _doc(
        "etikett-verloren",
        "Ich habe meinen Retourenschein verloren",
        "Kein Problem: Im Kundenkonto kannst du ein neues Versandlabel erzeugen und ausdrucken. "
        "Ohne Drucker zeigst du den QR-Code in der Filiale vor.\n\n"
        "Hinweis: Jedes Rücksendeetikett gilt nur für ein Paket.",
        ("label", "verloren"),
        category="Rückgabe",
    ),
    _doc(
        "transportschaden",
        "Mein Paket ist beschädigt angekommen",
        "Mache **Fotos** vom Schaden und melde ihn innerhalb von 7 Tagen.\n\n"
        "## Wichtig\n\nKopiere niemals Code wie <script>alert(1)</script> in das Formular. "
        "Wir schicken dir kostenlos Ersatz.",
        ("transportschaden", "bruch"),
        category="Versand",
    ),
    _doc(
        "zahlungsarten",
        "Welche Zahlungsarten gibt es?",
        "Du kannst mit PayPal, Kreditkarte, Lastschrift oder auf Rechnung bezahlen.",
        ("bezahlen", "paypal"),
        category="Bezahlung",
    ),
    _doc(
        "lieferzeit",
        "Wie lange dauert die Lieferung?",
        "Die Lieferzeit beträgt meist zwei bis drei Werktage. Speditionsware braucht länger.",
        ("lieferdauer", "versanddauer"),
        category="Versand",
    ),
    _doc(
        "passwort",
        "Passwort vergessen",
        "Klicke bei der Anmeldung auf „Passwort vergessen“ und folge dem Link in der E-Mail.",
        ("login", "kennwort"),
        category="Konto",
    ),
    _doc(
        "returns",
        "How do I return an item?",
        "Register the return in your account, print the return label and drop the parcel off.",
        ("return", "send back"),
        lang="en",
        category="Returns",
    ),
    _doc(
        "delivery-time",
        "How long does delivery take?",
        "Delivery usually takes two to three working days.",
        ("delivery time", "shipping time"),
        lang="en",
        category="Shipping",
    ),
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    with indexed(tmp_path_factory.mktemp("ix"), DOCS) as search:
        yield search


def ids(result: SearchResult) -> list[str]:
    return [h.id for h in result.hits]


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


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "\n\t",
        "title:(",
        "*",
        "AND OR NOT",
        '"',
        "~",
        "^",
        "title:(Rücksendung",
        "Rücksendung~2^3",
        '"Paket',
        "(((",
        "\x00\x01",
        "🙂🙂",
        "-",
        "'",
        "a" * 300,
    ],
)
def test_hostile_input_does_not_raise(engine, query, caplog):
    res = engine.search(query, "de")
    assert isinstance(res, SearchResult)
    assert not caplog.records  # not even behind the safety net in search()


def test_empty_query_gives_empty_result(engine):
    res = engine.search("   ", "de")
    assert res.hits == [] and res.total == 0 and res.did_you_mean is None


def test_query_syntax_is_plain_words(engine):
    assert ids(engine.search('(Rücksendung* "Retoure"^2', "de"))[:1] == ["ruecksendung"]
    assert ids(engine.search("+Paket -kaputt~", "de"))[:1] == ["transportschaden"]


def test_very_long_query(engine, caplog):
    text = (
        "Hallo, ich habe ein Paket bekommen und es ist kaputt angekommen, was soll ich tun? " * 200
    )[:10_000]
    res = engine.search(text, "de")
    assert ids(res)[:1] == ["transportschaden"]
    engine.search("x" * 10_000, "de")
    engine.search(" ".join(["Rücksendung"] * 3000), "de")
    assert not caplog.records


def test_unknown_language_raises(engine):
    with pytest.raises(ValueError):
        engine.search("Rücksendung", "fr")
    with pytest.raises(ValueError):
        engine.related("ruecksendung", "xx")


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


def test_upsert_and_delete_are_visible_immediately(tmp_path):
    e = FaqSearch(tmp_path)
    e.rebuild(DOCS)
    assert e.search("Gutscheincode einlösen", "de").hits == []
    e.upsert(
        _doc(
            "gutschein",
            "Wie löse ich einen Gutscheincode ein?",
            "Gib den Gutscheincode an der Kasse ein.",
        )
    )
    assert ids(e.search("Gutscheincode einlösen", "de"))[:1] == ["gutschein"]
    # replace: the old title words no longer find it
    e.upsert(
        _doc("gutschein", "Kaffeemaschine entkalken", "Entkalke die Kaffeemaschine jeden Monat.")
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
        _doc("entkalken", "Kaffeevollautomat entkalken", "So entkalkst du den Kaffeevollautomaten.")
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
                e.upsert(_doc(f"extra-{i}", f"Zusatzartikel Nummer {i}", "Etwas ganz anderes."))
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
    e.upsert(_doc("lieferzeit", "Wie lange dauert die Lieferung?", "Meist zwei Werktage."))
    res = e.search("Lieferunng", "de")
    assert ids(res) == ["lieferzeit"] and res.did_you_mean == "Lieferung"
    e.close()


def test_random_input_never_raises(engine, caplog):
    import logging
    import random

    caplog.set_level(logging.ERROR, logger="faq.search")
    rng = random.Random(3)
    alphabet = "aäoöuüßeEnN -_:()*?~^\"'!<>&;/\\\t\n0123456789ÆЖ中🙂\u200b\u0301"
    for _ in range(200):
        q = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 80)))
        res = engine.search(
            q, rng.choice(["de", "en"]), limit=rng.randint(0, 20), offset=rng.randint(0, 5)
        )
        assert isinstance(res, SearchResult)
        for h in res.hits:
            assert "<" not in h.snippet.replace("<mark>", "").replace("</mark>", "")
    assert not caplog.records  # nothing failed behind the safety net


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
                _doc(
                    "esim",
                    "eSIM aktivieren",
                    "Scanne den QR-Code in den Einstellungen deines Telefons.",
                ),
                _doc("pin", "PIN vergessen", "Mit der PUK entsperrst du die SIM-Karte."),
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
