"""What the machine offers the tests: PostgreSQL (when asked for), Redis, a disk to fill."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

#: postgres://... runs the suite on PostgreSQL (a database per test); empty: SQLite.
PG_URL = os.environ.get("PORTAL_TEST_DATABASE_URL", "")
REDIS = ("127.0.0.1", 6379)


def redis_running() -> bool:
    """Tests that need Redis are skipped without it (CI has it on 127.0.0.1:6379)."""
    try:
        with socket.create_connection(REDIS, timeout=0.5):
            return True
    except OSError:
        return False


def fill_disk(disk: Path) -> None:
    with open(disk / "filler", "wb", buffering=0) as filler:
        try:
            while True:
                filler.write(b"\0" * 65536)
        except OSError:
            pass


def _pg_admin(sql: str) -> None:
    import asyncpg

    async def run() -> None:
        parts = urlsplit(PG_URL)
        conn = await asyncpg.connect(urlunsplit(("postgresql", *parts[1:])))
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    # in a thread of its own: browser tests have Playwright's event loop running here
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, run()).result()


@contextlib.contextmanager
def fresh_database(directory: Path) -> Iterator[str]:
    """An empty database: a SQLite file in `directory`, or a PostgreSQL database of its own,
    created on that server and dropped afterwards."""
    if not PG_URL:
        yield f"sqlite://{directory / 'portal.sqlite3'}"
        return
    name = f"portal_test_{uuid.uuid4().hex[:12]}"
    _pg_admin(f'CREATE DATABASE "{name}"')
    parts = urlsplit(PG_URL)
    try:
        yield urlunsplit((parts.scheme, parts.netloc, f"/{name}", "", ""))
    finally:
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def portal_env(directory: Path, database_url: str) -> dict[str, str]:
    """The environment a test portal runs with, its data kept in `directory`."""
    return {
        "PORTAL_DATA_DIR": str(directory / "data"),
        "PORTAL_DATABASE_URL": database_url,
        "PORTAL_SECRET_KEY": "test-secret-key-" + "x" * 32,
        "PORTAL_BASE_URL": "http://testserver.local",
        "PORTAL_LOG_LEVEL": "WARNING",
    }
