"""Answer confidence of FAQ hits (faq/search/confidence.py) on small hand-made articles."""

from __future__ import annotations

import pytest

from faq.search import TUNING
from faq.search.confidence import Evidence, level
from support.faq import article, indexed

DOCS = [
    article(
        "entkalken",
        "Kaffeevollautomat entkalken",
        "Halte einen Teststreifen ins Wasser, um die Wasserhärte zu bestimmen. Dann starte das "
        "Entkalkungsprogramm und fülle Entkalker in den Wassertank.",
    ),
    article(
        "lieferzeit",
        "Wie lange dauert die Lieferung?",
        "Die Lieferung dauert zwei bis vier Werktage. Große Geräte wie Fernseher liefert eine "
        "Spedition.",
    ),
    article(
        "zahlung",
        "Welche Zahlungsarten gibt es?",
        "Du bezahlst mit PayPal, Kreditkarte oder auf Rechnung. Eine verspätete Zahlung mahnen wir.",
    ),
    article(
        "ruecksendung",
        "Wie schicke ich einen Artikel zurück?",
        "Melde die Rücksendung im Kundenkonto an und drucke das Etikett aus.",
    ),
    article(
        "umtausch",
        "Kann ich einen Artikel umtauschen?",
        "Schicke den Artikel zurück und bestelle den gewünschten neu.",
    ),
    article(
        "gutschein-filiale",
        "Gutschein in der Filiale einlösen",
        "Zeige den Gutschein an der Kasse vor.",
    ),
    article(
        "gutschein-online",
        "Gutschein im Onlineshop einlösen",
        "Gib den Gutschein im Warenkorb ein.",
    ),
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    with indexed(tmp_path_factory.mktemp("idx"), DOCS) as search:
        yield search


def levels(engine, query):
    return [(hit.id, hit.confidence) for hit in engine.search(query, "de").hits]


def test_the_exact_question_is_the_answer(engine):
    assert levels(engine, "Kaffeevollautomat entkalken")[:1] == [("entkalken", "high")]


def test_a_word_found_only_inside_a_compound_is_not_the_answer(engine):
    # "Streifen" occurs only in "Teststreifen"
    assert levels(engine, "Streifen") == [("entkalken", "low")]


def test_a_word_mentioned_in_passing_in_the_body_is_only_maybe(engine):
    # the payment article mentions a late payment in passing; its title is about something else
    assert levels(engine, "verspätet") == [("zahlung", "medium")]


def test_a_hit_matching_one_of_two_things_asked_is_only_maybe():
    # e.g. "Fernseher mieten" answered by an article that mentions only "mieten"
    strong = dict(support=0.9, title_support=0.9, asked=2, margin=1.0)
    assert level(Evidence(matched=2, **strong), long_query=False, top=True, tuning=TUNING) == "high"
    assert (
        level(Evidence(matched=1, **strong), long_query=False, top=True, tuning=TUNING) == "medium"
    )


def test_two_near_equal_hits_are_both_maybe(engine):
    found = dict(levels(engine, "Gutschein einlösen"))
    assert found == {"gutschein-filiale": "medium", "gutschein-online": "medium"}


def test_only_the_first_hit_can_be_high(engine):
    found = levels(engine, "Wie lange dauert die Lieferung")
    assert found[0] == ("lieferzeit", "high")
    assert all(level != "high" for _, level in found[1:])
