"""What the FAQ search learns from outcomes: the phrasings customers found an article with.

A search's steps (`feedback.outcomes`) give a verdict per article it led to: voted helpful
(+1), opened without a vote and without a case (+OPENED, weaker: reading is not agreeing),
voted not helpful or followed by a case (-1). A (query, article) pair is learned, its
normalised query indexed as the article's `learned` field (`FaqService.set_learned`), when

* at least `min_sessions` distinct *sessions* gave it a positive verdict, and
* its decayed score (each verdict halved every `half_life_days`, negatives subtracted)
  reaches half of `min_sessions`, so old or disputed evidence fades out;

at most `max_phrases` per article (the best scores).

Sessions without a visitor id: outcomes store none by design. A session is the day and the
visitor bucket of the search (`outcomes.visitor_bucket`: 16 bits of a daily keyed hash of
the network, which identifies nobody and links no two days). Per session and pair only its
latest verdict counts, so one client repeating a wrong query-article pair a hundred times
is one session; searches without a bucket (no address known) share one session per day.
Counting distinct search ids would not do: every search gets a fresh id. A person can still
come back on other days or from other networks; the threshold, the decay, negative
evidence and the editor's review (`remove`) are the defence against that.

Editors see the phrasings in the reports: `promote` makes one a tag of the article,
`remove` drops it; evidence up to the removal no longer counts, so it does not come back
from the same customers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from faq.service import FaqService
from feedback.models import PhraseDecision, SearchOutcome
from feedback.outcomes import CASE, HELPFUL, NOT_HELPFUL, OPENED, SHOWN

REMOVED, PROMOTED = "removed", "promoted"
#: Search ids read from the database per query.
_CHUNK = 500


@dataclass(frozen=True, slots=True)
class LearningConfig:
    """Knobs of learning (from the `PORTAL_LEARN_*` settings)."""

    min_sessions: int = 3
    half_life_days: float = 90.0
    max_phrases: int = 5
    #: Verdict of an article opened without a vote and without a case.
    opened: float = 0.5
    #: Longer queries (pasted messages) are not phrasings.
    max_words: int = 8

    @classmethod
    def from_settings(cls, settings) -> LearningConfig:
        """From the portal's `PORTAL_LEARN_*` settings."""
        return cls(
            settings.learn_min_sessions, settings.learn_half_life_days, settings.learn_max_phrases
        )

    @property
    def window(self) -> timedelta:
        """Outcomes older than this weigh less than 1/16 and are not read."""
        return timedelta(days=4 * self.half_life_days)


@dataclass(frozen=True, slots=True)
class Verdict:
    """What one search said about one article for its query."""

    lang: str
    query: str
    article: str
    value: float
    at: datetime
    session: tuple


@dataclass(frozen=True, slots=True)
class Phrasing:
    lang: str
    article: str
    phrase: str
    sessions: int  # distinct sessions with a positive verdict
    score: float  # decayed sum of the verdicts


def verdicts(steps: Sequence[dict], config: LearningConfig) -> list[Verdict]:
    """The verdicts of one search's steps (oldest first); none without a shown query."""
    shown = next((s for s in steps if s["step"] == SHOWN), None)
    if shown is None or not shown["query"] or len(shown["query"].split()) > config.max_words:
        return []
    value: dict[str, float] = {}
    for step in steps:
        kind, article = step["step"], step["article"]
        if step["lang"] != shown["lang"] and kind != CASE:
            continue  # an article in another language does not learn this query
        if kind == OPENED:
            value.setdefault(article, config.opened)
        elif kind == HELPFUL:
            value[article] = 1.0
        elif kind == NOT_HELPFUL:
            value[article] = -1.0
        elif kind == CASE:  # what was opened before did not help
            value = dict.fromkeys(value, -1.0)
    session = (shown["created_at"].date(), shown.get("visitor") or "")
    return [
        Verdict(shown["lang"], shown["query"], article, v, shown["created_at"], session)
        for article, v in value.items()
        if article
    ]


