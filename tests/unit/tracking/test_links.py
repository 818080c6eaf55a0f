"""Signed links: valid as made, refused when anything about them changes."""

from datetime import UTC, datetime, timedelta

from tracking.links import LinkSigner

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
signer = LinkSigner("s" * 40, "https://portal.example/")


def test_a_fresh_link_verifies():
    q = signer.query("download", "/a/1", timedelta(hours=1), NOW)
    assert signer.verify("download", "/a/1", q["expires"], q["sig"], NOW)
    assert signer.url("download", "/a/1", timedelta(hours=1), NOW).startswith(
        "https://portal.example/a/1?expires="
    )


def test_expired_other_path_other_purpose_other_secret_are_refused():
    q = signer.query("download", "/a/1", timedelta(hours=1), NOW)
    later = NOW + timedelta(hours=1, seconds=1)
    assert not signer.verify("download", "/a/1", q["expires"], q["sig"], later)
    assert not signer.verify("download", "/a/2", q["expires"], q["sig"], NOW)
    assert not signer.verify("rate", "/a/1", q["expires"], q["sig"], NOW)
    assert not LinkSigner("t" * 40, "x").verify("download", "/a/1", q["expires"], q["sig"], NOW)


def test_a_lengthened_expiry_or_garbage_is_refused():
    q = signer.query("download", "/a/1", timedelta(hours=1), NOW)
    assert not signer.verify("download", "/a/1", str(int(q["expires"]) + 3600), q["sig"], NOW)
    assert not signer.verify("download", "/a/1", "abc", q["sig"], NOW)
    assert not signer.verify("download", "/a/1", "\u00b2", q["sig"], NOW)  # isdigit() but no int
    assert not signer.verify("download", "/a/1", "", "", NOW)
