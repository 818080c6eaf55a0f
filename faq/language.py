"""Which of the FAQ's languages a query is written in, when that is clear.

py3langid (a maintained fork of langid.py, trained on many languages) restricted to the FAQ's
languages; its model loads once per process, on first use (about half a second).
"""

from __future__ import annotations

from functools import cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

from shared.regional import LANGUAGES

#: The share of the probability one language must have to count as clear. Short queries that
#: both languages share ("Garantie", "refund") stay below it.
CLEAR = 0.95


@cache
def _identifier() -> LanguageIdentifier:
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(LANGUAGES))
    return identifier


def clear_language(query: str) -> str | None:
    """The query's language when it is clearly one of LANGUAGES, else None."""
    if not any(ch.isalpha() for ch in query):
        return None
    lang, probability = _identifier().classify(query)
    return lang if probability >= CLEAR else None
