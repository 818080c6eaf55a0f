"""General-language data shipped in faq/search/data/ (sources in its README): how common a
word is in general German or English, a general thesaurus, and colloquial German words with
the standard words of the same sense. Both are normalised to the
index's forms once per process and language."""

from __future__ import annotations

import functools
import gzip
import pathlib

from faq import text

DATA = pathlib.Path(__file__).resolve().parent / "data"


def _lines(name: str) -> list[str]:
    path = DATA / name
    if not path.exists():
        return []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return f.read().splitlines()


@functools.cache
def word_frequencies(lang: str) -> dict[str, float]:
    """Folded word -> Zipf frequency (log10 of uses per billion words; 3 is rare, 6 common).

    The file is written folded (scripts/export_search_data.py)."""
    out: dict[str, float] = {}
    for line in _lines(f"words.{lang}.tsv.gz"):
        word, _, zipf = line.partition("\t")
        out[word] = float(zipf)
    return out


@functools.cache
def thesaurus(lang: str) -> dict[str, frozenset[str]]:
    """Index term -> index terms of the words that stand for it in some sense."""
    found: dict[str, set[str]] = {}
    for line in _lines(f"thesaurus.{lang}.tsv.gz"):
        terms = {text.norm(word, lang) for word in line.split("\t")}
        for term in terms:
            found.setdefault(term, set()).update(terms - {term})
    return {term: frozenset(others) for term, others in found.items()}


@functools.cache
def colloquial(lang: str) -> dict[str, frozenset[str]]:
    """Index term of a colloquial word ("Kohle", "kapieren") -> index terms of the standard
    words of the same sense ("Geld"; "verstehen", "begreifen"); empty for a language
    without the file."""
    found: dict[str, set[str]] = {}
    for line in _lines(f"colloquial.{lang}.tsv.gz"):
        word, *standard = line.split("\t")
        found.setdefault(text.norm(word, lang), set()).update(text.norm(w, lang) for w in standard)
    return {term: frozenset(others - {term}) for term, others in found.items()}
