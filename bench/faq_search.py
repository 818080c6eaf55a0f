"""Speed of the FAQ search engine on a large synthetic corpus.

Usage (from the repo root):
    .venv/bin/python bench/faq_search.py [--articles 10000] [--de-share 0.7] [--queries 600]

Generates ``--articles`` documents (German and English) by recombining titles,
tags and sentences of faq/content with pseudo-words (so the vocabulary is large:
product names, compounds, typos of nothing), then measures:

* full index build (``FaqSearch.rebuild``),
* search latency in-process with the full quality pipeline (analysis, synonyms,
  fuzzy correction, re-ranking, snippets) over a mix of query kinds,
* time from ``upsert`` of an edited article until a search finds it,
* a short run with 4 threads searching at once (throughput, no errors).

Prints a table. Runs in about two minutes on the 2-core CI machine.
"""

from __future__ import annotations

import argparse
import pathlib
import random
import re
import statistics
import sys
import tempfile
import threading
import time

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from distinct_queries import typo  # noqa: E402
from faq_quality import load_docs, load_eval  # noqa: E402

from faq.documents import ArticleDoc  # noqa: E402
from faq.search import FaqSearch  # noqa: E402

#: Made-up syllables and function words, by language (a data file, order matters).
_WORDS = yaml.safe_load((ROOT / "bench" / "data" / "generated_corpus.yaml").read_text("utf-8"))
SYLLABLES = {lang: words.split() for lang, words in _WORDS["syllables"].items()}
FILLER = {lang: words.split() for lang, words in _WORDS["filler"].items()}


def _pseudo_words(rng: random.Random, lang: str, n: int) -> list[str]:
    syl = SYLLABLES[lang]
    words: set[str] = set()
    while len(words) < n:
        w = "".join(rng.choice(syl) for _ in range(rng.randint(2, 4)))
        words.add(w)
    return sorted(words)


def _sentences(md: str) -> list[str]:
    out = []
    for line in md.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        line = re.sub(r"^[-*]\s+|^\d+\.\s+", "", line)
        out.extend(s.strip() for s in re.split(r"(?<=[.!?])\s+", line) if len(s.strip()) > 20)
    return out


def make_corpus(n: int, de_share: float, seed: int = 7) -> list[ArticleDoc]:
    rng = random.Random(seed)
    real = load_docs(ROOT / "faq" / "content")
    by_lang: dict[str, list[ArticleDoc]] = {"de": [], "en": []}
    for d in real:
        by_lang.setdefault(d.lang, []).append(d)
    pools = {}
    for lang, docs in by_lang.items():
        sents = [s for d in docs for s in _sentences(d.body)]
        pseudo = _pseudo_words(rng, lang, 60_000)
        # Zipf-like: a few pseudo words are common, most are rare
        weights = [1.0 / (i + 1) ** 0.9 for i in range(len(pseudo))]
        pools[lang] = (docs, sents, pseudo, weights)
    out: list[ArticleDoc] = []
    n_de = int(n * de_share)
    for i in range(n):
        lang = "de" if i < n_de else "en"
        docs, sents, pseudo, weights = pools[lang]
        base = rng.choice(docs)
        words = rng.choices(pseudo, weights, k=60)
        noun = words[0].capitalize() if lang == "de" else words[0]
        compound = (
            (words[1] + rng.choice(["etikett", "kosten", "service", "gerät", "zeit"])).capitalize()
            if lang == "de"
            else words[1] + " " + rng.choice(["label", "cost", "service", "device"])
        )
        title = (
            f"{base.title.rstrip('?')} {noun}?"
            if rng.random() < 0.5
            else f"{noun} und {compound}"
            if lang == "de"
            else f"{noun} and {compound}"
        )
        tags = tuple(rng.sample(base.tags, min(2, len(base.tags)))) + (words[2], compound.lower())
        paras = []
        for _ in range(rng.randint(3, 7)):
            kind = rng.random()
            if kind < 0.2:
                paras.append("## " + " ".join(rng.choice(words).capitalize() for _ in range(3)))
            if kind < 0.6:
                paras.append(" ".join(rng.sample(sents, 2)))
            else:
                filler = FILLER[lang]
                seq = [
                    rng.choice(words) if rng.random() < 0.5 else rng.choice(filler)
                    for _ in range(rng.randint(10, 22))
                ]
                seq[0] = seq[0].capitalize()
                paras.append("- **" + seq[0] + "** " + " ".join(seq[1:]) + ".")
        body = "\n\n".join(paras)
        out.append(
            ArticleDoc(
                id=f"gen-{i:05d}",
                lang=lang,
                title=title,
                category=base.category,
                body=body,
                tags=tags,
            )
        )
    return out


