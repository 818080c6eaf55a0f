"""What the machine offers the tests: PostgreSQL (when asked for), Redis, a disk to fill."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import socket
import subprocess
import sys
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
def fresh_database(directory: Path, template: str | None = None) -> Iterator[str]:
    """A database of its own: a SQLite file in `directory`, or a PostgreSQL database created
    on that server and dropped afterwards. Empty, or a copy of `template` (`migrated_template`)."""
    if not PG_URL:
        path = directory / "portal.sqlite3"
        if template:
            shutil.copyfile(template.removeprefix("sqlite://"), path)
        yield f"sqlite://{path}"
        return
    name = f"portal_test_{uuid.uuid4().hex[:12]}"
    source = f' TEMPLATE "{urlsplit(template).path.lstrip("/")}"' if template else ""
    _pg_admin(f'CREATE DATABASE "{name}"{source}')
    parts = urlsplit(PG_URL)
    try:
        yield urlunsplit((parts.scheme, parts.netloc, f"/{name}", "", ""))
    finally:
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def migrated_template(directory: Path) -> Iterator[str]:
    """A database with every migration applied by `portal migrate`, made once per test
    process: each test's database starts as a copy of it (`fresh_database(dir, template)`),
    since migrating an empty database takes a second or two and copying one milliseconds."""
    with fresh_database(directory) as url:
        done = subprocess.run(
            [sys.executable, "-m", "portal", "migrate"],
            env={**os.environ, **portal_env(directory, url)},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        yield url


def portal_env(directory: Path, database_url: str) -> dict[str, str]:
    """The environment a test portal runs with, its data kept in `directory`."""
    return {
        "PORTAL_DATA_DIR": str(directory / "data"),
        "PORTAL_DATABASE_URL": database_url,
        "PORTAL_SECRET_KEY": "test-secret-key-" + "x" * 32,
        "PORTAL_BASE_URL": "http://testserver.local",
        "PORTAL_LOG_LEVEL": "WARNING",
    }
