"""Aggregation of search outcomes into learned phrasings: threshold of distinct sessions,
decay, cap per article, negative evidence, and that one session cannot poison it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from feedback.learning import PROMOTED, REMOVED, LearningConfig, aggregate, verdicts
from feedback.outcomes import visitor_bucket

NOW = datetime(2026, 12, 5, 12, tzinfo=UTC)
CONFIG = LearningConfig(min_sessions=3, half_life_days=90, max_phrases=2)


def search(query, *steps, visitor="a1b2", at=NOW, lang="de"):
    """One search's steps: ("opened", "slug"), ("helpful", "slug"), ("case", "")..."""
    rows = [
        {
            "step": "shown",
            "query": query,
            "lang": lang,
            "article": "",
            "visitor": visitor,
            "created_at": at,
        }
    ]
    rows += [
        {
            "step": kind,
            "query": "",
            "lang": lang,
            "article": slug,
            "visitor": "",
            "created_at": at + timedelta(seconds=i + 1),
        }
        for i, (kind, slug) in enumerate(steps)
    ]
    return rows


def helpful(query, slug, visitor, at=NOW):
    return search(query, ("opened", slug), ("helpful", slug), visitor=visitor, at=at)


def learn(*searches, config=CONFIG, decisions=None):
    found = [v for steps in searches for v in verdicts(steps, config)]
    return aggregate(found, NOW, config, decisions)


def phrases(learned, slug="kohle", lang="de"):
    return [p.phrase for p in learned.get((slug, lang), [])]


def test_a_query_is_learned_after_enough_distinct_sessions():
    two = [helpful("geld zurück", "kohle", v) for v in ("0001", "0002")]
    assert learn(*two) == {}
    learned = learn(*two, helpful("geld zurück", "kohle", "0003"))
    assert phrases(learned) == ["geld zurück"]
    assert learned["kohle", "de"][0].sessions == 3


def test_one_session_repeating_a_pair_many_times_changes_nothing():
    poison = [helpful("gratis geld", "kohle", "beef") for _ in range(200)]
    assert learn(*poison) == {}


def test_the_same_bucket_on_other_days_is_another_session():
    days = [helpful("geld zurück", "kohle", "beef", NOW - timedelta(days=d)) for d in range(3)]
    assert phrases(learn(*days)) == ["geld zurück"]


def test_opened_without_a_vote_counts_weaker():
    opened = [search("geld zurück", ("opened", "kohle"), visitor=v) for v in ("1", "2", "3")]
    assert learn(*opened)["kohle", "de"][0].score == 1.5  # three half verdicts: just enough
    assert learn(*opened[:2], helpful("geld zurück", "kohle", "4"))  # 2 * 0.5 + 1


def test_old_evidence_decays_away():
    old = NOW - timedelta(days=180)  # two half-lives: 3 sessions weigh 0.75
    assert learn(*[helpful("geld zurück", "kohle", v, old) for v in ("1", "2", "3")]) == {}


def test_not_helpful_and_a_case_after_opening_count_against_the_pair():
    good = [helpful("geld zurück", "kohle", v) for v in ("1", "2", "3", "4")]
    assert phrases(learn(*good))
    against = [
        search("geld zurück", ("opened", "kohle"), ("not_helpful", "kohle"), visitor="5"),
        search("geld zurück", ("opened", "kohle"), ("case", ""), visitor="6"),
        search("geld zurück", ("opened", "kohle"), ("case", ""), visitor="7"),
    ]
    assert learn(*good, *against) == {}  # 4 - 3 = 1 < 1.5


def test_at_most_max_phrases_per_article_best_first():
    many = []
    for n, query in enumerate(("eins", "zwei", "drei")):
        many += [helpful(query, "kohle", f"{v}") for v in range(3 + n)]
    assert phrases(learn(*many)) == ["drei", "zwei"]


def test_a_removed_phrasing_needs_new_evidence_and_a_promoted_one_is_not_learned():
    before = [helpful("geld zurück", "kohle", v, NOW - timedelta(days=1)) for v in "123"]
    removed = {("de", "kohle", "geld zurück"): (REMOVED, NOW - timedelta(hours=1))}
    assert learn(*before, decisions=removed) == {}
    after = [helpful("geld zurück", "kohle", v) for v in "456"]
    assert phrases(learn(*before, *after, decisions=removed)) == ["geld zurück"]
    promoted = {("de", "kohle", "geld zurück"): (PROMOTED, NOW - timedelta(hours=1))}
    assert learn(*before, *after, decisions=promoted) == {}


def test_long_messages_are_not_phrasings():
    text = "ich habe gestern bei ihnen etwas bestellt und möchte mein geld zurück bitte"
    assert learn(*[helpful(text, "kohle", v) for v in "123"]) == {}


def test_visitor_bucket_is_short_keyed_daily_and_groups_an_ipv6_network():
    day = NOW.date()
    a = visitor_bucket("203.0.113.7", "s" * 32, day)
    assert len(a) == 4 and a == visitor_bucket("203.0.113.7", "s" * 32, day)
    assert a != visitor_bucket("203.0.113.7", "s" * 32, day + timedelta(days=1))
    assert a != visitor_bucket("203.0.113.7", "t" * 32, day)
    assert visitor_bucket("2001:db8::1", "k", day) == visitor_bucket("2001:db8::ffff", "k", day)
    assert visitor_bucket("", "k", day) == ""
