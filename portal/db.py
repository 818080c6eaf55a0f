"""Database wiring: Tortoise configuration and schema migrations run on start."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from tortoise import Tortoise
from tortoise.context import set_global_context
from tortoise.migrations.api import migrate

from portal.settings import Settings

log = logging.getLogger("portal.db")

#: Tortoise app label -> the modules of its models and its migrations module.
#: The webhooks package's two tables were created by the back office's migrations and keep
#: its app label, so existing databases and their migration history stay valid.
APPS = {
    "faq": (["faq.models"], "faq.migrations"),
    "tracking": (["tracking.models"], "tracking.migrations"),
    "backoffice": (
        ["tracking.backoffice.models", "webhooks.models"],
        "tracking.backoffice.migrations",
    ),
    "callbacks": (["tracking.callbacks.models"], "tracking.callbacks.migrations"),
    "feedback": (["feedback.models"], "feedback.migrations"),
    "portal": (["portal.models"], "portal.migrations"),  # rate-limit counters
}


def tortoise_config(settings: Settings) -> dict[str, Any]:
    """The one Tortoise configuration, shared by the app, the CLI and `tortoise` itself."""
    url = settings.database_url
    if url.startswith("postgresql://"):
        url = "postgres://" + url.removeprefix("postgresql://")
    return {
        "connections": {"default": url},
        "apps": {
            label: {"models": models, "migrations": migrations, "default_connection": "default"}
            for label, (models, migrations) in APPS.items()
        },
        "use_tz": True,
        "timezone": "UTC",
    }


async def open_database(settings: Settings) -> None:
    """Apply pending migrations, then connect for the process's lifetime."""
    if settings.database_url.startswith("sqlite"):
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    config = tortoise_config(settings)
    try:
        await migrate(config=config)
    except BaseException:
        # a connection left open keeps aiosqlite's (non-daemon) thread alive, and the
        # process would never exit after reporting the error (a full disk did that)
        await close_database()
        raise
    await Tortoise.close_connections()
    # the context every task sees: Litestar serves requests and runs its lifespan in
    # different tasks, which would not share a context variable
    set_global_context(await Tortoise.init(config=config))


#: Closing connections to a database that stopped answering must not hang a shutdown.
#: Tortoise itself gives an asyncpg pool 10 s to close and then terminates it, and only a
#: completed close releases its context for the next start in this process (tests, an
#: embedding app); this bound is for a database driver that never returns.
CLOSE_SECONDS = 15.0


async def close_database() -> None:
    try:
        await asyncio.wait_for(Tortoise.close_connections(), CLOSE_SECONDS)
    except TimeoutError:
        log.warning("database connections did not close within %s s", CLOSE_SECONDS)


async def ping() -> bool:
    """Health check: one round trip to the database."""
    from tortoise import connections

    await connections.get("default").execute_query("SELECT 1")
    return True
