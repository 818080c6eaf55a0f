"""Customer mails rendered from `templates/email/<kind>/` through the pages' gettext catalogs.

The tracking service decides *that* a mail goes out (`TrackingService.queue_mail`); this
renderer, handed to it at start-up by `portal.services.build_tracking`, decides its words.
Templates and catalogs stay in the web layer with the pages, so a mail and the page it
links to say the same thing, and tracking/ never imports portal/.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from portal import i18n
from portal.dates import local_time, short_day
from portal.settings import Settings
from portal.templating import configure_environment
from tracking.mail import RenderedMail

EMAIL_DIR = Path(__file__).parent / "templates" / "email"


class MailTemplates:
    """`subject.txt`, `body.txt` and `body.html` of a kind, rendered in the mail's language."""

    def __init__(self, settings: Settings, timezone: ZoneInfo) -> None:
        if not i18n.catalogs_loaded():  # built outside create_app (tests, CLI)
            i18n.load_catalogs()
        self.timezone = timezone
        self.env = Environment(
            loader=FileSystemLoader(EMAIL_DIR),
            autoescape=select_autoescape(["html"]),
            undefined=StrictUndefined,  # a value a template needs but did not get is a bug
        )
        configure_environment(self.env, settings)
        self.env.filters["when"] = self.when
        self.env.filters["day"] = self.day

    def render(self, kind: str, language: str, values: Mapping[str, Any]) -> RenderedMail:
        with i18n.speaking(language):
            subject = " ".join(self._render(kind, "subject.txt", values).split())[:200]
            text = self._render(kind, "body.txt", values)
            html = self._render(kind, "body.html", {**values, "subject": subject})
        return RenderedMail(subject, re.sub(r"\n{3,}", "\n\n", text).strip() + "\n", html)

    def _render(self, kind: str, name: str, values: Mapping[str, Any]) -> str:
        return self.env.get_template(f"{kind}/{name}").render(**values)

    def when(self, moment: datetime) -> str:
        """A day and time as the pages write it (`Montag, 7. Dezember 2026, 14:00 Uhr`)."""
        return local_time(moment, self.timezone, i18n.current_language())

    def day(self, moment: datetime) -> str:
        return short_day(moment, self.timezone, i18n.current_language())
