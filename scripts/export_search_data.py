"""Export the general-language data the FAQ search ships in faq/search/data/.

Run once, when the sources change (the files are committed; nothing here runs at start):

    .venv/bin/pip install wordfreq==3.1.1
    apt-get install mythes-de mythes-en-us
    .venv/bin/python scripts/export_search_data.py

Writes, per language (de, en):

* ``words.<lang>.tsv.gz``: common words with their Zipf frequency (log10 of uses per
  billion words) from the PyPI package ``wordfreq``: compound splitting against general
  German, and how common a word is in general language (long messages). Written folded
  by ``faq.text.fold`` (so loading is quick): export again when folding changes.
* ``thesaurus.<lang>.tsv.gz``: synonym groups, one sense a line, single words only and only
  words of that word list; from OpenThesaurus (Debian ``mythes-de``) and the WordNet-based
  LibreOffice thesaurus (Debian ``mythes-en-us``). Broader and narrower terms, antonyms and
  "similar terms" are left out: only words that stand for each other.
* ``colloquial.de.tsv.gz``: colloquial German words and the standard words of the same
  sense, one colloquial word a line: from OpenThesaurus, whose entries marked ``(ugs.)`` or
  ``(derb)`` are colloquial and unmarked ones (or ``(Hauptform)``) standard; the standard
  words only of that word list. ``--colloquial`` writes only this file (from the word list
  already exported, so without wordfreq).

Sources and licences: faq/search/data/README.md.
"""

from __future__ import annotations

import gzip
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from faq import text  # noqa: E402
from shared.regional import LANGUAGES  # noqa: E402

OUT = ROOT / "faq" / "search" / "data"
MIN_ZIPF = {"de": 2.3, "en": 2.5}
THESAURUS = {"de": "/usr/share/mythes/th_de_DE_v2.dat", "en": "/usr/share/mythes/th_en_US_v2.dat"}
#: markers of entries that do not stand for the headword
_SKIP = re.compile(
    r"\((?:Oberbegriff|Unterbegriff|Gegenteil|Antonym|antonym|similar term|"
    r"generic term|related term|derived term|opposite)\)"
)
_MARKER = re.compile(r"\s*\([^)]*\)")
_WORD = re.compile(r"^[^\W\d_]{3,}$")


def words(lang: str) -> dict[str, float]:
    import wordfreq  # only for this export

    out: dict[str, float] = {}
    for word in wordfreq.top_n_list(lang, 400_000):
        if not _WORD.match(word):
            continue
        zipf = wordfreq.zipf_frequency(word, lang)
        if zipf < MIN_ZIPF[lang]:
            break
        out[word] = zipf
    return out


def thesaurus(lang: str, known: dict[str, float]) -> list[list[str]]:
    lines = pathlib.Path(THESAURUS[lang]).read_text(encoding="utf-8").splitlines()[1:]
    groups: set[tuple[str, ...]] = set()
    for line in lines:
        if "|" not in line or not line.startswith(("-|", "(")):
            continue
        group = set()
        for item in line.split("|")[1:]:
            if _SKIP.search(item):
                continue
            word = _MARKER.sub("", item).strip().lower()
            if word in known:
                group.add(word)
        if len(group) >= 2:
            groups.add(tuple(sorted(group)))
    return [list(g) for g in sorted(groups)]


#: register markers of colloquial entries, and markers a standard entry may carry
_COLLOQUIAL = re.compile(r"\((?:[^)]*, )?(?:ugs\.|derb)(?:,[^)]*)?\)")
_STANDARD = re.compile(r"^\(Hauptform\)$")


def colloquial(known_folded: set[str]) -> dict[str, set[str]]:
    """Colloquial German word -> standard words of the same sense (OpenThesaurus)."""
    lines = pathlib.Path(THESAURUS["de"]).read_text(encoding="utf-8").splitlines()[1:]
    out: dict[str, set[str]] = {}
    for line in lines:
        if "|" not in line or not line.startswith(("-|", "(")):
            continue
        slang, standard = set(), set()
        for item in line.split("|")[1:]:
            if _SKIP.search(item):
                continue
            word = _MARKER.sub("", item).strip().lower()
            if not _WORD.match(word):
                continue
            markers = "".join(_MARKER.findall(item)).strip()
            if _COLLOQUIAL.search(markers):
                slang.add(word)
            elif (not markers or _STANDARD.match(markers)) and text.fold(
                word, "de"
            ) in known_folded:
                standard.add(word)
        for word in slang - standard:
            if standard:
                out.setdefault(word, set()).update(standard)
    return out


def export_colloquial() -> None:
    with gzip.open(OUT / "words.de.tsv.gz", "rt", encoding="utf-8") as f:
        known = {line.partition("\t")[0] for line in f}
    found = colloquial(known)
    with gzip.open(OUT / "colloquial.de.tsv.gz", "wt", encoding="utf-8", compresslevel=9) as f:
        for word in sorted(found):
            f.write("\t".join([word, *sorted(found[word])]) + "\n")
    print(f"de: {len(found)} colloquial words")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    if "--colloquial" in sys.argv[1:]:
        export_colloquial()
        return
    for lang in LANGUAGES:
        common = words(lang)
        folded: dict[str, float] = {}
        for word, zipf in common.items():
            folded.setdefault(text.fold(word, lang), zipf)
        with gzip.open(OUT / f"words.{lang}.tsv.gz", "wt", encoding="utf-8", compresslevel=9) as f:
            for word, zipf in folded.items():
                f.write(f"{word}\t{zipf:.1f}\n")
        groups = thesaurus(lang, common)
        with gzip.open(
            OUT / f"thesaurus.{lang}.tsv.gz", "wt", encoding="utf-8", compresslevel=9
        ) as f:
            for group in groups:
                f.write("\t".join(group) + "\n")
        print(f"{lang}: {len(common)} words, {len(groups)} synonym groups")
    export_colloquial()


if __name__ == "__main__":
    main()
