"""Jinja environment: gettext, filters and globals every template (page or mail) may use."""

from __future__ import annotations

from collections.abc import Mapping

from jinja2 import Environment
from markupsafe import Markup

from faq.service import MAX_COMMENT_CHARS
from feedback.service import MAX_COMMENT
from portal import i18n
from portal.dates import Hours, hours_text
from portal.settings import Settings
from tracking.attachments import ACCEPT, MAX_BYTES, MAX_FILES
from tracking.callbacks.service import NOTE_LENGTH
from tracking.customer import MAX_REASON, MAX_TEXT
from tracking.intake import MAX_LENGTH
from tracking.phones import display_phone


def configure_environment(
    env: Environment, settings: Settings, hours: Mapping[str, Hours] | None = None
) -> None:
    """`hours` names the configured opening hours the templates may show (`opening_hours`)."""
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(i18n.gettext_, i18n.ngettext_, newstyle=True)  # type: ignore[attr-defined]
    texts = {
        (name, lang): hours_text(spans, lang)
        for name, spans in (hours or {}).items()
        for lang in i18n.LANGUAGES
    }
    env.globals.update(
        company=settings.company_name,
        current_language=i18n.current_language,
        languages=i18n.LANGUAGES,
        language_name=i18n.language_name,
        gettext_in=i18n.gettext_in,
        upload={"accept": ACCEPT, "max_files": MAX_FILES, "max_bytes": MAX_BYTES},
        # the services' own limits, for the character counters of the forms
        limits={
            **MAX_LENGTH,
            "reply": MAX_TEXT,
            "reopen": MAX_REASON,
            "rating_comment": MAX_COMMENT,
            "faq_comment": MAX_COMMENT_CHARS,
            "callback_note": NOTE_LENGTH,
        },
        opening_hours=lambda name: texts.get((name, i18n.current_language()), ""),
    )
    env.filters["safe_snippet"] = Markup  # snippets are escaped by the search layer
    env.filters["phone"] = display_phone
    env.filters["unbroken"] = unbroken
    env.auto_reload = False  # templates ship with the code; no stat() per render
    env.trim_blocks = True
    env.lstrip_blocks = True


def unbroken(text: str) -> Markup:
    """Text kept on one line (a tracking ID in a heading: broken at a hyphen on a phone it
    reads as two codes)."""
    return Markup('<span class="no-break">{}</span>').format(text)
