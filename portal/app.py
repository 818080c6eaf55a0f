"""The application factory: the only place that builds the Litestar app."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
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
from litestar.stores.file import FileStore
from litestar.template.config import TemplateConfig

from portal import i18n
from portal.controllers import (
    api_backoffice,
    api_cases,
    api_faq,
    case_form,
    faq_pages,
    oauth,
    pages,
    track_pages,
)
from portal.db import close_database, open_database
from portal.errors import handle_exception
from portal.middleware import add_security_headers, language
from portal.services import Services
from portal.settings import Settings
from portal.templating import configure_environment
from tracking.backoffice.oauth import TokenIssuer
from tracking.backoffice.worker import in_process_worker

HERE = Path(__file__).parent


def create_app(settings: Settings) -> Litestar:
    """Build the portal for these settings; tests call this with their own."""
    i18n.load_catalogs()
    services = Services.build(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        await open_database(settings)
        try:
            await services.start()
            sync = asyncio.create_task(services.sync_forever())
            mail = asyncio.create_task(services.tracking.mail_forever())
            try:
                async with in_process_worker(settings):
                    yield
            finally:
                mail.cancel()
                sync.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await sync
                with contextlib.suppress(asyncio.CancelledError):
                    await mail
        finally:
            services.close()
            await close_database()

    template_config = TemplateConfig(
        directory=HERE / "templates",
        engine=JinjaTemplateEngine,
        engine_callback=lambda engine: configure_environment(engine.engine, settings),
    )
    return Litestar(
        route_handlers=[
            *pages.ROUTES,
            *faq_pages.ROUTES,
            *oauth.ROUTES,
            api_faq.router(settings),
            case_form.router(settings),
            track_pages.router(settings),
            api_cases.router(settings),
            api_backoffice.router(),
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
        stores={"case_drafts": FileStore(settings.data_dir / "case_drafts", create_directories=True)},
        template_config=template_config,
        csrf_config=CSRFConfig(
            secret=settings.secret_key,
            cookie_name="portal_csrf",
            cookie_secure=settings.secure_cookies,
            cookie_samesite="lax",
            exclude=["/api/", "/healthz", "/static/", "/oauth/"],
        ),
        middleware=[language(settings.default_language)],
        before_send=[add_security_headers],
        exception_handlers={Exception: handle_exception},
        state=State(
            {
                "default_language": settings.default_language,
                "token_issuer": TokenIssuer.from_settings(settings),
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
    )