def aggregate(
    found: Iterable[Verdict],
    now: datetime,
    config: LearningConfig,
    decisions: dict[tuple[str, str, str], tuple[str, datetime]] | None = None,
) -> dict[tuple[str, str], list[Phrasing]]:
    """Learned phrasings per (article, lang), best first.

    `decisions`: (lang, article, phrase) -> (action, when) of the editors; a promoted
    phrasing is a tag now, a removed one counts only evidence newer than its removal.
    """
    decisions = decisions or {}
    latest: dict[tuple, Verdict] = {}
    for v in found:
        decision = decisions.get((v.lang, v.article, v.query))
        if decision and (decision[0] == PROMOTED or v.at <= decision[1]):
            continue
        key = (v.lang, v.query, v.article, v.session)
        if key not in latest or latest[key].at <= v.at:
            latest[key] = v
    sessions: dict[tuple, int] = defaultdict(int)
    score: dict[tuple, float] = defaultdict(float)
    for (lang, query, article, _), v in latest.items():
        age = max(0.0, (now - v.at).total_seconds() / 86400)
        score[lang, query, article] += v.value * 0.5 ** (age / config.half_life_days)
        if v.value > 0:
            sessions[lang, query, article] += 1
    learned: dict[tuple[str, str], list[Phrasing]] = defaultdict(list)
    for (lang, query, article), n in sessions.items():
        total = score[lang, query, article]
        if n >= config.min_sessions and total >= config.min_sessions / 2:
            learned[article, lang].append(Phrasing(lang, article, query, n, round(total, 2)))
    return {
        key: sorted(items, key=lambda p: (-p.score, p.phrase))[: config.max_phrases]
        for key, items in learned.items()
    }


# -- the database side --------------------------------------------------------------------------
async def _searches(since: datetime) -> list[list[dict]]:
    """The steps of every search since `since` that led somewhere (opened, voted, case)."""
    acted = await (
        SearchOutcome.filter(created_at__gte=since, step__in=[OPENED, HELPFUL, NOT_HELPFUL, CASE])
        .distinct()
        .values_list("search", flat=True)
    )
    ids = sorted(set(acted))
    searches: dict[str, list[dict]] = defaultdict(list)
    for start in range(0, len(ids), _CHUNK):
        rows = (
            await SearchOutcome.filter(search__in=ids[start : start + _CHUNK])
            .order_by("created_at", "id")
            .values("search", "step", "query", "lang", "article", "visitor", "created_at")
        )
        for row in rows:
            searches[row["search"]].append(row)
    return list(searches.values())


async def _decisions() -> dict[tuple[str, str, str], tuple[str, datetime]]:
    rows = await PhraseDecision.all().values("lang", "article", "phrase", "action", "decided_at")
    return {(r["lang"], r["article"], r["phrase"]): (r["action"], r["decided_at"]) for r in rows}


async def learned(
    config: LearningConfig, now: datetime | None = None
) -> dict[tuple[str, str], list[Phrasing]]:
    """The phrasings learned from the outcomes in the database, per (article, lang)."""
    now = now or datetime.now(UTC)
    found = [v for steps in await _searches(now - config.window) for v in verdicts(steps, config)]
    return aggregate(found, now, config, await _decisions())


async def refresh(faq: FaqService, config: LearningConfig) -> int:
    """Bring this process's index up to date with what was learned (a periodic job);
    returns the number of articles re-indexed."""
    phrasings = await learned(config)
    return await faq.set_learned(
        {key: [p.phrase for p in items] for key, items in phrasings.items()}
    )


async def _decide(lang: str, article: str, phrase: str, action: str) -> None:
    await PhraseDecision.update_or_create(
        {"action": action, "decided_at": datetime.now(UTC)},
        lang=lang,
        article=article,
        phrase=phrase,
    )


async def remove(
    faq: FaqService, config: LearningConfig, lang: str, article: str, phrase: str
) -> None:
    """Drop a learned phrasing; only evidence after now can bring it back."""
    await _decide(lang, article, phrase, REMOVED)
    await refresh(faq, config)


async def promote(
    faq: FaqService, config: LearningConfig, lang: str, article: str, phrase: str
) -> bool:
    """Make a learned phrasing a tag of its article; False when the article is gone."""
    if not await faq.add_tag(article, lang, phrase):
        return False
    await _decide(lang, article, phrase, PROMOTED)
    await refresh(faq, config)
    return True
