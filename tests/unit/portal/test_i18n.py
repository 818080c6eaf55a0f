"""Language negotiation and the German catalog."""

from babel.messages.pofile import read_po

from portal import i18n


def test_cookie_wins_over_accept_language():
    assert i18n.negotiate("en", "de-DE,de;q=0.9", "de") == "en"


def test_accept_language_by_weight():
    assert i18n.negotiate(None, "fr;q=1.0, en;q=0.8, de;q=0.5", "de") == "en"


def test_unknown_or_broken_header_falls_back_to_default():
    assert i18n.negotiate("xx", "fr, es;q=abc", "de") == "de"


def _german_catalogs():
    for po in sorted((i18n.LOCALE_DIR / "de" / "LC_MESSAGES").glob("*.po")):
        with po.open("rb") as fh:
            yield po.name, read_po(fh, locale="de")


def test_every_german_message_is_translated():
    untranslated = [
        (name, m.id)
        for name, catalog in _german_catalogs()
        for m in catalog
        if m.id and not m.string
    ]
    assert untranslated == []


def test_each_message_lives_in_one_catalog_file():
    seen: dict[str, str] = {}
    twice = []
    for name, catalog in _german_catalogs():
        for message in catalog:
            if message.id and message.id in seen:
                twice.append((message.id, seen[message.id], name))
            seen[str(message.id)] = name
    assert twice == []


def test_every_translatable_text_has_a_german_entry():
    """Extract the msgids from the code and templates and look each up in the catalogs."""
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    root = Path(i18n.__file__).parent.parent
    with tempfile.TemporaryDirectory() as tmp:
        pot = Path(tmp) / "all.pot"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "babel.messages.frontend",
                "extract",
                "-F",
                "babel.cfg",
                "-k",
                "_",
                "-k",
                "gettext_",
                "-k",
                "ngettext_:1,2",
                "--no-location",
                "-o",
                str(pot),
                ".",
            ],
            cwd=root,
            check=True,
            capture_output=True,
        )
        with pot.open("rb") as fh:
            wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}
    assert len(wanted) > 100  # the extraction itself worked
    have = {
        m.id if isinstance(m.id, str) else m.id[0] for _, c in _german_catalogs() for m in c if m.id
    }
    assert sorted(wanted - have) == []


def test_german_catalog_is_used():
    i18n.load_catalogs()
    i18n.set_language("de")
    assert i18n.gettext_("Search") == "Suchen"
    i18n.set_language("en")
    assert i18n.gettext_("Search") == "Search"
