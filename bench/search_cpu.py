"""CPU time per FAQ search on distinct queries, in-process, on the demo FAQ and on a
generated corpus; optionally where that time goes (cProfile).

Usage (from the repo root):
    .venv/bin/python bench/search_cpu.py [--n 3000] [--articles 10000] [--profile 25]

Queries come from bench/distinct_queries.py, so no two are alike (as on a live site, where
suggestions send every prefix typed). Each corpus gets a warm-up pass over other distinct
queries first (caches of words and postings fill as they would in a running process),
then the measured pass. Prints CPU ms per search (process time: mean, p50, p99) for the
full search (with snippets) and for the suggestion path (``typeahead``: no snippets);
with ``--profile N`` the top N functions of a third pass (full searches, cumulative time).

``--semantic`` turns the optional semantic stage on (needs the "semantic" extra) and
measures once every article is embedded. The demo FAQ's embeddings are real (kept in
bench/.embeddings); the generated corpus gets random unit vectors planted in a temporary
embedding cache, since embedding 10,000 articles takes over an hour of CPU and the values
do not change what a search costs (one query embedding, one matrix product, the fusion).
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import inspect
import io
import pathlib
import pstats
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from distinct_queries import distinct_queries  # noqa: E402
from faq_quality import EMBEDDINGS, load_docs  # noqa: E402

from faq.search import TUNING, FaqSearch  # noqa: E402


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))]


def plant_embeddings(docs, directory: pathlib.Path) -> pathlib.Path:
    """Random unit vectors as the articles' cached embeddings (for timing only)."""
    import numpy as np

    from faq.search.semantic import DIM, EmbeddingCache, passage_text

    cache, rng = EmbeddingCache(directory), np.random.default_rng(7)
    for doc in docs:
        vector = rng.standard_normal(DIM).astype(np.float32)
        cache.put(passage_text(doc, TUNING.semantic_chars), vector / np.linalg.norm(vector))
    return directory


def measure(engine: FaqSearch, queries, typeahead: bool) -> list[float]:
    # an engine without the suggestion path (before it existed) runs the full search
    light = {"snippets": False} if "snippets" in inspect.signature(engine.search).parameters else {}
    out = []
    for q, lang, _ in queries:
        t0 = time.process_time()
        if typeahead:
            engine.search(q, lang, limit=6, **light)
        else:
            engine.search(q, lang, limit=10)
        out.append((time.process_time() - t0) * 1000)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--n", type=int, default=3000, help="measured queries per corpus")
    ap.add_argument(
        "--articles", type=int, default=10_000, help="generated corpus size (0: demo only)"
    )
    ap.add_argument("--profile", type=int, default=0, help="print the top N functions (cumulative)")
    ap.add_argument("--semantic", action="store_true", help="with the semantic stage on")
    args = ap.parse_args(argv)
    tuning = dataclasses.replace(TUNING, semantic=args.semantic)
    every = distinct_queries(3 * args.n)
    warm, queries, profiled = every[: args.n], every[args.n : 2 * args.n], every[2 * args.n :]
    corpora = [("demo FAQ", load_docs(ROOT / "faq" / "content"))]
    if args.articles:
        from faq_search import make_corpus

        corpora.append((f"{args.articles} articles", make_corpus(args.articles, 0.7)))
    print(f"CPU ms per search, {len(queries)} distinct queries after {len(warm)} others as warm-up")
    print(f"{'corpus':16} {'path':10} {'mean':>6} {'p50':>6} {'p99':>6}")
    for name, docs in corpora:
        with tempfile.TemporaryDirectory() as tmp:
            embeddings = None
            if args.semantic:
                embeddings = (
                    EMBEDDINGS
                    if name == "demo FAQ"
                    else plant_embeddings(docs, pathlib.Path(tmp) / "embeddings")
                )
            engine = FaqSearch(pathlib.Path(tmp) / "index", tuning, embeddings_dir=embeddings)
            t0 = time.perf_counter()
            engine.rebuild(docs)
            if args.semantic:
                built = time.perf_counter() - t0
                engine.wait_for_embeddings()
                print(
                    f"{name}: index ready after {built:.1f} s, "
                    f"embeddings after {time.perf_counter() - t0:.1f} s"
                )
            measure(engine, warm, typeahead=False)
            for path, typeahead in (("search", False), ("typeahead", True)):
                ms = measure(engine, queries, typeahead)
                print(
                    f"{name:16} {path:10} {sum(ms) / len(ms):6.2f} {pct(ms, 50):6.2f} {pct(ms, 99):6.2f}"
                )
            if args.profile:  # other queries again, so that the figures above are not slowed
                profiler = cProfile.Profile()
                profiler.enable()
                measure(engine, profiled, typeahead=False)
                profiler.disable()
                buffer = io.StringIO()
                stats = pstats.Stats(profiler, stream=buffer).sort_stats("cumulative")
                stats.print_stats(args.profile)
                print(
                    "\n".join(line for line in buffer.getvalue().splitlines()[4:] if line.strip())
                )
            engine.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
