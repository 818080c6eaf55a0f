"""The per-process service objects the controllers call, built once by `create_app`."""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import socket
from dataclasses import dataclass, replace
from pathlib import Path

from faq.importer import parse_directory
from faq.journey import FaqJourney
from faq.search import TUNING, FaqSearch, Tuning, semantic
from faq.service import FaqService
from feedback.outcomes import OutcomeLog
from feedback.service import RatingService
from portal.mail_templates import MailTemplates
from portal.settings import Settings, SettingsError
from tracking.attachments import AttachmentStore
from tracking.callbacks.service import CallbackService
from tracking.callbacks.slots import load_slot_config
from tracking.classification import load_classification
from tracking.customer import CustomerActions
from tracking.links import LinkSigner
from tracking.mail import Mailer, SmtpConfig
from tracking.service import TrackingService, attachment_root

log = logging.getLogger("portal")

#: How often FAQ edits made by other processes are picked up.
INDEX_SYNC_SECONDS = 2.0


def search_tuning(settings: Settings) -> Tuning:
    """The FAQ search's tuning with semantic search as configured; refused where its optional
    package is missing, since the switch would then do nothing."""
    if settings.faq_semantic and not semantic.available():
        raise SettingsError(
            "PORTAL_FAQ_SEMANTIC needs the optional package: pip install -e '.[semantic]'"
        )
    return replace(TUNING, semantic=settings.faq_semantic)


@dataclass
class Services:
    settings: Settings
    faq: FaqService
    index_dir: Path
    tracking: TrackingService
    callbacks: CallbackService
    customer: CustomerActions
    ratings: RatingService
    outcomes: OutcomeLog
    journey: FaqJourney

    @classmethod
    def build(cls, settings: Settings) -> Services:
        """Each process keeps its own index directory (one writer per directory)."""
        index_dir = settings.index_dir / f"{socket.gethostname()}-{os.getpid()}"
        shutil.rmtree(index_dir, ignore_errors=True)
        index_dir.mkdir(parents=True, exist_ok=True)
        tracking = build_tracking(settings)
        faq = FaqService(FaqSearch(index_dir, search_tuning(settings)))
        outcomes = OutcomeLog(settings.secret_key)
        return cls(
            settings=settings,
            faq=faq,
            index_dir=index_dir,
            tracking=tracking,
            callbacks=CallbackService(tracking, load_slot_config(settings.callback_file)),
            customer=CustomerActions(tracking, settings.reopen_days),
            ratings=RatingService(tracking),
            outcomes=outcomes,
            journey=FaqJourney(faq, outcomes),
        )

    def opening_hours(self) -> dict:
        """The configured hours pages show: customer service (the classification file's
        business hours, which the SLA counts in) and callbacks (the callback file)."""
        return {
            "service": self.tracking.classification.business_hours.hours,
            "callbacks": self.callbacks.config.hours,
        }

    async def start(self) -> None:
        """Load demo content into an empty database, then build the search index."""
        if self.settings.load_demo_content and await self.faq.article_count() == 0:
            parsed = parse_directory(self.settings.faq_content_dir)
            report = await self.faq.load_if_empty(parsed.docs)  # indexes what it imported
            if report is not None and report.created:
                log.info("loaded demo FAQ: %s articles", report.created)
                return
        await self.faq.rebuild_index()

    def close(self) -> None:
        index_dir = (
            self.faq.search_index.index_dir if hasattr(self.faq.search_index, "index_dir") else None
        )
        with contextlib.suppress(Exception):
            self.faq.search_index.close()
        if index_dir:
            shutil.rmtree(index_dir, ignore_errors=True)


def build_tracking(settings: Settings) -> TrackingService:
    """Raises ClassificationError when the classification file is unusable."""
    smtp = SmtpConfig(
        host=settings.smtp_host,
        port=settings.smtp_port,
        sender=settings.smtp_from,
        username=settings.smtp_username,
        password=settings.smtp_password,
        starttls=settings.smtp_starttls,
    )
    classification = load_classification(settings.classification_file)
    return TrackingService(
        classification=classification,
        attachments=AttachmentStore(settings.attachment_dir or attachment_root(settings.data_dir)),
        mailer=Mailer(smtp),
        links=LinkSigner(settings.secret_key, settings.base_url),
        renderer=MailTemplates(settings, classification.business_hours.timezone),
        company=settings.company_name,
    )
