"""What a portal process needs to serve, checked by `/healthz` and before `portal serve` starts:
the database, Redis when configured, and writable data and attachment directories with at
least PORTAL_MIN_FREE_MB free."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from pathlib import Path

from portal import db
from portal.ratelimits import RateLimits
from portal.settings import Settings
from tracking.service import attachment_root

#: A dependency that has not answered in this time counts as down.
CHECK_SECONDS = 3.0
OK = "ok"
MB = 1024 * 1024


def directories(settings: Settings) -> dict[str, Path]:
    return {
        "data_dir": settings.data_dir,
        "attachment_dir": settings.attachment_dir or attachment_root(settings.data_dir),
    }


def check_directory(path: Path, min_free_mb: int) -> str:
    """ "ok", or why files cannot be stored there; writes and removes a small probe file."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path, prefix=".health-") as probe:
            probe.write(b"ok")
            probe.flush()
        free = shutil.disk_usage(path).free
    except OSError as exc:
        return f"not writable: {exc.strerror or exc}"
    if free < min_free_mb * MB:
        return f"only {free // MB} MB free, PORTAL_MIN_FREE_MB is {min_free_mb}"
    return OK


def check_directories(settings: Settings) -> dict[str, str]:
    return {
        name: check_directory(path, settings.min_free_mb)
        for name, path in directories(settings).items()
    }


async def check_redis(settings: Settings, limits: RateLimits) -> str:
    if not settings.redis_url:
        return "not configured"
    try:
        return OK if await asyncio.wait_for(limits.check(), CHECK_SECONDS) else "unavailable"
    except TimeoutError:
        return "unavailable"


async def check_all(settings: Settings, limits: RateLimits) -> dict[str, str]:
    """Each dependency by name: "ok" (or "not configured") or what is wrong with it."""
    try:
        await asyncio.wait_for(db.ping(), CHECK_SECONDS)
        database = OK
    except Exception:
        database = "unavailable"
    return {
        "database": database,
        "redis": await check_redis(settings, limits),
        **await asyncio.to_thread(check_directories, settings),
    }


def failed(checks: dict[str, str]) -> list[str]:
    return [name for name, result in checks.items() if result not in (OK, "not configured")]
