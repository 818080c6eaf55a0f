"""Search quality of the FAQ engine on bench/faq_eval.yaml.

Usage (from the repo root):
    .venv/bin/python bench/faq_quality.py [--verbose] [--half a|b] [--lang de|en]
        [--content DIR] [--eval FILE]

Out-of-sample check (a second corpus the engine was not developed on):
    .venv/bin/python bench/faq_quality.py --content bench/holdout/content --eval bench/holdout/eval.yaml
    .venv/bin/python bench/faq_quality.py --content bench/holdout/content --eval bench/holdout/eval_fresh.yaml

Builds an index of faq/content in a temporary directory, runs every evaluation
query and prints recall@1, recall@3 and MRR per kind and overall (answerable
queries), the share of "noanswer" queries answered with no results, and the
share of answerable queries that got no results. ``--half`` evaluates a stable
half of the queries (split by a hash of the query text) to check that tuning on
one half carries over to the other.
"""

from __future__ import annotations

import argparse
import hashlib
import pathlib
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from faq.documents import ArticleDoc  # noqa: E402
from faq.search import FaqSearch  # noqa: E402
from shared.regional import LANGUAGES  # noqa: E402

KIND_ORDER = ["exact", "paraphrase", "typo", "umlaut", "inflection", "compound", "colloquial", "long"]


def load_docs(directory: pathlib.Path) -> list[ArticleDoc]:
    """Articles from ``<id>.<lang>.md`` files with YAML front matter."""
    docs = []
    for path in sorted(pathlib.Path(directory).glob("*.md")):
        raw = path.read_text(encoding="utf-8")
        if not raw.startswith("---"):
            continue
        _, front, body = raw.split("---", 2)
        meta = yaml.safe_load(front) or {}
        tags = meta.get("tags") or []
        if isinstance(tags, str):
            tags = [t.strip() for t in tags.split(",") if t.strip()]
        docs.append(
            ArticleDoc(
                id=str(meta["id"]),
                lang=str(meta["lang"]),
                title=str(meta.get("title", "")),
                category=str(meta.get("category", "")),
                body=body.strip(),
                tags=tuple(str(t) for t in tags),
            )
        )
    return docs


def load_eval(path: pathlib.Path) -> list[dict]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if isinstance(data, dict):
        for key in ("queries", "items", "eval"):
            if key in data:
                data = data[key]
                break
    return list(data)


def half_of(q: str) -> str:
    return "a" if hashlib.sha1(q.encode("utf-8")).digest()[0] % 2 == 0 else "b"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--content", type=pathlib.Path, default=ROOT / "faq" / "content",
                    help="directory of <id>.<lang>.md articles (default: faq/content)")
    ap.add_argument("--eval", type=pathlib.Path, default=ROOT / "bench" / "faq_eval.yaml",
                    help="evaluation set (default: bench/faq_eval.yaml)")
    ap.add_argument("--verbose", "-v", action="store_true", help="list misses with the pipeline's view")
    ap.add_argument("--half", choices=["a", "b"], help="evaluate one stable half of the queries")
    ap.add_argument("--lang", choices=LANGUAGES)
    args = ap.parse_args(argv)

    docs = load_docs(args.content)
    items = load_eval(args.eval)
    if args.half:
        items = [it for it in items if half_of(it["q"]) == args.half]
    if args.lang:
        items = [it for it in items if it.get("lang") == args.lang]

    with tempfile.TemporaryDirectory() as tmp:
        engine = FaqSearch(pathlib.Path(tmp))
        t0 = time.perf_counter()
        engine.rebuild(docs)
        build_s = time.perf_counter() - t0
        stats: dict[str, dict] = {}
        misses: list[str] = []
        t0 = time.perf_counter()
        for it in items:
            q, lang, kind = it["q"], it["lang"], it.get("kind", "?")
            expected = list(it.get("expected") or [])
            res = engine.search(q, lang, limit=10)
            ids = [h.id for h in res.hits]
            st = stats.setdefault(kind, {"n": 0, "r1": 0, "r3": 0, "mrr": 0.0, "empty": 0})
            st["n"] += 1
            if not ids:
                st["empty"] += 1
            if not expected:
                if ids:
                    misses.append(f"[noanswer] {lang} {q!r} -> {ids[:3]}")
                    if args.verbose:
                        misses.append(f"    {engine.explain(q, lang)}")
                continue
            rank = next((i + 1 for i, x in enumerate(ids) if x in expected), None)
            if rank == 1:
                st["r1"] += 1
            if rank and rank <= 3:
                st["r3"] += 1
            if rank:
                st["mrr"] += 1.0 / rank
            if rank != 1:
                misses.append(f"[{kind}] {lang} {q!r} expected {expected} got {ids[:3]} (rank {rank})")
                if args.verbose:
                    misses.append(f"    {engine.explain(q, lang)}")
        search_s = time.perf_counter() - t0
        engine.close()

    print(f"FAQ search quality: {len(docs)} articles, {len(items)} queries"
          + (f" (half {args.half})" if args.half else "") + (f" (lang {args.lang})" if args.lang else ""))
    print(f"index build {build_s * 1000:.0f} ms, {len(items)} searches {search_s * 1000:.0f} ms")
    print()
    print(f"{'kind':<12} {'n':>4} {'R@1':>6} {'R@3':>6} {'MRR':>6} {'empty':>6}")
    kinds = [k for k in KIND_ORDER if k in stats] + sorted(k for k in stats if k not in KIND_ORDER and k != "noanswer")
    tot = {"n": 0, "r1": 0, "r3": 0, "mrr": 0.0, "empty": 0}
    for k in kinds:
        st = stats[k]
        for key in tot:
            tot[key] += st[key]
        n = st["n"]
        print(f"{k:<12} {n:>4} {st['r1'] / n:>6.2f} {st['r3'] / n:>6.2f} {st['mrr'] / n:>6.2f} {st['empty'] / n:>6.2f}")
    if tot["n"]:
        n = tot["n"]
        print(f"{'answerable':<12} {n:>4} {tot['r1'] / n:>6.2f} {tot['r3'] / n:>6.2f} {tot['mrr'] / n:>6.2f} {tot['empty'] / n:>6.2f}")
    if "noanswer" in stats:
        st = stats["noanswer"]
        print(f"{'noanswer':<12} {st['n']:>4} {'':>6} {'':>6} {'':>6} {st['empty'] / st['n']:>6.2f}")
    print()
    print("targets: R@3 >= 0.95 and R@1 >= 0.85 overall, R@3 >= 0.85 per kind,")
    print("         noanswer empty >= 0.80, answerable empty <= 0.05")
    if args.verbose and misses:
        print()
        print(f"misses ({len(misses)} lines):")
        for m in misses:
            print("  " + m)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
