"""The application factory: the only place that builds the Litestar app."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from functools import partial
from pathlib import Path

from litestar import Litestar
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.logging import LoggingConfig
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from faq.service import GAP_FLUSH_SECONDS
from feedback import learning
from feedback.learning import LearningConfig
from feedback.outcomes import FLUSH_SECONDS
from portal import i18n, live
from portal.case_pages import CasePages
from portal.controllers import (
    api_backoffice,
    api_callbacks,
    api_cases,
    api_faq,
    api_faq_admin,
    api_reports,
    callback_pages,
    case_form,
    faq_pages,
    learned_pages,
    oauth,
    pages,
    rating_pages,
    report_pages,
    track_actions,
    track_pages,
)
from portal.db import close_database, open_database
from portal.errors import handle_exception
from portal.jobs import BackgroundJobs
from portal.knowledge_gaps import write_gaps
from portal.middleware import add_hsts, add_security_headers, language
from portal.openapi import document_problems
from portal.page_cache import PageCache
from portal.ratelimits import PURGE_SECONDS as COUNTER_PURGE_SECONDS
from portal.ratelimits import RateLimits
from portal.services import INDEX_SYNC_SECONDS, Services
from portal.settings import Settings
from portal.stores import PURGE_SECONDS, SharedStores
from portal.templating import configure_environment
from tracking.backoffice.oauth import TokenIssuer, TokenVerifier
from tracking.backoffice.sla_watch import warn_due_soon
from webhooks.worker import in_process_worker

HERE = Path(__file__).parent
#: Background tasks get this long to end after cancellation; a shutdown never hangs on them.
SHUTDOWN_SECONDS = 5.0
#: Mail a send left behind (the SMTP server was away) and callback reminders that fell due.
MAIL_RETRY_SECONDS = REMINDER_SECONDS = 30.0


async def _write_last_gaps(services: Services, rate_limits: RateLimits) -> None:
    """Searches without result and search outcomes noted since the last batch; the
    database may be gone."""
    for write in (partial(write_gaps, services, rate_limits), services.outcomes.write):
        try:
            await asyncio.wait_for(write(), SHUTDOWN_SECONDS)
        except Exception:
            logging.getLogger("portal").warning("could not write the last search log entries")


def create_app(settings: Settings) -> Litestar:
    """Build the portal for these settings; tests call this with their own."""
    i18n.load_catalogs()
    services = Services.build(settings)
    token_issuer = TokenIssuer.from_settings(settings)
    stores = SharedStores(settings)
    rate_limits = RateLimits(settings)
    https = settings.base_url.startswith("https://")
    channels = live.make_channels()
    case_pages = CasePages()
    watcher = live.CaseWatcher(
        channels, settings.database_url, on_events=case_pages.changed, on_saved=case_pages.saving
    )

    @contextlib.asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        await open_database(settings)
        try:
            await services.start()
            jobs = BackgroundJobs()
            jobs.every(INDEX_SYNC_SECONDS, services.faq.sync_index)
            jobs.every(MAIL_RETRY_SECONDS, services.tracking.send_pending_mail)
            jobs.run(watcher.run())
            jobs.every(PURGE_SECONDS, stores.purge_expired)
            watch_sla = partial(warn_due_soon, services.tracking)
            jobs.every(settings.sla_watch_seconds, watch_sla, at_start=True)
            jobs.every(REMINDER_SECONDS, services.callbacks.send_reminders, at_start=True)
            jobs.every(GAP_FLUSH_SECONDS, partial(write_gaps, services, rate_limits))
            jobs.every(COUNTER_PURGE_SECONDS, rate_limits.purge_expired)
            jobs.every(FLUSH_SECONDS, services.outcomes.write)
            learn = partial(learning.refresh, services.faq, LearningConfig.from_settings(settings))
            jobs.every(settings.learn_refresh_seconds, learn, at_start=True)
            try:
                async with in_process_worker(settings):
                    yield
            finally:
                await jobs.stop(SHUTDOWN_SECONDS)
                await _write_last_gaps(services, rate_limits)
        finally:
            services.close()
            await stores.close()
            await close_database()

    template_config = TemplateConfig(
        directory=HERE / "templates",
        engine=JinjaTemplateEngine,
        engine_callback=lambda engine: configure_environment(
            engine.engine, settings, services.opening_hours()
        ),
    )
    app = Litestar(
        route_handlers=[
            *pages.ROUTES,
            *faq_pages.ROUTES,
            faq_pages.search_router(settings),
            *oauth.ROUTES,
            api_faq.router(settings),
            case_form.router(settings),
            track_pages.router(settings),
            callback_pages.router(settings),
            track_actions.router(settings),
            rating_pages.router(settings),
            api_cases.router(settings),
            api_backoffice.router(),
            api_backoffice.attachments_router(),
            api_faq_admin.router(),
            api_callbacks.router(),
            api_reports.router(),
            report_pages.router(settings),
            learned_pages.router(settings),
            create_static_files_router(
                path="/static",
                directories=[HERE / "static"],
                name="static",
                include_in_schema=False,
            ),
        ],
        dependencies={
            "services": Provide(lambda: services, sync_to_thread=False),
            "settings": Provide(lambda: settings, sync_to_thread=False),
        },
        lifespan=[lifespan],
        plugins=[channels],
        stores=stores.registry(),
        template_config=template_config,
        csrf_config=CSRFConfig(
            secret=settings.secret_key,
            cookie_name="portal_csrf",
            cookie_secure=settings.secure_cookies,
            cookie_samesite="lax",
            exclude=["/api/", "/healthz", "/static/", "/oauth/"],
        ),
        middleware=[language(settings.default_language)],
        before_send=[add_security_headers, *([add_hsts] if https else [])],
        exception_handlers={Exception: handle_exception},
        state=State(
            {
                "default_language": settings.default_language,
                "token_issuer": token_issuer,
                "page_cache": PageCache(),
                "rate_limits": rate_limits,
                "case_pages": case_pages,
                "token_verifier": TokenVerifier.from_settings(settings, token_issuer),
            }
        ),
        openapi_config=OpenAPIConfig(
            title=f"{settings.company_name} support portal API",
            version="1",
            path="/schema",
            render_plugins=[SwaggerRenderPlugin()],
        ),
        logging_config=LoggingConfig(
            root={"level": settings.log_level, "handlers": ["queue_listener"]},
            log_exceptions="never",
        ),
        debug=False,
        on_startup=[document_problems],
    )
    return app
