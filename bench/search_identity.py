"""Are search results unchanged by a change to the engine? Records what thousands of
distinct queries return and compares a later run with the record.

Usage (from the repo root):
    .venv/bin/python bench/search_identity.py --record /tmp/before.jsonl   # on the old code
    .venv/bin/python bench/search_identity.py --compare /tmp/before.jsonl  # on the new code
Options: --n 6000 distinct queries (bench/distinct_queries.py), --articles 0 (the demo FAQ;
N: also a generated corpus of N articles, as bench/faq_search.py makes it).

Per query it keeps the ranked article ids with their confidence (what must not change),
and the total, scores, did-you-mean and snippets (reported apart). Prints the number of
queries compared and of those that differ, with the first differences.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from distinct_queries import distinct_queries  # noqa: E402
from faq_quality import load_docs  # noqa: E402

from faq.search import FaqSearch  # noqa: E402


def run(corpus_name: str, docs, queries, tmp: pathlib.Path) -> list[dict]:
    engine = FaqSearch(tmp / corpus_name)
    engine.rebuild(docs)
    out = []
    for q, lang, kind in queries:
        result = engine.search(q, lang, limit=10)
        out.append(
            {
                "corpus": corpus_name,
                "q": q,
                "lang": lang,
                "kind": kind,
                "ranked": [[h.id, h.confidence] for h in result.hits],
                "scores": [h.score for h in result.hits],
                "snippets": [h.snippet for h in result.hits],
                "total": result.total,
                "did_you_mean": result.did_you_mean,
            }
        )
    engine.close()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    group = ap.add_mutually_exclusive_group(required=True)
    group.add_argument("--record", type=pathlib.Path)
    group.add_argument("--compare", type=pathlib.Path)
    ap.add_argument("--n", type=int, default=6000)
    ap.add_argument("--articles", type=int, default=0)
    args = ap.parse_args(argv)
    queries = distinct_queries(args.n)
    corpora = [("demo", load_docs(ROOT / "faq" / "content"))]
    if args.articles:
        from faq_search import make_corpus

        corpora.append((f"generated {args.articles}", make_corpus(args.articles, 0.7)))
    rows: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, docs in corpora:
            rows += run(name, docs, queries, pathlib.Path(tmp))
    if args.record:
        args.record.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
        print(
            f"recorded {len(rows)} searches ({len(queries)} distinct queries x {len(corpora)} corpora)"
        )
        return 0
    before = [json.loads(line) for line in args.compare.read_text().splitlines()]
    if [(r["corpus"], r["q"], r["lang"]) for r in before] != [
        (r["corpus"], r["q"], r["lang"]) for r in rows
    ]:
        print("the recorded queries differ from these (another --n or --articles?)")
        return 2
    differ = {"ranked": 0, "scores": 0, "snippets": 0, "total": 0, "did_you_mean": 0}
    shown = 0
    for old, new in zip(before, rows, strict=True):
        for key in differ:
            if old[key] != new[key]:
                differ[key] += 1
                if shown < 10:
                    shown += 1
                    print(
                        f"  {key} differs: {old['corpus']} {old['lang']} {old['q'][:80]!r}\n"
                        f"    before {old[key]}\n    after  {new[key]}"
                    )
    print(
        f"{len(rows)} searches compared ({len(queries)} distinct queries x {len(corpora)} corpora); "
        "differing: " + ", ".join(f"{k} {v}" for k, v in differ.items())
    )
    return 1 if differ["ranked"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
