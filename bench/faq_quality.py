"""Search quality of the FAQ engine on every evaluation set, side by side.

Usage (from the repo root):
    .venv/bin/python bench/faq_quality.py                 # all sets, one row each
    .venv/bin/python bench/faq_quality.py --set demo -v   # one set: per kind, and its misses
    .venv/bin/python bench/faq_quality.py --content DIR --eval FILE [--half a|b] [--lang de|en]

Sets: the demo FAQ (``faq/content`` + ``bench/faq_eval.yaml``), the municipal-utility
holdout (``bench/holdout``: three query sets) and every ``bench/eval/<domain>/``
(``content/`` + ``eval.yaml``). The demo and holdout sets were used while developing the
engine (marked "tuned"); the ``bench/eval`` sets were written blind and are never tuned on.
Their misses must not be read to add synonyms, rules or weights (bench/eval/*/README.md).

Per set: recall@1, recall@3 and MRR over the answerable queries (whatever the confidence),
recall@3 of the paraphrase and long-message kinds, the share of "no answer" queries left
without an answer, the share of answerable queries left without one (both: no hit shown
as "high" or "medium", which is what the search page presents as an answer), and the
calibration: for each confidence level of the top hit, how many top hits had it and the
share of them that were right.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import pathlib
import sys
import tempfile
import time
from dataclasses import dataclass, field

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from faq.documents import ArticleDoc  # noqa: E402
from faq.search import TUNING, FaqSearch  # noqa: E402
from shared.regional import LANGUAGES  # noqa: E402

KIND_ORDER = [
    "exact",
    "paraphrase",
    "typo",
    "umlaut",
    "inflection",
    "compound",
    "colloquial",
    "long",
]
LEVELS = ("high", "medium", "low")
ANSWERED = ("high", "medium")


@dataclass(frozen=True)
class EvalSet:
    name: str
    content: pathlib.Path
    queries: pathlib.Path
    tuned: bool


#: article embeddings kept between runs (semantic stage; by content, so never stale)
EMBEDDINGS = ROOT / "bench" / ".embeddings"


def known_sets() -> list[EvalSet]:
    holdout = ROOT / "bench" / "holdout"
    sets = [
        EvalSet("demo", ROOT / "faq" / "content", ROOT / "bench" / "faq_eval.yaml", True),
        EvalSet("holdout", holdout / "content", holdout / "eval.yaml", True),
        EvalSet("holdout fresh", holdout / "content", holdout / "eval_fresh.yaml", True),
        EvalSet("holdout fresh2", holdout / "content", holdout / "eval_fresh2.yaml", True),
        # development sets of compounds, long messages and colloquial wording (issue 16)
        EvalSet("demo dev", ROOT / "faq" / "content", ROOT / "bench" / "faq_eval_dev.yaml", True),
        EvalSet("holdout dev", holdout / "content", holdout / "eval_dev.yaml", True),
    ]
    for domain in sorted((ROOT / "bench" / "eval").glob("*/eval.yaml")):
        sets.append(EvalSet(domain.parent.name, domain.parent / "content", domain, False))
    return sets


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


@dataclass
class KindStats:
    n: int = 0
    r1: int = 0
    r3: int = 0
    mrr: float = 0.0
    empty: int = 0  # no hit shown as an answer (high or medium)

    def add(self, other: KindStats) -> None:
        for f in dataclasses.fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))


@dataclass
class Report:
    articles: int = 0
    queries: int = 0
    build_s: float = 0.0
    search_s: float = 0.0
    kinds: dict[str, KindStats] = field(default_factory=dict)
    calibration: dict[str, list[int]] = field(default_factory=lambda: {lv: [0, 0] for lv in LEVELS})
    misses: list[str] = field(default_factory=list)

    def answerable(self) -> KindStats:
        total = KindStats()
        for kind, st in self.kinds.items():
            if kind != "noanswer":
                total.add(st)
        return total


def evaluate(
    docs: list[ArticleDoc],
    items: list[dict],
    verbose: bool = False,
    tuning=TUNING,
    curated_synonyms: bool = True,
) -> Report:
    report = Report(articles=len(docs), queries=len(items))
    with tempfile.TemporaryDirectory() as tmp:
        synonyms = None if curated_synonyms else pathlib.Path(tmp) / "none"
        engine = FaqSearch(
            pathlib.Path(tmp) / "index",
            tuning=tuning,
            synonyms_dir=synonyms,
            embeddings_dir=EMBEDDINGS,
        )
        t0 = time.perf_counter()
        engine.rebuild(docs)
        report.build_s = time.perf_counter() - t0
        engine.wait_for_embeddings()  # semantic stage: judged with every article embedded
        t0 = time.perf_counter()
        for it in items:
            _score_one(engine, it, report, verbose)
        report.search_s = time.perf_counter() - t0
        engine.close()
    return report


def _score_one(engine: FaqSearch, it: dict, report: Report, verbose: bool) -> None:
    q, lang, kind = it["q"], it["lang"], it.get("kind", "?")
    expected = list(it.get("expected") or [])
    hits = engine.search(q, lang, limit=10).hits
    ids = [h.id for h in hits]
    st = report.kinds.setdefault(kind, KindStats())
    st.n += 1
    if not any(h.confidence in ANSWERED for h in hits):
        st.empty += 1
    if hits:
        level = report.calibration[hits[0].confidence]
        level[0] += 1
        level[1] += hits[0].id in expected
    shown = [f"{h.id}:{h.confidence}" for h in hits[:3]]
    if not expected:
        if hits and hits[0].confidence in ANSWERED:
            report.misses.append(f"[noanswer] {lang} {q!r} -> {shown}")
            if verbose:
                report.misses.append(f"    {engine.explain(q, lang)}")
        return
    rank = next((i + 1 for i, x in enumerate(ids) if x in expected), None)
    st.r1 += rank == 1
    st.r3 += bool(rank and rank <= 3)
    st.mrr += 1.0 / rank if rank else 0.0
    if rank != 1:
        report.misses.append(f"[{kind}] {lang} {q!r} expected {expected} got {shown} (rank {rank})")
        if verbose:
            report.misses.append(f"    {engine.explain(q, lang)}")


def _share(a: float, n: int) -> str:
    return f"{a / n:.2f}" if n else "-"


def print_table(rows: list[tuple[EvalSet, Report]]) -> None:
    head = (
        f"{'set':<16} {'tuned':<5} {'art':>4} {'q':>4} {'R@1':>5} {'R@3':>5} {'MRR':>5} "
        f"{'para3':>5} {'long3':>5} {'noans':>7} {'ans∅':>5} | "
        + " ".join(f"{lv:>11}" for lv in LEVELS)
    )
    print(head)
    print("-" * len(head))
    for s, r in rows:
        ans = r.answerable()
        para = r.kinds.get("paraphrase", KindStats())
        long = r.kinds.get("long", KindStats())
        noans = r.kinds.get("noanswer", KindStats())
        cal = " ".join(
            f"{n:>4} {_share(right, n):>6}" for n, right in (r.calibration[lv] for lv in LEVELS)
        )
        print(
            f"{s.name:<16} {'yes' if s.tuned else 'no':<5} {r.articles:>4} {r.queries:>4} "
            f"{_share(ans.r1, ans.n):>5} {_share(ans.r3, ans.n):>5} {_share(ans.mrr, ans.n):>5} "
            f"{_share(para.r3, para.n):>5} {_share(long.r3, long.n):>5} "
            f"{f'{noans.empty}/{noans.n}':>7} {_share(ans.empty, ans.n):>5} | {cal}"
        )
    print()
    print(
        "R@k and MRR over answerable queries, whatever the confidence; para3/long3: R@3 of those kinds;"
    )
    print("noans: 'no answer' queries left without an answer (no hit shown as high or medium);")
    print(
        "ans∅: share of answerable queries left without one; per confidence level of the top hit:"
    )
    print("number of top hits and the share of them that were right. tuned: the set was used while")
    print("developing the engine, so its figures flatter it; the bench/eval sets are unseen.")


def print_detail(name: str, r: Report, verbose: bool) -> None:
    print(
        f"{name}: {r.articles} articles, {r.queries} queries; "
        f"index build {r.build_s * 1000:.0f} ms, searches {r.search_s * 1000:.0f} ms"
    )
    print(f"{'kind':<12} {'n':>4} {'R@1':>6} {'R@3':>6} {'MRR':>6} {'no answer':>10}")
    kinds = [k for k in KIND_ORDER if k in r.kinds] + sorted(
        k for k in r.kinds if k not in KIND_ORDER and k != "noanswer"
    )
    for k in kinds:
        st = r.kinds[k]
        print(
            f"{k:<12} {st.n:>4} {_share(st.r1, st.n):>6} {_share(st.r3, st.n):>6} "
            f"{_share(st.mrr, st.n):>6} {_share(st.empty, st.n):>10}"
        )
    ans = r.answerable()
    print(
        f"{'answerable':<12} {ans.n:>4} {_share(ans.r1, ans.n):>6} {_share(ans.r3, ans.n):>6} "
        f"{_share(ans.mrr, ans.n):>6} {_share(ans.empty, ans.n):>10}"
    )
    if "noanswer" in r.kinds:
        st = r.kinds["noanswer"]
        print(f"{'noanswer':<12} {st.n:>4} {'':>6} {'':>6} {'':>6} {_share(st.empty, st.n):>10}")
    print(
        "calibration (top hits, share right): "
        + ", ".join(f"{lv} {n} {_share(right, n)}" for lv, (n, right) in r.calibration.items())
    )
    if verbose and r.misses:
        print(f"\nmisses ({len(r.misses)} lines):")
        for m in r.misses:
            print("  " + m)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--set", help="only this set (by name), with per-kind figures")
    ap.add_argument("--content", type=pathlib.Path, help="directory of <id>.<lang>.md articles")
    ap.add_argument("--eval", type=pathlib.Path, help="evaluation set for --content")
    ap.add_argument(
        "--verbose", "-v", action="store_true", help="list misses with the pipeline's view"
    )
    ap.add_argument("--half", choices=["a", "b"], help="evaluate one stable half of the queries")
    ap.add_argument("--lang", choices=LANGUAGES)
    ap.add_argument(
        "--tuning",
        nargs="*",
        default=[],
        metavar="KNOB=VALUE",
        help="try other values of faq.search.Tuning (on the tuned sets only)",
    )
    ap.add_argument(
        "--no-curated-synonyms",
        action="store_true",
        help="without faq/synonyms.*.txt (written for the tuned sets): how the engine "
        "does where nobody wrote synonyms for the domain",
    )
    args = ap.parse_args(argv)
    knobs = {}
    for pair in args.tuning:
        key, value = pair.split("=", 1)
        kind = type(getattr(TUNING, key))
        knobs[key] = value.lower() in ("1", "true", "yes") if kind is bool else kind(value)
    tuning = dataclasses.replace(TUNING, **knobs)

    if args.content or args.eval:
        sets = [
            EvalSet(
                "custom",
                args.content or ROOT / "faq" / "content",
                args.eval or ROOT / "bench" / "faq_eval.yaml",
                False,
            )
        ]
    else:
        sets = [s for s in known_sets() if not args.set or s.name == args.set]
        if not sets:
            ap.error(f"no set named {args.set!r}: " + ", ".join(s.name for s in known_sets()))
    docs_by_dir: dict[pathlib.Path, list[ArticleDoc]] = {}
    rows = []
    for s in sets:
        docs = docs_by_dir.setdefault(s.content, load_docs(s.content))
        items = load_eval(s.queries)
        if args.half:
            items = [it for it in items if half_of(it["q"]) == args.half]
        if args.lang:
            items = [it for it in items if it.get("lang") == args.lang]
        rows.append((s, evaluate(docs, items, args.verbose, tuning, not args.no_curated_synonyms)))
    if len(rows) == 1:
        print_detail(rows[0][0].name, rows[0][1], args.verbose)
        print()
    print_table(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
