"""Jinja environment: gettext, filters and globals every template may use."""

from __future__ import annotations

from jinja2 import Environment
from markupsafe import Markup

from portal import i18n
from portal.settings import Settings


def configure_environment(env: Environment, settings: Settings) -> None:
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(i18n.gettext_, i18n.ngettext_, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(
        company=settings.company_name,
        current_language=i18n.current_language,
        languages=i18n.LANGUAGES,
        language_name=i18n.language_name,
        gettext_in=i18n.gettext_in,
    )
    env.filters["safe_snippet"] = Markup  # snippets are escaped by the search layer
    env.auto_reload = False  # templates ship with the code; no stat() per render
    env.trim_blocks = True
    env.lstrip_blocks = True
