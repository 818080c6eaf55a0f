"""The FAQ search takes any input: hostile, empty, huge or random queries never raise, and
query syntax is read as plain words."""

from __future__ import annotations

import pytest

from faq.search import SearchResult
from support.faq import ids


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "\n\t",
        "title:(",
        "*",
        "AND OR NOT",
        '"',
        "~",
        "^",
        "title:(Rücksendung",
        "Rücksendung~2^3",
        '"Paket',
        "(((",
        "\x00\x01",
        "🙂🙂",
        "-",
        "'",
        "a" * 300,
    ],
)
def test_hostile_input_does_not_raise(engine, query, caplog):
    res = engine.search(query, "de")
    assert isinstance(res, SearchResult)
    assert not caplog.records  # not even behind the safety net in search()


def test_empty_query_gives_empty_result(engine):
    res = engine.search("   ", "de")
    assert res.hits == [] and res.total == 0 and res.did_you_mean is None


def test_query_syntax_is_plain_words(engine):
    assert ids(engine.search('(Rücksendung* "Retoure"^2', "de"))[:1] == ["ruecksendung"]
    assert ids(engine.search("+Paket -kaputt~", "de"))[:1] == ["transportschaden"]


def test_very_long_query(engine, caplog):
    text = (
        "Hallo, ich habe ein Paket bekommen und es ist kaputt angekommen, was soll ich tun? " * 200
    )[:10_000]
    res = engine.search(text, "de")
    assert ids(res)[:1] == ["transportschaden"]
    engine.search("x" * 10_000, "de")
    engine.search(" ".join(["Rücksendung"] * 3000), "de")
    assert not caplog.records


def test_unknown_language_raises(engine):
    with pytest.raises(ValueError):
        engine.search("Rücksendung", "fr")
    with pytest.raises(ValueError):
        engine.related("ruecksendung", "xx")


def test_random_input_never_raises(engine, caplog):
    import logging
    import random

    caplog.set_level(logging.ERROR, logger="faq.search")
    rng = random.Random(3)
    alphabet = "aäoöuüßeEnN -_:()*?~^\"'!<>&;/\\\t\n0123456789ÆЖ中🙂\u200b\u0301"
    for _ in range(200):
        q = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 80)))
        res = engine.search(
            q, rng.choice(["de", "en"]), limit=rng.randint(0, 20), offset=rng.randint(0, 5)
        )
        assert isinstance(res, SearchResult)
        for h in res.hits:
            assert "<" not in h.snippet.replace("<mark>", "").replace("</mark>", "")
    assert not caplog.records  # nothing failed behind the safety net
