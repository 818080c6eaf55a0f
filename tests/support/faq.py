"""Hand-made FAQ articles and a search index of them, for tests of the search alone."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from functools import partial
from pathlib import Path

from faq.documents import ArticleDoc
from faq.search import FaqSearch, SearchResult


def article(
    id: str,
    title: str,
    body: str,
    tags: tuple[str, ...] = (),
    lang: str = "de",
    category: str = "Hilfe",
) -> ArticleDoc:
    return ArticleDoc(id=id, lang=lang, title=title, category=category, body=body, tags=tags)


@contextlib.contextmanager
def indexed(directory: Path, docs: Iterable[ArticleDoc], **options) -> Iterator[FaqSearch]:
    """A search over `docs` alone, in a fresh index in `directory` (options go to FaqSearch)."""
    search = FaqSearch(directory, **options)
    search.rebuild(list(docs))
    try:
        yield search
    finally:
        search.close()


def ids(result: SearchResult) -> list[str]:
    """The article ids of a result's hits, best first."""
    return [h.id for h in result.hits]


doc = partial(article, category="Allgemein")  # unless an article says otherwise

#: The small German and English FAQ the search's unit tests ask questions of
#: (`tests/unit/faq/conftest.py` indexes it once per test module as `engine`).
DOCS = [
    doc(
        "ruecksendung",
        "Wie funktioniert die Rücksendung?",
        "Melde die Rücksendung im Kundenkonto an. Du bekommst ein Rücksendeetikett per E-Mail, "
        "klebst es auf den Karton und gibst das Paket in einer Filiale ab.",
        ("retoure", "zurückschicken"),
        category="Rückgabe",
    ),
    doc(
        "etikett-verloren",
        "Ich habe meinen Retourenschein verloren",
        "Kein Problem: Im Kundenkonto kannst du ein neues Versandlabel erzeugen und ausdrucken. "
        "Ohne Drucker zeigst du den QR-Code in der Filiale vor.\n\n"
        "Hinweis: Jedes Rücksendeetikett gilt nur für ein Paket.",
        ("label", "verloren"),
        category="Rückgabe",
    ),
    doc(
        "transportschaden",
        "Mein Paket ist beschädigt angekommen",
        "Mache **Fotos** vom Schaden und melde ihn innerhalb von 7 Tagen.\n\n"
        "## Wichtig\n\nKopiere niemals Code wie <script>alert(1)</script> in das Formular. "
        "Wir schicken dir kostenlos Ersatz.",
        ("transportschaden", "bruch"),
        category="Versand",
    ),
    doc(
        "zahlungsarten",
        "Welche Zahlungsarten gibt es?",
        "Du kannst mit PayPal, Kreditkarte, Lastschrift oder auf Rechnung bezahlen.",
        ("bezahlen", "paypal"),
        category="Bezahlung",
    ),
    doc(
        "lieferzeit",
        "Wie lange dauert die Lieferung?",
        "Die Lieferzeit beträgt meist zwei bis drei Werktage. Speditionsware braucht länger.",
        ("lieferdauer", "versanddauer"),
        category="Versand",
    ),
    doc(
        "passwort",
        "Passwort vergessen",
        "Klicke bei der Anmeldung auf „Passwort vergessen“ und folge dem Link in der E-Mail.",
        ("login", "kennwort"),
        category="Konto",
    ),
    doc(
        "returns",
        "How do I return an item?",
        "Register the return in your account, print the return label and drop the parcel off.",
        ("return", "send back"),
        lang="en",
        category="Returns",
    ),
    doc(
        "delivery-time",
        "How long does delivery take?",
        "Delivery usually takes two to three working days.",
        ("delivery time", "shipping time"),
        lang="en",
        category="Shipping",
    ),
]
