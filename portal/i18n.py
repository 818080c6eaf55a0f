"""Language negotiation and gettext catalogs (Babel), German by default.

Catalogs are read from the `.po` sources at start, so there is no compile step to forget.
"""

from __future__ import annotations

import contextlib
import gettext
import io
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from shared.regional import LANGUAGES

LOCALE_DIR = Path(__file__).parent / "locale"
LANG_COOKIE = "portal_lang"

_current: ContextVar[str] = ContextVar("portal_language", default="de")
_catalogs: dict[str, gettext.NullTranslations] = {}


def load_catalogs() -> None:
    """Merge every `locale/<lang>/LC_MESSAGES/*.po`; English msgids need none.

    One file per feature area (`messages.po` for the core) keeps parallel work on the
    catalog from colliding; a msgid must appear in one file only.
    """
    for lang in LANGUAGES:
        merged = None
        for po in sorted((LOCALE_DIR / lang / "LC_MESSAGES").glob("*.po")):
            with po.open("rb") as fh:
                catalog = read_po(fh, locale=lang)
            if merged is None:
                merged = catalog
                continue
            for message in catalog:
                if message.id:
                    merged[message.id] = message
        if merged is None:
            _catalogs[lang] = gettext.NullTranslations()
            continue
        buffer = io.BytesIO()
        write_mo(buffer, merged)
        buffer.seek(0)
        _catalogs[lang] = gettext.GNUTranslations(buffer)


def catalogs_loaded() -> bool:
    return bool(_catalogs)


def set_language(lang: str) -> None:
    _current.set(lang if lang in LANGUAGES else LANGUAGES[0])


@contextlib.contextmanager
def speaking(lang: str) -> Iterator[None]:
    """Translate in `lang` for a while (a mail in the customer's language), then as before."""
    token = _current.set(lang if lang in LANGUAGES else LANGUAGES[0])
    try:
        yield
    finally:
        _current.reset(token)


def current_language() -> str:
    return _current.get()


def gettext_(message: str, **params: object) -> str:
    text = _catalogs.get(current_language(), gettext.NullTranslations()).gettext(message)
    return text % params if params else text


def gettext_in(lang: str, message: str, **params: object) -> str:
    """`message` in `lang` instead of the page's language: a link to a page in another
    language speaks that language ("Read in English" on a German page)."""
    text = _catalogs.get(lang, gettext.NullTranslations()).gettext(message)
    return text % params if params else text


def ngettext_(singular: str, plural: str, n: int, **params: object) -> str:
    catalog = _catalogs.get(current_language(), gettext.NullTranslations())
    text = catalog.ngettext(singular, plural, n)
    return text % {"num": n, **params}


def negotiate(cookie: str | None, accept_language: str | None, default: str) -> str:
    """Cookie choice first, then the browser's Accept-Language, then the default."""
    if cookie in LANGUAGES:
        return cookie
    if accept_language:
        ranked = []
        for part in accept_language.split(","):
            tag, _, q = part.strip().partition(";q=")
            try:
                weight = float(q) if q else 1.0
            except ValueError:
                continue
            ranked.append((weight, tag.split("-")[0].lower()))
        for _, tag in sorted(ranked, key=lambda item: -item[0]):
            if tag in LANGUAGES:
                return tag
    return default


def language_name(lang: str, in_lang: str | None = None) -> str:
    """The language's name in its own language, or in `in_lang` ("German" in English)."""
    return Locale.parse(lang).get_display_name(in_lang or lang).capitalize()
