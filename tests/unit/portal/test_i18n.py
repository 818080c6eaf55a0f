"""Language negotiation and the German catalog."""

from babel.messages.pofile import read_po

from portal import i18n


def test_cookie_wins_over_accept_language():
    assert i18n.negotiate("en", "de-DE,de;q=0.9", "de") == "en"


def test_accept_language_by_weight():
    assert i18n.negotiate(None, "fr;q=1.0, en;q=0.8, de;q=0.5", "de") == "en"


def test_unknown_or_broken_header_falls_back_to_default():
    assert i18n.negotiate("xx", "fr, es;q=abc", "de") == "de"


def test_every_german_message_is_translated():
    with (i18n.LOCALE_DIR / "de" / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh, locale="de")
    untranslated = [m.id for m in catalog if m.id and not m.string]
    assert untranslated == []


def test_german_catalog_is_used():
    i18n.load_catalogs()
    i18n.set_language("de")
    assert i18n.gettext_("Search") == "Suchen"
    i18n.set_language("en")
    assert i18n.gettext_("Search") == "Search"
