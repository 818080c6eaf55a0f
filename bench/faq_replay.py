"""Replay: how much the search gains from learning what customers found (feedback.learning).

Usage (from the repo root):
    .venv/bin/python bench/faq_replay.py               # every evaluation set
    .venv/bin/python bench/faq_replay.py --sessions 5  # simulated sessions per query

Per set, the answerable queries are split in half by a hash of their text (the same split
as ``faq_quality.py --half``). The first half plays the customers: each query is searched in
``--sessions`` distinct sessions (other networks), and when its expected article is among
the ten results shown, the customer opens it and votes it helpful. These outcomes go
through the real aggregation (threshold, decay, cap) into the index's learned field. The
second half's queries, none of them a query of the first half, are then scored before and
after: R@1, R@3 and MRR, for the paraphrases and for all kinds; and, for comparison, the
first half's own queries typed again by later customers.

Poisoning check: one session repeating a wrong query-article pair 200 times must leave the
learned phrasings (and so every result) unchanged.

The sets are used only as simulated customers here, never to tune anything.
"""

from __future__ import annotations

import argparse
import pathlib
import sys
import tempfile
from datetime import UTC, datetime, timedelta

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.append(str(ROOT / "bench"))

from faq_quality import EvalSet, half_of, known_sets, load_docs, load_eval  # noqa: E402

from faq.search import FaqSearch  # noqa: E402
from feedback.learning import LearningConfig, aggregate, verdicts  # noqa: E402
from feedback.outcomes import normalise  # noqa: E402

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


def session_steps(query: str, lang: str, article: str, visitor: str, at: datetime) -> list[dict]:
    """A search shown, its article opened and voted helpful, as feedback.outcomes stores it."""
    step = {"query": "", "lang": lang, "article": article, "visitor": "", "created_at": at}
    return [
        {**step, "step": "shown", "query": normalise(query), "article": "", "visitor": visitor},
        {**step, "step": "opened"},
        {**step, "step": "helpful"},
    ]


def scores(engine: FaqSearch, items: list[dict]) -> dict[str, tuple[int, int, float, int]]:
    """(R@1 hits, R@3 hits, MRR sum, n) for the paraphrases and for all queries."""
    out = {"paraphrase": [0, 0, 0.0, 0], "all": [0, 0, 0.0, 0]}
    for it in items:
        ids = [h.id for h in engine.search(it["q"], it["lang"], limit=10).hits]
        rank = next((i + 1 for i, x in enumerate(ids) if x in it["expected"]), None)
        for key in ("paraphrase", "all") if it.get("kind") == "paraphrase" else ("all",):
            row = out[key]
            row[0] += rank == 1
            row[1] += bool(rank and rank <= 3)
            row[2] += 1.0 / rank if rank else 0.0
            row[3] += 1
    return {k: tuple(v) for k, v in out.items()}


def replay(
    eval_set: EvalSet, sessions: int, config: LearningConfig, shown_only: bool = True
) -> dict:
    docs = load_docs(eval_set.content)
    items = [it for it in load_eval(eval_set.queries) if it.get("expected")]
    teach = [it for it in items if half_of(it["q"]) == "a"]
    taught = {normalise(it["q"]) for it in teach}
    test = [it for it in items if half_of(it["q"]) == "b" and normalise(it["q"]) not in taught]
    with tempfile.TemporaryDirectory() as tmp:
        engine = FaqSearch(pathlib.Path(tmp))
        engine.rebuild(docs)
        before, again_before = scores(engine, test), scores(engine, teach)
        found, fed = [], 0
        for n, it in enumerate(teach):
            shown = [h.id for h in engine.search(it["q"], it["lang"], limit=10).hits]
            article = next((x for x in it["expected"] if x in shown or not shown_only), None)
            if article is None:
                continue  # the customer never saw the right article
            fed += 1
            for s in range(sessions):
                at = NOW - timedelta(days=(n + s) % 30)
                found += verdicts(
                    session_steps(it["q"], it["lang"], article, f"{s:04x}", at), config
                )
        learned = aggregate(found, NOW, config)
        # poisoning: one session, a wrong pair, 200 times
        wrong = next(
            d.id for d in docs if d.id not in test[0]["expected"] and d.lang == test[0]["lang"]
        )
        poison = [
            v
            for _ in range(200)
            for v in verdicts(
                session_steps(test[0]["q"], test[0]["lang"], wrong, "beef", NOW), config
            )
        ]
        poisoned = aggregate(found + poison, NOW, config) == learned
        engine.set_learned({key: [p.phrase for p in ps] for key, ps in learned.items()})
        engine.rebuild(docs)
        after, again_after = scores(engine, test), scores(engine, teach)
        engine.close()
    phrases = sum(len(ps) for ps in learned.values())
    covered = sum(
        1
        for it in test
        if it.get("kind") == "paraphrase"
        and any((x, it["lang"]) in learned for x in it["expected"])
    )
    return {
        "covered": covered,
        "again": (again_before["all"], again_after["all"]),
        "before": before,
        "after": after,
        "teach": len(teach),
        "fed": fed,
        "test": len(test),
        "phrases": phrases,
        "articles": len(learned),
        "poison_ok": poisoned,
    }


def _fmt(row: tuple[int, int, float, int]) -> str:
    r1, r3, mrr, n = row
    return f"{r1 / n:.2f} {r3 / n:.2f} {mrr / n:.2f}" if n else "   -    -    -"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sessions", type=int, default=3, help="distinct sessions per taught query"
    )
    parser.add_argument("--set", help="only this set (name as in faq_quality.py)")
    parser.add_argument(
        "--found-anyway",
        action="store_true",
        help="customers reach the right article even when the search did not show it "
        "(an upper bound: outcomes are only linked to searches that showed it)",
    )
    args = parser.parse_args()
    config = LearningConfig(min_sessions=3)
    print(
        f"learning: min_sessions={config.min_sessions} half_life={config.half_life_days:g} d "
        f"max_phrases={config.max_phrases}; {args.sessions} sessions per taught query\n"
    )
    head = (
        f"{'set':<15} {'taught':>6} {'fed':>4} {'learned':>7} {'test':>4} {'para':>4} {'cov':>3}  "
        f"{'paraphrase R@1 R@3 MRR':>25}  {'all kinds R@1 R@3 MRR':>25}  {'taught again R@1 R@3 MRR':>25}  poison"
    )
    print(head)
    print("-" * len(head))
    for eval_set in known_sets():
        if args.set and eval_set.name != args.set:
            continue
        r = replay(eval_set, args.sessions, config, shown_only=not args.found_anyway)
        b, a = r["before"], r["after"]
        print(
            f"{eval_set.name:<15} {r['teach']:>6} {r['fed']:>4} {r['phrases']:>7} {r['test']:>4} "
            f"{b['paraphrase'][3]:>4} {r['covered']:>3}  {_fmt(b['paraphrase'])} -> {_fmt(a['paraphrase'])}  "
            f"{_fmt(b['all'])} -> {_fmt(a['all'])}  "
            f"{_fmt(r['again'][0])} -> {_fmt(r['again'][1])}  {'ok' if r['poison_ok'] else 'CHANGED'}"
        )
    print(
        "\ntaught: first-half queries; fed: those whose right article was shown (customers"
        " opened it and voted helpful);\nlearned: phrasings indexed; test: second-half queries"
        " (none equal to a taught one); para: paraphrases among them;\n"
        "cov: paraphrases whose article has learned phrasings; taught again: the first half's own"
        " queries typed by later customers."
    )


if __name__ == "__main__":
    main()
