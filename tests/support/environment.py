"""What the machine offers the tests: PostgreSQL (when asked for), Redis, a disk to fill."""

from __future__ import annotations

import os
import socket
from pathlib import Path

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
