"""Distinct FAQ queries as customers send them, for load and equality runs.

Real search traffic rarely repeats a query: live suggestions send what is typed so far,
and customers word their questions their own way. So a bench that sends ten queries
measures the result cache, not the search. This makes thousands of distinct queries
(distinct as the result cache keys them: case-folded, per language), deterministic for a
seed, from the demo FAQ and the evaluation sets:

* ``typed``: prefixes of real questions as they are typed (the evaluation sets' queries and
  the demo articles' titles, cut after every keystroke from the third character on);
* ``word``: single words of the demo articles, some with a typo;
* ``long``: pasted messages: a greeting, two to four sentences of an article, a closing;
* ``question``: the evaluation sets' queries as written (other domains' ones are questions
  the demo FAQ has no answer for).

Usage: .venv/bin/python bench/distinct_queries.py [--n 6000] [--show 20]
"""

from __future__ import annotations

import argparse
import pathlib
import random
import re
import sys
from collections import Counter

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from faq_quality import known_sets, load_docs, load_eval  # noqa: E402

GREETINGS = {
    "de": ["Hallo,", "Guten Tag,", "Hallo zusammen,", "Sehr geehrte Damen und Herren,", ""],
    "en": ["Hello,", "Hi,", "Dear support team,", "Good morning,", ""],
}
CLOSINGS = {
    "de": ["Was kann ich tun?", "Können Sie mir helfen?", "Danke im Voraus!", "Viele Grüße", ""],
    "en": ["What can I do?", "Can you help me?", "Thanks in advance!", "Best regards", ""],
}


def _sentences(markdown: str) -> list[str]:
    out = []
    for line in markdown.splitlines():
        line = re.sub(r"^[-*#\d.\s]+", "", line.strip()).replace("**", "")
        out.extend(s for s in re.split(r"(?<=[.!?])\s+", line) if len(s) > 25)
    return out


def typo(
    rng: random.Random, word: str, cuts: tuple[float, float] = (0.4, 0.7), last: int = -2
) -> str:
    """A misspelling of a word of five or more letters, at a position from the second letter
    to `last`: a random draw below `cuts[0]` leaves a letter out, below `cuts[1]` swaps two,
    else replaces one."""
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) + last)
    kind = rng.random()
    if kind < cuts[0]:
        return word[:i] + word[i + 1 :]  # a letter left out
    if kind < cuts[1]:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]  # two swapped
    return word[:i] + rng.choice("aeinrst") + word[i + 1 :]


def _prefixes(question: str) -> list[str]:
    """What live suggestions send while ``question`` is typed: each prefix, trimmed."""
    return [question[:i].strip() for i in range(3, len(question) + 1)]


def distinct_queries(n: int = 6000, seed: int = 19) -> list[tuple[str, str, str]]:
    """``n`` distinct (query, lang, kind), shuffled; demo questions and words come first in
    the pool, so a smaller ``n`` keeps the queries closest to the demo FAQ."""
    rng = random.Random(seed)
    docs = load_docs(ROOT / "faq" / "content")
    questions: list[tuple[str, str]] = []
    for eval_set in known_sets():  # the demo set first
        questions += [(it["q"], it["lang"]) for it in load_eval(eval_set.queries)]
    titles = [(d.title, d.lang) for d in docs]
    pools: dict[str, list[tuple[str, str]]] = {"typed": [], "word": [], "long": [], "question": []}
    for q, lang in titles + questions:
        if len(q) <= 120:  # nobody watches suggestions while pasting a message
            pools["typed"] += [(p, lang) for p in _prefixes(q)]
        pools["question"].append((q, lang))
    words = sorted(
        {(w, d.lang) for d in docs for w in re.findall(r"[^\W\d_]{4,}", d.title + " " + d.body)}
    )
    rng.shuffle(words)
    for word, lang in words:
        pools["word"].append((word.lower() if rng.random() < 0.6 else word, lang))
        if rng.random() < 0.3:
            pools["word"].append((typo(rng, word.lower()), lang))
    for _ in range(4 * len(docs)):
        doc = rng.choice(docs)
        sentences = _sentences(doc.body)
        if len(sentences) < 2:
            continue
        picked = rng.sample(sentences, min(len(sentences), rng.randint(2, 4)))
        parts = [rng.choice(GREETINGS[doc.lang]), *picked, rng.choice(CLOSINGS[doc.lang])]
        pools["long"].append((" ".join(p for p in parts if p), doc.lang))
    share = {"typed": 0.55, "word": 0.2, "long": 0.1, "question": 0.15}
    seen: set[tuple[str, str]] = set()
    out: list[tuple[str, str, str]] = []

    def take(kind: str, limit: int) -> None:
        for q, lang in pools[kind]:
            if len(out) >= limit:
                return
            key = (" ".join(q.split()).casefold(), lang)
            if len(key[0]) >= 3 and key not in seen:
                seen.add(key)
                out.append((q, lang, kind))

    for kind in share:
        take(kind, len(out) + round(share[kind] * n))
    for kind in share:  # a pool ran short: fill from the others
        take(kind, n)
    rng.shuffle(out)
    return out[:n]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--n", type=int, default=6000)
    ap.add_argument("--show", type=int, default=20, help="print this many examples")
    args = ap.parse_args(argv)
    queries = distinct_queries(args.n)
    kinds = Counter(kind for _, _, kind in queries)
    langs = Counter(lang for _, lang, _ in queries)
    print(
        f"{len(queries)} distinct queries: "
        + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items()))
        + "; "
        + ", ".join(f"{k} {v}" for k, v in sorted(langs.items()))
    )
    for q, lang, kind in queries[: args.show]:
        print(f"  {kind:9} {lang}  {q[:100]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