def make_queries(corpus: list[ArticleDoc], n: int, seed: int = 11) -> list[tuple[str, str, str]]:
    rng = random.Random(seed)
    out: list[tuple[str, str, str]] = []
    evalp = ROOT / "bench" / "faq_eval.yaml"
    if evalp.exists():
        for it in load_eval(evalp):
            out.append((it["q"], it["lang"], it.get("kind", "eval")))
    while len(out) < n:
        d = rng.choice(corpus)
        words = [w for w in re.findall(r"\w+", d.title) if len(w) > 3]
        sents = _sentences(d.body)
        r = rng.random()
        if r < 0.3 and words:
            out.append((" ".join(rng.sample(words, min(3, len(words)))), d.lang, "title"))
        elif r < 0.5 and words:
            out.append(
                (
                    " ".join(
                        typo(rng, w, cuts=(0.33, 0.66), last=-1)
                        for w in rng.sample(words, min(2, len(words)))
                    ),
                    d.lang,
                    "typo",
                )
            )
        elif r < 0.65 and sents:
            msg = " ".join(rng.sample(sents, min(3, len(sents))))
            out.append((" ".join(msg.split()[:30]), d.lang, "long"))
        elif r < 0.8:
            out.append(
                (
                    f"{rng.choice(['Wie', 'Kann', 'Was'])} {rng.choice(words or ['Paket'])} "
                    f"{typo(rng, 'zurückschicken', cuts=(0.33, 0.66), last=-1)}",
                    d.lang,
                    "question",
                )
            )
        else:
            junk = "".join(rng.choice("bcdfghklmnprstvwz") + rng.choice("aeiou") for _ in range(4))
            out.append((f"{junk} {rng.choice(['kaufen', 'buy'])}", d.lang, "noanswer"))
    return out[:n]


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return values[k]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--de-share", type=float, default=0.7)
    ap.add_argument("--queries", type=int, default=600)
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    corpus = make_corpus(args.articles, args.de_share)
    gen_s = time.perf_counter() - t0
    queries = make_queries(corpus, args.queries)
    rows: list[tuple[str, str, str]] = []

    with tempfile.TemporaryDirectory() as tmp:
        engine = FaqSearch(pathlib.Path(tmp))
        t0 = time.perf_counter()
        engine.rebuild(corpus)
        build_s = time.perf_counter() - t0
        rows.append(("index build", f"{build_s:.1f} s", "<= 60 s"))

        # first searches open the searchers and load the fuzzy vocabulary
        t0 = time.perf_counter()
        engine.search("Rücksedung", "de")
        engine.search("retrun label", "en")
        warm_ms = (time.perf_counter() - t0) * 1000
        rows.append(("first typo queries (load vocab)", f"{warm_ms:.0f} ms", "one-off"))

        for q, lang, _ in queries[:50]:
            engine.search(q, lang)
        lat: dict[str, list[float]] = {}
        every: list[float] = []
        n_empty = 0
        for q, lang, kind in queries:
            t0 = time.perf_counter()
            res = engine.search(q, lang)
            ms = (time.perf_counter() - t0) * 1000
            every.append(ms)
            lat.setdefault(kind, []).append(ms)
            n_empty += not res.hits
        rows.append((f"search p50 ({len(every)} queries)", f"{pct(every, 50):.1f} ms", "<= 5 ms"))
        rows.append(("search p99", f"{pct(every, 99):.1f} ms", "<= 25 ms"))
        rows.append(("search max", f"{max(every):.1f} ms", ""))
        for kind in sorted(lat):
            v = lat[kind]
            rows.append(
                (f"  {kind} (n={len(v)}) p50 / p99", f"{pct(v, 50):.1f} / {pct(v, 99):.1f} ms", "")
            )

        # 4 threads at once: throughput and no errors
        errors: list[BaseException] = []
        done = [0]
        lock = threading.Lock()

        def worker(k: int) -> None:
            try:
                for q, lang, _ in queries[k::4][:100]:
                    engine.search(q, lang)
                    with lock:
                        done[0] += 1
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        par_s = time.perf_counter() - t0
        rows.append(
            ("4 threads: searches/s (errors)", f"{done[0] / par_s:.0f}/s ({len(errors)})", "")
        )
        # edit one article, then poll until the search finds the edit
        vis: list[float] = []
        for i in range(5):
            base = corpus[i * 7]
            marker = f"Zebrafisch{i}kühlung" if base.lang == "de" else f"zebrafish{i}cooling"
            edited = ArticleDoc(
                base.id,
                base.lang,
                f"{base.title} {marker}",
                base.category,
                base.body + f"\n\nNeu: {marker}.",
                base.tags,
            )
            t0 = time.perf_counter()
            engine.upsert(edited)
            while not any(h.id == base.id for h in engine.search(marker, base.lang).hits):
                if time.perf_counter() - t0 > 10:
                    break
            vis.append(time.perf_counter() - t0)
        rows.append(
            (
                "upsert until searchable (median / max of 5)",
                f"{statistics.median(vis) * 1000:.0f} / {max(vis) * 1000:.0f} ms",
                "<= 1 s",
            )
        )

        # right after an edit the postings cache is cold
        cold: list[float] = []
        for q, lang, _ in queries[:100]:
            t0 = time.perf_counter()
            engine.search(q, lang)
            cold.append((time.perf_counter() - t0) * 1000)
        rows.append(
            (
                "search p50 / p99 right after an edit (cold cache)",
                f"{pct(cold, 50):.1f} / {pct(cold, 99):.1f} ms",
                "",
            )
        )
        engine.close()

    n_de = int(args.articles * args.de_share)
    print(
        f"FAQ search speed: {args.articles} articles ({n_de} de, {args.articles - n_de} en), "
        f"generated in {gen_s:.1f} s; {len(queries)} queries, {n_empty} without hits"
    )
    print()
    w = max(len(r[0]) for r in rows)
    print(f"{'measure':<{w}}  {'value':>18}  target")
    for name, val, target in rows:
        print(f"{name:<{w}}  {val:>18}  {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
